"""The polling path: a commit on another connection is noticed, and only once."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from advisor.db import make_engine
from advisor.handoff.watching import ChangeWatcher
from tests.helpers.handoff import waiting_request


def test_change_watcher_wakes_up_on_another_connections_commit(engine: Engine) -> None:
    watcher = ChangeWatcher(engine)
    watcher.changed()
    assert not watcher.changed()
    other = make_engine(engine.url.render_as_string(hide_password=False))
    waiting_request(other, kind="consultant")
    assert watcher.changed()
    assert not watcher.changed()
    watcher.close()
    other.dispose()
