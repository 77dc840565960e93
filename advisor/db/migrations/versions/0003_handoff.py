"""Handoff: stored advice sessions with resume codes, and handoff requests.

Revision ID: 0003_handoff
Revises: 0002_value_labels
Create Date: 2026-11-23
"""

from alembic import op
import sqlalchemy as sa


revision = '0003_handoff'
down_revision = '0002_value_labels'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('advice_session',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('resume_code', sa.String(length=12), nullable=False),
    sa.Column('questionnaire_id', sa.String(length=64), nullable=False),
    sa.Column('questionnaire_version', sa.String(length=64), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('store_id', sa.String(length=32), nullable=True),
    sa.Column('kiosk_id', sa.String(length=64), nullable=True),
    sa.Column('consent', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('advice_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advice_session_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_advice_session_resume_code'), ['resume_code'], unique=True)

    op.create_table('handoff_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('store_id', sa.String(length=32), nullable=True),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claimed_by', sa.String(length=64), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['session_id'], ['advice_session.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('handoff_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handoff_request_requested_at'), ['requested_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_handoff_request_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_handoff_request_state'), ['state'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('handoff_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handoff_request_state'))
        batch_op.drop_index(batch_op.f('ix_handoff_request_session_id'))
        batch_op.drop_index(batch_op.f('ix_handoff_request_requested_at'))

    op.drop_table('handoff_request')
    with op.batch_alter_table('advice_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_advice_session_resume_code'))
        batch_op.drop_index(batch_op.f('ix_advice_session_expires_at'))

    op.drop_table('advice_session')
