"""A staff member changes answers while the kiosk keeps answering: two real processes, many rounds, no change lost
(SQLite and PostgreSQL)."""

from __future__ import annotations

import multiprocessing

import pytest
from sqlalchemy.engine import Engine

from advisor.db import make_engine
from advisor.questionnaire.library import load_library
from advisor.session import cases, store
from advisor.session.service import AdviceSession
from tests.helpers.index import sample_index

ROUNDS = 40
HEIGHTS = [150 + i for i in range(ROUNDS)]  # the staff member's values for body_height
PERSONS = [1 + i % 4 for i in range(ROUNDS)]  # the kiosk's values for persons
PERSONS[-1] = 3


def kiosk(url: str, session_id: str, start: multiprocessing.synchronize.Event) -> None:
    """The kiosk keeps one session in memory and writes after every answer (rebasing when staff wrote first)."""
    engine = make_engine(url)
    questionnaires = load_library().questionnaires
    record = store.read(engine, session_id)
    assert record is not None
    session = store.load(record, questionnaires, index_for=lambda _q: sample_index("tents"))
    start.wait()
    for persons in PERSONS:
        session.change_answer("persons", persons)
        store.save(engine, session_id, session)


def staff(url: str, session_id: str, start: multiprocessing.synchronize.Event) -> None:
    """The staff console reads the stored session afresh for every change, as the console does."""
    engine = make_engine(url)
    questionnaires = load_library().questionnaires
    start.wait()
    for height in HEIGHTS:
        cases.change_answer(engine, session_id, "body_height", height, questionnaires=questionnaires,
                            index_for=lambda _q: sample_index("tents"))  # fmt: skip


@pytest.mark.slow
def test_no_change_is_lost_when_staff_and_kiosk_write_at_once(engine: Engine, database_url: str) -> None:
    tents = load_library().questionnaires["tent-finder"]
    session = AdviceSession.start(tents, index=sample_index("tents"), run="r")
    session.set_answers({"region": "rough", "trip": "trekking", "frequency": "regularly", "persons": 2,
                         "extra_space": False, "body_height": 180})  # fmt: skip
    record = store.create(engine, session, store_id="muc-01")
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    processes = [context.Process(target=target, args=(database_url, record.id, start)) for target in (kiosk, staff)]
    for process in processes:
        process.start()
    start.set()
    for process in processes:
        process.join(timeout=120)
        assert process.exitcode == 0, f"{process.name} failed"
    final = store.read(engine, record.id)
    assert final is not None
    # Every write became a version of its own (none overwrote another silently) ...
    assert final.version == record.version + 2 * ROUNDS
    # ... and each writer's last word is what the session says now.
    assert final.snapshot.answers["persons"] == PERSONS[-1]
    assert final.snapshot.answers["body_height"] == HEIGHTS[-1]
    assert final.snapshot.answers["trip"] == "trekking"
