"""actor decisions: moderators' merges, renames and splits of stakeholders and modules

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0010'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('actordecision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('value', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('actordecision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actordecision_workshop_id'), ['workshop_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('actordecision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actordecision_workshop_id'))
    op.drop_table('actordecision')
