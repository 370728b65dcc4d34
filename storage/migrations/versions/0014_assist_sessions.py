"""assist sessions: a staff member typing a resident's answers in from chat (!assist)

Revision ID: 0014
Revises: 0010
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0014'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('assistsession',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('staff', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('resident', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('platform', 'staff')
    )
    with op.batch_alter_table('assistsession', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assistsession_workshop_id'), ['workshop_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('assistsession', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assistsession_workshop_id'))
    op.drop_table('assistsession')
