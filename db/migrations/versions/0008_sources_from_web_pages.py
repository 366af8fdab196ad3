"""sources from web pages: the author, and the SHA-256 of the saved page

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 17:30:00

A source added from a saved web page keeps the author the page names and the SHA-256 of the
page file beside the SHA-256 of the extracted text. Both columns are added in place; sources
added before have no author and no page.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEXT = sqlmodel.sql.sqltypes.AutoString()


def upgrade() -> None:
    op.add_column('source', sa.Column('author', TEXT, server_default='', nullable=False))
    op.add_column('source', sa.Column('original_sha256', TEXT, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.drop_column('original_sha256')
        batch_op.drop_column('author')
