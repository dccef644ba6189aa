"""A batch recorded for a done session as a correction of the record keeps its reason.

Revision ID: 0002_consent_history
Revises: 0001
"""

from alembic import op
import sqlalchemy as sa


revision = "0002_consent_history"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("session_batch", schema=None) as batch_op:
        batch_op.add_column(sa.Column("correction", sa.Text(), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("session_batch", schema=None) as batch_op:
        batch_op.drop_column("correction")
