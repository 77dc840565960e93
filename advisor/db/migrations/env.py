"""Alembic environment: runs migrations on the engine handed over by advisor.db.upgrade."""

from alembic import context

from advisor.catalog.model import metadata
from advisor.handoff import model as handoff_model  # noqa: F401 - registers the handoff tables
from advisor.insights import model as insights_model  # noqa: F401 - registers the event tables

config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
