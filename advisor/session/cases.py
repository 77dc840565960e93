"""The staff console's view of its work, read in one go off the GUI thread: the queue, the staff member's
cases and the selected case with its advice worked out (the same session service as the shopper's screens)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine

from advisor.handoff.chat import Message, messages, notes_of
from advisor.handoff.requests import QueueEntry, claimed_by, queue
from advisor.i18n import pick
from advisor.questionnaire.model import Questionnaire
from advisor.recommend.core import Recommendation
from advisor.recommend.index import CategoryIndex
from advisor.session import store
from advisor.session.service import AdviceSession, SessionError

IndexFor = Callable[[Questionnaire], CategoryIndex | None]
CaseKey = tuple[int | None, str]  # (handoff request or None when opened by code, stored session id)


@dataclass(frozen=True)
class Case:
    """One case as the console shows it: the stored session, its advice now, the chat and notes."""

    key: CaseKey
    record: store.Record
    session: AdviceSession
    recommendation: Recommendation | None
    messages: tuple[Message, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class ConsoleView:
    """Everything the console shows, as of one read."""

    queue: tuple[tuple[QueueEntry, str], ...]  # waiting requests with their questionnaire's title
    cases: tuple[tuple[CaseKey, str], ...]  # the staff member's cases with a line of text each
    case: Case | None  # the selected one
    problem: str = ""  # a stored session that could not be opened, said for staff


def title_of(questionnaires: Mapping[str, Questionnaire], questionnaire_id: str, locale: str = "de") -> str:
    questionnaire = questionnaires.get(questionnaire_id)
    return pick(questionnaire.title, locale) if questionnaire else questionnaire_id


def open_case(
    engine: Engine, key: CaseKey, questionnaires: Mapping[str, Questionnaire], index_for: IndexFor
) -> Case | None:
    """A case with its advice worked out; None when the stored session is gone. SessionError when its
    questionnaire is not offered here."""
    request_id, session_id = key
    record = store.read(engine, session_id)
    if record is None:
        return None
    session = store.load(record, questionnaires, index_for=index_for)
    result = session.recommendation() if session.index is not None else None
    lines = tuple(messages(engine, request_id)) if request_id is not None else ()
    notes = notes_of(engine, request_id) if request_id is not None else ""
    return Case(key, record, session, result, lines, notes)


def console_view(
    engine: Engine,
    *,
    staff: str,
    opened: Mapping[str, str],
    selected: CaseKey | None,
    questionnaires: Mapping[str, Questionnaire],
    index_for: IndexFor,
) -> ConsoleView:
    """The queue, the staff member's cases (claimed, and opened by code) and the selected case."""
    titles: dict[str, str] = {}

    def title(session_id: str) -> str:
        if session_id not in titles:
            record = store.read(engine, session_id)
            titles[session_id] = title_of(questionnaires, record.snapshot.questionnaire_id) if record else "?"
        return titles[session_id]

    waiting = tuple((entry, title(entry.session_id)) for entry in queue(engine))
    cases: list[tuple[CaseKey, str]] = [
        ((entry.request_id, entry.session_id), f"{entry.kind} · {title(entry.session_id)}")
        for entry in claimed_by(engine, staff)
    ]
    cases += [((None, session_id), text) for session_id, text in opened.items()]
    case, problem = None, ""
    if selected is not None and any(key == selected for key, _ in cases):
        try:
            case = open_case(engine, selected, questionnaires, index_for)
        except SessionError as error:
            problem = str(error)
    return ConsoleView(waiting, tuple(cases), case, problem)


def change_answer(
    engine: Engine,
    session_id: str,
    step_id: str,
    value: Any,
    *,
    questionnaires: Mapping[str, Questionnaire],
    index_for: IndexFor,
) -> None:
    """A staff member changes one answer for the shopper: written conditionally, merged with the kiosk's
    changes (InvalidAnswer or SessionError when it does not fit)."""
    record = store.read(engine, session_id)
    if record is None:
        raise store.SessionGone("this advice session has expired or was deleted")
    session = store.load(record, questionnaires, index_for=index_for)
    session.change_answer(step_id, value)
    store.save(engine, session_id, session)


def case_lines(case: Case, questionnaires: Mapping[str, Questionnaire]) -> Sequence[str]:
    """The case as lines of text: questionnaire, answers, what fits, what the shopper met, viewed, compared."""
    from advisor.engine import path_of
    from advisor.recommend.core import display_answer

    session, locale = case.session, case.session.locale
    lines = [f"{pick(session.questionnaire.title, locale)} ({locale})"]
    lines += [f"Not taken over / nicht übernommen: {item}" for item in session.dropped]
    for step_id in path_of(session.questionnaire, session.state.answers):
        if step_id in session.state.answers:
            step = session.questionnaire.step(step_id)
            lines.append(
                f"{pick(step.question, locale)} → {display_answer(step, session.state.answers[step_id], locale)}"
            )
    result = case.recommendation
    if result is None:
        return lines
    lines.append(f"{result.count} products fit")
    lines += [f"Critique / Kritik: {critique.attribute} {critique.direction} {critique.reference:g}"
              for critique in session.critiques]  # fmt: skip
    lines += [f"offered now: {relaxation.text}" for relaxation in result.relaxations]
    for met in session.relaxations:
        labels = ", ".join(str(name) for name in met.get("labels", met.get("drop", [])))
        verb = "took" if met.get("applied") else "was offered"
        lines.append(f"Shopper {verb}: without {labels} ({met.get('count', '?')})")
    index = session.index
    assert index is not None

    def names(skus: Sequence[str]) -> str:
        return ", ".join(pick(index.products[index.position[sku]].name, locale) if sku in index.position else sku
                         for sku in skus)  # fmt: skip

    if session.viewed:
        lines.append("Viewed / Angesehen: " + names(session.viewed))
    if session.compared:
        lines.append("Compared / Verglichen: " + names(session.compared))
    for rank, ranked in enumerate(result.products, start=1):
        lines.append(f"{rank}. {pick(ranked.product.name, locale)} ({ranked.sku})")
        lines += [f"    ✓ {reason.text}" for reason in ranked.reasons]
    return lines
