"""accounts: rate limits, self-registration (verified e-mail, membership requests)

Revision ID: 0009_accounts
Revises: 0008_atomic_writes
Create Date: 2026-12-06 21:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import app.db

revision: str = '0009_accounts'
down_revision: str | None = '0008_atomic_writes'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('rate_limit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.Column('window_started_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rate_limit')),
    sa.UniqueConstraint('key', name=op.f('uq_rate_limit_key'))
    )
    op.create_table('membership_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_membership_request_program_id_program'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['site_id'], ['spoke_site.id'], name=op.f('fk_membership_request_site_id_spoke_site'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_membership_request_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership_request')),
    sa.UniqueConstraint('program_id', 'user_id', name=op.f('uq_membership_request_program_id'))
    )
    with op.batch_alter_table('membership_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_membership_request_program_id'), ['program_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_membership_request_user_id'), ['user_id'], unique=False)

    # Plain ADD COLUMN (SQLite supports it): a batch copy of user_account would rebuild the table
    # that every other table references.
    op.add_column('user_account', sa.Column('self_registered', sa.Boolean(), nullable=False,
                                            server_default=sa.false()))
    op.add_column('user_account', sa.Column('email_verified_at', app.db.UTCDateTime(timezone=True), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('email_verified_at')
        batch_op.drop_column('self_registered')

    with op.batch_alter_table('membership_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_membership_request_user_id'))
        batch_op.drop_index(batch_op.f('ix_membership_request_program_id'))

    op.drop_table('membership_request')
    op.drop_table('rate_limit')
