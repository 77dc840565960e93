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


def test_a_look_after_the_window_closed_the_watcher_tells_nothing_and_fails_nothing(engine: Engine) -> None:
    """The console's read runs on a worker and may look just after the window closed the watcher: no error (it was
    logged as the database being unusable), nothing to tell."""
    watcher = ChangeWatcher(engine)
    watcher.changed()
    watcher.close()
    waiting_request(engine, kind="consultant")
    assert watcher.changed() is False
