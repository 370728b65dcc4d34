"""needs imported from files: need.origin and the needimport table

Revision ID: 0005
Revises: 0003 (re-point to 0004 when 0004_text_embeddings is merged)
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('need', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'origin',
                sqlmodel.sql.sqltypes.AutoString(length=16),
                server_default='chat',
                nullable=False,
            )
        )
    op.create_table('needimport',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('content_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('file_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('imported_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('workshop_id', 'content_hash')
    )
    with op.batch_alter_table('needimport', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_needimport_workshop_id'), ['workshop_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('needimport', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_needimport_workshop_id'))
    op.drop_table('needimport')
    with op.batch_alter_table('need', schema=None) as batch_op:
        batch_op.drop_column('origin')
