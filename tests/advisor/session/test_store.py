"""The stored session: whole snapshot, tolerant reading, writes conditional on the version (SQLite, PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from advisor.questionnaire.library import load_library
from advisor.session import store
from advisor.session.service import AdviceSession
from tests.helpers.index import sample_index

QUESTIONNAIRES = load_library().questionnaires
TENTS = QUESTIONNAIRES["tent-finder"]


def index_for(_questionnaire: object) -> object:
    return sample_index("tents")


def started(engine: Engine) -> tuple[store.Record, AdviceSession]:
    session = AdviceSession.start(TENTS, index=sample_index("tents"), run="run-key")
    session.answer("region", "rough")
    record = store.create(engine, session, store_id="muc-01")
    return record, session


def test_the_stored_session_holds_the_whole_snapshot(engine: Engine) -> None:
    record, session = started(engine)
    session.answer("trip", "trekking")
    session.view(str(sample_index("tents").skus[0]))
    session.compare(str(sample_index("tents").skus[1]))
    version = store.save(engine, record.id, session)
    again = store.read(engine, record.id)
    assert again is not None and again.version == version == 2
    assert again.snapshot == session.snapshot()
    loaded = store.load(again, QUESTIONNAIRES, index_for=index_for)  # type: ignore[arg-type]
    assert loaded.snapshot() == session.snapshot() and loaded.run == "run-key"


def test_creating_writes_once_and_returns_what_a_read_gives(engine: Engine) -> None:
    session = AdviceSession.start(TENTS, index=sample_index("tents"), run="run-key")
    session.set_answers({"region": "rough", "trip": "trekking", "extras": ["two_entrances"]})
    session.relax(session.recommendation().relaxations[0].drop) if not session.recommendation().count else None
    statements: list[str] = []
    if engine.dialect.name == "sqlite":  # the driver reports each statement it runs on connections made from here
        engine.dispose()
        sa.event.listen(engine, "connect", lambda connection, _: connection.set_trace_callback(statements.append))
    record = store.create(engine, session, store_id="muc-01", kiosk_id="k1", consent=True)
    if engine.dialect.name == "sqlite":
        ran = [statement.split()[0] for statement in statements]
        assert [kind for kind in ran if kind not in ("PRAGMA", "BEGIN", "COMMIT")] == ["INSERT"], (
            "one INSERT: no UPDATE or SELECT after it"
        )
    assert record == store.read(engine, record.id)


def test_a_stale_write_is_merged_not_lost(engine: Engine) -> None:
    record, kiosk = started(engine)
    staff_record = store.read(engine, record.id)
    assert staff_record is not None
    staff = store.load(staff_record, QUESTIONNAIRES, index_for=index_for)  # type: ignore[arg-type]
    staff.change_answer("region", "mild")
    store.save(engine, record.id, staff)
    kiosk.answer("trip", "trekking")  # read before the staff member's change
    store.save(engine, record.id, kiosk)
    final = store.read(engine, record.id)
    assert final is not None and final.version == 3
    assert dict(final.snapshot.answers) == {"region": "mild", "trip": "trekking"}
    assert kiosk.state.answers["region"] == "mild"  # the kiosk shows the merged result


def test_an_expired_session_is_not_read(engine: Engine) -> None:
    record, _ = started(engine)
    assert store.read(engine, record.id, now=datetime.now(UTC) + timedelta(days=30)) is None


def test_a_purged_session_is_not_written(engine: Engine) -> None:
    record, session = started(engine)
    with engine.begin() as connection:
        connection.execute(store.SESSION.delete().where(store.SESSION.c.id == record.id))
    session.answer("trip", "trekking")
    with pytest.raises(store.SessionGone):
        store.save(engine, record.id, session)


def test_a_corrupt_json_column_is_dropped_and_named(tmp_path: object) -> None:
    from advisor.db import make_engine, upgrade

    engine = make_engine(f"sqlite:///{tmp_path}/corrupt.sqlite3")
    upgrade(engine)
    record, _ = started(engine)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE advice_session SET critiques = '{broken', viewed = '42' WHERE id = :id"),
                           {"id": record.id})  # fmt: skip
    again = store.read(engine, record.id)
    assert again is not None
    session = store.load(again, QUESTIONNAIRES, index_for=index_for)  # type: ignore[arg-type]
    assert session.state.answers == {"region": "rough"}
    assert any("critiques" in item for item in session.dropped)
    assert any("viewed" in item for item in session.dropped)


def test_json_the_fast_reader_refuses_is_still_read(tmp_path: object) -> None:
    """Sessions are read with orjson; what it does not take but Python's own json writes (NaN) is read as before,
    not dropped as unreadable."""
    from advisor.db import make_engine, upgrade

    engine = make_engine(f"sqlite:///{tmp_path}/nan.sqlite3")
    upgrade(engine)
    record, _ = started(engine)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE advice_session SET viewed = :viewed WHERE id = :id"),
                           {"id": record.id, "viewed": '["NG-TENT-0001", NaN]'})  # fmt: skip
    again = store.read(engine, record.id)
    assert again is not None
    assert again.unreadable == ()
    assert again.snapshot.viewed == ("NG-TENT-0001", "nan")
