"""tier waits: conversation.waiting_tier and wait_no

A participant stopped by a closed tier (or waiting for the next one to open)
is found by ``waiting_tier`` when a facilitator opens it; ``wait_no`` counts the
waits, so each wait gets one "the tier is open" notice (claimed in
``reminderlog`` under the day ``open:<wait_no>``), however often the tier is
toggled and however many replicas run.

Revision ID: 0012
Revises: 0007
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0012'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('waiting_tier', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True)
        )
        batch_op.add_column(
            sa.Column('wait_no', sa.Integer(), nullable=False, server_default='0')
        )
        batch_op.create_index(
            batch_op.f('ix_conversation_waiting_tier'), ['waiting_tier'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversation_waiting_tier'))
        batch_op.drop_column('wait_no')
        batch_op.drop_column('waiting_tier')
