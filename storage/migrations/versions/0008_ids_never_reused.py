"""ids never reused: SQLite AUTOINCREMENT on the contribution tables

Without AUTOINCREMENT SQLite hands out max(id) + 1, so after ``forget me`` deleted
the newest rows their ids came back for someone else's contributions, and an
audit row such as "stakeholder 6 hide" pointed at another item. PostgreSQL
sequences never hand out an id twice: nothing changes there.

Revision ID: 0008
Revises: 0009
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0009'
branch_labels = None
depends_on = None

TABLES = ('need', 'stakeholder', 'stakeholderlink', 'requirement')


def _rebuild(autoincrement: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name != 'sqlite':
        return
    # Links point at stakeholders, and foreign keys are enforced inside this
    # transaction: keep the links aside while the stakeholder table is rebuilt.
    columns = ', '.join(f'"{c["name"]}"' for c in sa.inspect(bind).get_columns('stakeholderlink'))
    op.execute(f'CREATE TEMPORARY TABLE _links_aside AS SELECT {columns} FROM stakeholderlink')
    op.execute('DELETE FROM stakeholderlink')
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate='always', table_kwargs={'sqlite_autoincrement': autoincrement}
        ):
            pass
    op.execute(f'INSERT INTO stakeholderlink ({columns}) SELECT {columns} FROM _links_aside')
    op.execute('DROP TABLE _links_aside')


def upgrade() -> None:
    _rebuild(True)


def downgrade() -> None:
    _rebuild(False)
