"""scheduled posts recorded: reminderlog.posted_at and platform_message_id, the postmark table

A reminder row is now written before the platform call (``posted_at`` NULL) and
completed after it, so a crash in between is found and recovered without a
second reminder. Rows from before this revision were sent: ``posted_at`` is
filled from ``sent_at``. ``postmark`` holds the console's marks, written before
printing (the console cannot be read back).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('reminderlog', schema=None) as batch_op:
        batch_op.add_column(sa.Column('posted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column(
                'platform_message_id',
                sqlmodel.sql.sqltypes.AutoString(length=200),
                nullable=True,
            )
        )
    op.execute('UPDATE reminderlog SET posted_at = sent_at WHERE posted_at IS NULL')
    op.create_table('postmark',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('post_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('message_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event', 'post_key')
    )


def downgrade() -> None:
    op.drop_table('postmark')
    with op.batch_alter_table('reminderlog', schema=None) as batch_op:
        batch_op.drop_column('platform_message_id')
        batch_op.drop_column('posted_at')
