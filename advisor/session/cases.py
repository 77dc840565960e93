"""The staff console's view of its work, read in one go off the GUI thread: the queue, the staff member's cases
and the selected case as a sheet a sales person grasps in seconds (the same session service as the shopper's
screens, phrased for staff in the console's language, times in the store's time zone)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from advisor import engine as flow
from advisor.appointments import agenda, booking
from advisor.db.prepared import reading
from advisor.handoff.changes import Change, changes_of, record_change
from advisor.handoff.chat import CHAT, Message, SavedNotes, joined_notes, messages, save_notes
from advisor.handoff.codes import shown
from advisor.handoff.requests import (
    OPEN_STATES,
    REQUEST,
    WEB,
    InTransaction,
    Outcome,
    QueueEntry,
    State,
    claim_outcome,
    claimed_by,
    queue,
    take_over,
)
from advisor.handoff.seen import quiet_for
from advisor.handoff.sessions import open_by_code
from advisor.handoff.staff import available
from advisor.i18n import MESSAGES, day_text, pick, text
from advisor.insights.report import question_label as short_question  # the report's name of a question, the same here
from advisor.questionnaire.model import Questionnaire
from advisor.recommend import core
from advisor.recommend.core import (
    Recommendation,
    attribute_label,
    category_noun,
    format_value,
    product_names,
    quoted,
)
from advisor.recommend.index import CatalogIndex, CategoryIndex
from advisor.rendering.facts import price_text, size_text, stock_in
from advisor.session import store
from advisor.session.service import AdviceSession, SessionError

IndexFor = Callable[[Questionnaire], CategoryIndex | None]
CaseKey = tuple[int | None, str]  # (handoff request or None when opened by code, stored session id)
# Where a case's notes are kept: ("request", request id) or ("appointment", appointment id).
NotesKey = tuple[str, int | str]
STAFF = "staff"  # the form of address that speaks about the customer ("close to the customer's wish")


@dataclass(frozen=True)
class Desk:
    """How this console speaks: the staff member's language, the store's time zone and where its kiosks stand."""

    locale: str = "de"
    zone: tzinfo = UTC
    places: Mapping[str, str] = field(default_factory=dict)  # kiosk id -> place in the store

    def time(self, moment: datetime) -> str:
        return moment.astimezone(self.zone).strftime("%H:%M")

    def t(self, key: str, **params: Any) -> str:
        return text(key, self.locale, STAFF, **params)

    def kind(self, kind: str, origin: str, channel: str | None = None) -> str:
        """What the customer asked for; a chat says from where (`channel`: where they asked, or took the chat;
        None: where the session began, `origin`)."""
        web = (channel or origin) == "web"
        return self.t("console.kind.chat_web" if kind == "chat" and web else f"console.kind.{kind}")

    def where(self, record: store.Record, channel: str | None = None, kiosk_id: str | None = None) -> str:
        """The kiosk and its place in the store, or the web (the customer's phone or home): where they are for a
        request (`channel`, and `kiosk_id`, the kiosk it was asked at: a code takes the advice to another kiosk),
        else where the session began."""
        kiosk = kiosk_id or record.kiosk_id
        if (channel or record.origin) == "web" or not kiosk:
            return self.t("console.where.web")
        place = self.places.get(kiosk)
        if place:
            return self.t("console.where.kiosk_at", place=place)
        return self.t("console.where.kiosk", kiosk=kiosk)

    def day(self, day: date, today: date | None = None) -> str:
        """An appointment's day in a console: "Heute" when it is `today`, else "Fr 04.12."."""
        if day == today:
            return self.t("console.appt.today")
        return day_text(day, self.locale, weekday="short")

    def appointment(self, entry: agenda.Entry, now: datetime) -> str:
        """A customer's appointment on their case: "Termin: Heute 14:30–14:50 Uhr · bei Anna · gebucht"."""
        start, end = entry.starts_at.astimezone(self.zone), entry.ends_at.astimezone(self.zone)
        day = self.day(start.date(), now.astimezone(self.zone).date())
        when = self.t("console.appt.when", day=day, start=f"{start:%H:%M}", end=f"{end:%H:%M}")
        with_whom = self.t("console.appt.with", staff=entry.staff_name)
        return f"{self.t('console.appointment')}: {when} · {with_whom} · {self.t(f'console.appt.state.{entry.state}')}"

    def customer(self, entry: agenda.Entry) -> str:
        """Who came for which appointment, as the appointments window names them: "Kim Berger · Termin 12:15 Uhr"."""
        start = entry.starts_at.astimezone(self.zone)
        return self.t("console.appt.customer", name=entry.name, time=f"{start:%H:%M}")

    def waiting(self, since: datetime, now: datetime) -> str:
        """How long a request waits, read at a glance: "wartet seit 12 Min.", "… 1 Std. 35 Min.", "… 1 T. 2 Std."."""
        return self.elapsed("console.waiting", max(0, int((now - since).total_seconds() // 60)))

    def elapsed(self, key: str, minutes: int) -> str:
        """`minutes` said with the message `key`, or its `_days`, `_hours` or `_now` form where it has one and they
        read better ("… 1 Std. 35 Min.")."""
        if minutes >= 24 * 60 and f"{key}_days" in MESSAGES:
            return self.t(f"{key}_days", days=minutes // (24 * 60), hours=minutes % (24 * 60) // 60)
        if minutes >= 60 and f"{key}_hours" in MESSAGES:
            return self.t(f"{key}_hours", hours=minutes // 60, minutes=minutes % 60)
        if not minutes and f"{key}_now" in MESSAGES:
            return self.t(f"{key}_now")
        return self.t(key, minutes=minutes)


@dataclass(frozen=True)
class Header:
    """Who and where: a case's first line."""

    title: str  # the questionnaire ("Zeltberater")
    kind: str  # in the staff's language ("Beratung vor Ort")
    where: str  # "Kiosk Zeltabteilung, 1. OG", "Kiosk kiosk-1" (no place configured) or "Web / Handy"
    since: str  # "angefragt 14:04" ("" when opened by code)
    language: str  # the shopper's language ("Deutsch")
    code: str  # ABCD-2345
    customer: str = ""  # a checked-in appointment's customer and time ("Kim Berger · Termin 12:15 Uhr"), else ""


@dataclass(frozen=True)
class AnswerRow:
    step_id: str
    question: str
    answer: str  # "" for a step on the path not answered yet
    open: bool = False  # on the path, not answered yet
    label: str = ""  # the question in a word or two ("Region"), as the insights report names it: read at a glance


@dataclass(frozen=True)
class Pick:
    """A product on the shortlist, as the shopper sees it ranked, with what a sales person needs at the shelf."""

    sku: str
    name: str
    price: str
    stock: str  # "3 in stock · Aisle 4" or "not in stock here"
    in_stock: bool
    reasons: tuple[str, ...]
    tradeoffs: tuple[str, ...]
    size: str = ""  # the size to try, as the kiosk and phone say it ("Zum Anprobieren: L (oder XL) – L: 2 hier")


@dataclass(frozen=True)
class Sheet:
    """The case as a sales person reads it, in the console's language."""

    header: Header
    answers: tuple[AnswerRow, ...]
    fit: str  # "11 Zelte passen"
    picks: tuple[Pick, ...]
    history: tuple[str, ...]  # relaxations taken or offered, critiques, viewed and compared products
    dropped: tuple[str, ...] = ()  # what the stored session held that this questionnaire no longer accepts
    appointments: tuple[str, ...] = ()  # "Termin: Heute 14:30–14:50 Uhr · bei Anna · gebucht"
    # The product the shopper looked at last, with price and stock ("Zuletzt angesehen: Nebelmeer 800 · 129,95 € ·
    # 5 vorrätig – 1. OG, Regal 8"): a chat's "Habt ihr den auch in lang?" is about it. "" when none was opened.
    last_viewed: str = ""
    asked: str = ""  # the shopper's last chat message ("Habt ihr den Schlafsack auch in lang?"), "" without one
    # What a colleague does with this customer, said first: "Anna Berger betreut diesen Kunden …", "Ben Koch hat
    # „Personen“ geändert (14:05)" (a change by another staff member than the console's).
    colleagues: tuple[str, ...] = ()
    notes_before: tuple[str, ...] = ()  # staff notes on the customer's other requests ("Notiz (Heute 14:05): …")


@dataclass(frozen=True)
class Case:
    """One case as the console shows it: the stored session, its advice now, the chat and notes."""

    key: CaseKey
    record: store.Record
    session: AdviceSession
    recommendation: Recommendation | None
    messages: tuple[Message, ...] = ()
    notes: str = ""
    kind: str = ""  # the request's kind, or how it was opened without one ("code", "appointment"; "" as "code")
    requested_at: datetime | None = None
    sheet: Sheet | None = None
    appointments: tuple[agenda.Entry, ...] = ()  # the customer's booked or checked-in appointments still ahead
    # The chat of the customer's other requests (closed ones too), each under its heading, oldest first: to read.
    earlier: tuple[tuple[str, tuple[Message, ...]], ...] = ()
    notes_key: NotesKey | None = None  # where `notes` are kept (None: nowhere, the notes field stays shut)
    chat_note: str = ""  # why there is no chat to write in, or that the phone of a chat on it went quiet ("": neither)
    staff: str | None = None  # the staff member whose console reads the case
    held_by: str | None = None  # a colleague who holds an open request of this customer
    changes: tuple[Change, ...] = ()  # answers staff changed, oldest first
    other_notes: tuple[str, ...] = ()  # notes of the customer's other requests, as the sheet says them
    arrived: agenda.Entry | None = None  # opened for a checked-in appointment: that appointment (today's)
    # What the store has set aside now (booking.Holds, with the customer's own): the stock lines' shelf. None: the
    # session's own view (what others hold).
    shelf: Mapping[str, int] | None = None
    channel: str | None = None  # where the customer is for the request: "kiosk", "web" (None: where they began)
    kiosk_id: str | None = None  # the kiosk the request was asked at (None: the one the session began at)


@dataclass(frozen=True)
class CaseLine:
    """A line of "my cases": code, questionnaire, kind and time; with the shopper's messages so far."""

    key: CaseKey
    text: str
    shopper_messages: int = 0


@dataclass(frozen=True)
class QueueLine:
    """A waiting customer: where and what they asked for; how long they have waited is said when the line is shown
    (a screen counts it up from the request's time without reading again)."""

    entry: QueueEntry
    where: str  # "Kiosk Zeltabteilung, 1. OG" ("" when the session is gone)
    asked: str  # "Beratung vor Ort · Zeltberater"
    in_person: bool = False  # someone stands at the kiosk waiting for a person to come: marked, to go first

    def shown(self, desk: Desk, now: datetime) -> str:
        """Three short lines, the wait first: "1. wartet seit 4 Min.", "Kiosk Zeltabteilung, 1. OG", "Beratung vor
        Ort · Zeltberater" (a narrow queue column wraps no line in the middle of a place)."""
        first = f"{self.entry.position}. {desk.waiting(self.entry.requested_at, now)}"
        return "\n".join(part for part in (first, self.where, self.asked) if part)

    def said(self, desk: Desk, now: datetime) -> str:
        """The line for assistive technology: a shopper standing at the kiosk is said first, as the mark shows it
        to the eye ("Kunde wartet am Kiosk: 1. wartet seit 4 Min. …")."""
        shown = self.shown(desk, now).replace("\n", ", ")
        return f"{desk.t('console.in_person')}: {shown}" if self.in_person else shown


@dataclass(frozen=True)
class ConsoleView:
    """Everything the console shows, as of one read."""

    queue: tuple[QueueLine, ...]
    cases: tuple[CaseLine, ...]
    case: Case | None  # the selected one
    problem: str = ""  # a stored session that could not be opened, said for staff
    ended: tuple[tuple[int, str], ...] = ()  # cases of this staff member ended by the shopper: (request, notice)
    present: bool = True  # the staff member counts as at a console (False: their other console signed them out)
    preview: Case | None = None  # the chosen waiting customer's case, read before anyone claims it (no chat yet)


def title_of(questionnaires: Mapping[str, Questionnaire], questionnaire_id: str, locale: str = "de") -> str:
    questionnaire = questionnaires.get(questionnaire_id)
    return pick(questionnaire.title, locale) if questionnaire else questionnaire_id


def staff_recommendation(session: AdviceSession, locale: str) -> Recommendation:
    """The session's advice in the staff's language, reasons phrased about the customer, products in the order
    the shopper sees them (the top pick, then the alternatives group by group)."""
    assert session.index is not None
    order = session.decision(log=False).display_order()  # (the shopper saw none of it: nothing logged)
    result = core.recommend(
        index=session.index, questionnaire=session.questionnaire, state=session.state, locale=locale,
        critiques=session.critiques, address=STAFF, store=session.store_id, held=session.held,
    )  # fmt: skip
    rank = {sku: position for position, sku in enumerate(order)}
    products = tuple(sorted(result.products, key=lambda item: rank.get(item.sku, len(rank))))
    return Recommendation(result.count, products, result.relaxations, result.critiques, result.constraints)


def sheet(case: Case, desk: Desk, *, now: datetime | None = None) -> Sheet:
    """The case for a sales person: who and where, the answers with their questions, the shortlist with price,
    stock and shelf, what the shopper took and met."""
    now = now or datetime.now(UTC)
    session, record, locale = case.session, case.record, desk.locale
    shelf = session.held if case.shelf is None else case.shelf
    questionnaire = session.questionnaire
    since = case.requested_at or record.expires_at
    header = Header(
        title=pick(questionnaire.title, locale),
        kind=desk.kind(case.kind, record.origin, case.channel) if case.kind else desk.t("console.kind.code"),
        where=desk.where(record, case.channel, case.kiosk_id),
        since=desk.t("console.asked", time=desk.time(since)) if case.requested_at else "",
        language=desk.t(f"console.language.{session.locale}"),
        code=shown(record.resume_code),
        customer=desk.customer(case.arrived) if case.arrived is not None else "",
    )
    answers = tuple(
        AnswerRow(step_id, pick(step.question, locale),
                  session.answer_text(step_id, locale) if step_id in session.state.answers
                  else "", open=step_id not in session.state.answers, label=short_question(step, locale))
        for step_id in flow.path_of(questionnaire, session.state.answers)
        if (step := questionnaire.step(step_id))
    )  # fmt: skip
    index = session.index
    picks: tuple[Pick, ...] = ()
    fit, history = "", []
    offered_now: set[tuple[str, ...]] = set()
    if questionnaire.is_service:  # help with the shopper's own product: which one, and what the flow offered
        owned = session.owned()
        fit = desk.t("console.own_product", name=f"{pick(owned.name, locale)} ({owned.sku})") if owned else (
            desk.t("console.own_product_unknown"))  # fmt: skip
        if session.state.complete:
            offered = [pick(item.outcome.title, locale) for item in session.outcomes()]
            history.append(desk.t("console.help_offered", titles=", ".join(offered) or "–"))
    elif index is not None:
        result = staff_recommendation(session, locale)
        if session.state.answers:
            fit = text("console.fit.one" if result.count == 1 else "console.fit.other", locale, count=result.count,
                       category=category_noun(index, locale, result.count))  # fmt: skip
        else:  # nothing answered yet: every product is still in question, the list is the usual first picks
            fit = text("console.fit.unanswered", locale, count=result.count, category=category_noun(index, locale))
        picks = tuple(
            replace(_pick(ranked, record.store_id, locale, index, shelf),
                    size=size_text(advice, locale, STAFF) if (advice := session.size_advice(ranked.sku)) else "")
            for ranked in result.products
        )  # fmt: skip
        history += [
            desk.t("console.offered_now", labels=quoted(r.labels, locale), count=r.count) for r in result.relaxations
        ]
        offered_now = {tuple(r.drop) for r in result.relaxations}
        history += [
            desk.t("console.critique", attribute=attribute_label(index, c.attribute, locale),
                   sign="<" if c.direction == "lower" else ">", value=format_value(index, c.attribute, c.reference,
                                                                                   locale))
            for c in session.critiques
        ]  # fmt: skip
    for met in session.relaxations:
        if not met.get("applied") and tuple(str(key) for key in met.get("drop", ())) in offered_now:
            continue  # offered still: said once, as offered now (not also as declined)
        labels = quoted([str(name) for name in met.get("labels", met.get("drop", []))], locale)
        key = "console.took" if met.get("applied") else "console.was_offered"
        history.append(desk.t(key, labels=labels, count=met.get("count", "?")))
    if index is not None and not questionnaire.is_service:
        if session.viewed:
            history.append(desk.t("console.viewed", names=product_names(index, session.viewed, locale)))
        if session.compared:
            history.append(desk.t("console.compared", names=product_names(index, session.compared, locale)))
    dropped = tuple(desk.t("console.not_taken", item=item) for item in session.dropped)
    viewed = ""
    if index is not None and not questionnaire.is_service and session.viewed:
        viewed = desk.t("console.last_viewed", product=_viewed(session.viewed[-1], record.store_id, locale, index,
                                                               shelf))  # fmt: skip
    said = [line.text for line in case.messages if line.sender == "shopper"]
    changed = [(change, _changed_line(change, questionnaire, desk, now)) for change in case.changes]
    history += [line for _, line in changed]
    colleagues = [desk.t("console.held_by", staff=case.held_by)] if case.held_by else []
    by_others = [line for change, line in changed if case.staff is not None and change.staff != case.staff]
    colleagues += by_others[-1:]  # the latest: what changed under this console's eyes
    return Sheet(header, answers, fit, picks, tuple(history), dropped,
                 tuple(desk.appointment(entry, now) for entry in case.appointments),
                 last_viewed=viewed, asked=said[-1] if said else "", colleagues=tuple(colleagues),
                 notes_before=case.other_notes)  # fmt: skip


def _when(desk: Desk, moment: datetime, now: datetime) -> str:
    """A time today ("14:05"), or the day and time ("Fr 04.12. 14:05")."""
    day = moment.astimezone(desk.zone).date()
    if day == now.astimezone(desk.zone).date():
        return desk.time(moment)
    return f"{desk.day(day)} {desk.time(moment)}"


def _changed_line(change: Change, questionnaire: Questionnaire, desk: Desk, now: datetime) -> str:
    """ "Ben Koch hat „Personen“ geändert (14:05)": the question by its short label."""
    step = questionnaire.step(change.step_id) if change.step_id in questionnaire.positions else None
    question = short_question(step, desk.locale) if step is not None else change.step_id
    return desk.t("console.changed_by", staff=change.staff, question=question, time=_when(desk, change.at, now))


def _viewed(sku: str, store_id: str | None, locale: str, index: CategoryIndex, held: Mapping[str, int]) -> str:
    """A product the shopper opened, as a sales person fetches it: name, price, stock and shelf in this store."""
    if sku not in index.position:  # (gone from the catalog since): by its article number
        return sku
    product = index.products[index.position[sku]]
    stock = stock_in(product, store_id, locale, None, index, held, address=STAFF)
    return f"{pick(product.name, locale)} · {price_text(product, locale)} · {stock.text(locale)}"


def _pick(
    ranked: core.Ranked, store_id: str | None, locale: str, index: CategoryIndex, held: Mapping[str, int]
) -> Pick:
    # Variants in the dictionary's words; what is set aside for appointments is not on the shelf.
    stock = stock_in(ranked.product, store_id, locale, ranked.variants, index, held, address=STAFF)
    return Pick(
        ranked.sku, pick(ranked.product.name, locale), price_text(ranked.product, locale, ranked.variants),
        stock.text(locale),
        stock.count > 0, tuple(reason.text for reason in ranked.reasons),
        tuple(tradeoff.text for tradeoff in ranked.tradeoffs),
    )  # fmt: skip


def open_case(
    engine: Engine,
    key: CaseKey,
    questionnaires: Mapping[str, Questionnaire],
    index_for: IndexFor,
    desk: Desk | None = None,
    *,
    kind: str = "",
    requested_at: datetime | None = None,
    now: datetime | None = None,
    catalog: CatalogIndex | None = None,
    appointments: bool = True,
    staff: str | None = None,
) -> Case | None:
    """A case with its advice worked out and its sheet for staff (with the customer's appointments ahead, unless
    `appointments` is False: opened from an appointment, which says when already); None when the stored session is
    gone. SessionError when its questionnaire is not offered here.

    Read as `staff` reads it: the chat and notes of the customer's other requests (closed ones too) come with it, to
    read; a colleague who holds an open request of the customer and answers colleagues changed are named. Its notes
    are kept with its request; opened by code, with the customer's latest request; opened for a checked-in
    appointment, with that appointment (the notes the appointments window shows)."""
    request_id, session_id = key
    record = store.read(engine, session_id)
    if record is None:
        return None
    session = store.load(record, questionnaires, index_for=index_for)
    session.catalog = catalog  # a service run's parts live in other categories
    shelf: Mapping[str, int] | None = None
    if session.store_id and session.index is not None:
        # What is set aside for this customer counts as there for them (staff fetch it for them), and their stock
        # lines say it is set aside for them rather than counting it as on the shelf.
        shelf, elsewhere = booking.holds_of(engine, store_id=session.store_id, for_session=session_id, now=now)
        session.use_holds(elsewhere)
    # (read, not logged: the shopper saw nothing of what the console works out, no offer among it)
    result = (
        session.recommendation(log=False)
        if session.index is not None and not session.questionnaire.is_service
        else None
    )
    lines = tuple(messages(engine, request_id)) if request_id is not None else ()
    desk = desk or Desk()
    moment = now or datetime.now(UTC)
    # A customer checked in today belongs to their appointment's case for the rest of the day, their slot ended or
    # not (late); a request's case names the appointments ahead.
    today = agenda.checked_in_today(engine, session_id=session_id, zone=desk.zone, locale=desk.locale, now=now) if (
        request_id is None and kind == "appointment") else []  # fmt: skip
    ahead = agenda.upcoming(engine, session_id=session_id, zone=desk.zone, locale=desk.locale, now=now,
                            states=("booked", "checked_in")) if appointments else []  # fmt: skip
    booked = tuple(sorted({entry.appointment_id: entry for entry in (*today, *ahead)}.values(),
                          key=lambda entry: entry.starts_at)) if appointments else ()  # fmt: skip
    arrived: agenda.Entry | None = None
    found = _requests_of(engine, session_id)
    held_by = next((row.claimed_by for row in reversed(found) if row.state == State.CLAIMED
                    and row.claimed_by and row.claimed_by != staff and row.id != request_id), None)  # fmt: skip
    if staff is None:
        held_by = None
    notes_key: NotesKey | None = None
    notes, chat_note = "", ""
    if request_id is not None:
        notes_key = ("request", request_id)
        notes = next((row.notes or "" for row in found if row.id == request_id), "")
        chat_note = _phone_quiet(desk, next((row for row in found if row.id == request_id), None), moment)
    elif kind == "appointment":
        arrived = today[-1] if today else None  # (the latest, should they have come twice today)
        if arrived is not None:
            notes_key, notes = ("appointment", arrived.appointment_id), arrived.notes
        chat_note = desk.t("console.chat.appointment")
    elif found:  # opened by code: the notes of the customer's latest request, to read and add to
        notes_key, notes = ("request", found[-1].id), found[-1].notes or ""
    others = [row for row in found if row.id != request_id]
    earlier = []
    for row in others:
        said = tuple(messages(engine, row.id))
        if said:
            when = _when(desk, _aware(row.requested_at), moment)
            kind_said = desk.kind(row.kind, record.origin, row.channel)
            if row.state == State.CLAIMED and row.claimed_by:  # a colleague's chat going on now, not history
                heading = desk.t("console.chat.open", staff=row.claimed_by, when=when, kind=kind_said)
            else:
                heading = desk.t("console.chat.earlier", when=when, kind=kind_said)
            earlier.append((heading, said))
    other_notes = tuple(
        desk.t("console.note_before", when=_when(desk, _aware(row.requested_at), moment), notes=row.notes.strip())
        for row in others if (row.notes or "").strip() and ("request", row.id) != notes_key
    )  # fmt: skip
    if request_id is None and kind != "appointment":
        if held_by is not None and any(row.state in (State.REQUESTED, State.CLAIMED) for row in found):
            chat_note = desk.t("console.chat.held", staff=held_by)
        elif earlier:
            chat_note = desk.t("console.chat.history")
        else:
            chat_note = desk.t("console.chat.none")
    case = Case(key, record, session, result, lines, notes, kind, requested_at, appointments=booked,
                earlier=tuple(earlier), notes_key=notes_key, chat_note=chat_note, staff=staff, held_by=held_by,
                changes=tuple(changes_of(engine, session_id)), other_notes=other_notes, arrived=arrived,
                shelf=shelf, channel=next((row.channel for row in found if row.id == request_id), None),
                kiosk_id=next((row.kiosk_id for row in found if row.id == request_id), None))  # fmt: skip
    return replace(case, sheet=sheet(case, desk, now=now))


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes: they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _phone_quiet(desk: Desk, row: Any, now: datetime) -> str:
    """A chat on the customer's phone whose phone has not been seen for a while ("Handy zuletzt aktiv vor 4 Min."):
    its tab may be closed, and a claimed chat never ends by itself. "" otherwise."""
    if row is None or row.channel != WEB or row.state not in OPEN_STATES:
        return ""
    quiet = quiet_for(row.shopper_seen_at, now)
    if quiet is None:
        return ""
    return desk.elapsed("console.chat.phone_seen", int(quiet.total_seconds() // 60))


def _requests_of(engine: Engine, session_id: str) -> list[Any]:
    """A customer's handoff requests, oldest first: id, kind, state, who claimed it, when asked, the notes, where the
    customer is (channel, kiosk), when their phone was last seen."""
    query = (
        sa.select(REQUEST.c.id, REQUEST.c.kind, REQUEST.c.state, REQUEST.c.claimed_by, REQUEST.c.requested_at,
                  REQUEST.c.notes, REQUEST.c.channel, REQUEST.c.shopper_seen_at, REQUEST.c.kiosk_id)
        .where(REQUEST.c.session_id == session_id)
        .order_by(REQUEST.c.id)
    )  # fmt: skip
    with reading(engine) as connection:
        return list(connection.execute(query).all())


@dataclass(frozen=True)
class CodeOpened:
    """A customer opened by the code they read out at a console: their session, and the request of theirs this
    staff member holds now (a waiting one claimed on opening, or theirs already), else the colleague who holds it."""

    session_id: str
    request_id: int | None = None
    held_by: str | None = None
    taken_from: str | None = None  # the colleague (signed out) whose case this staff member took over on opening


def open_code(
    engine: Engine, code: str, *, client: str, staff: str, unclaimed_after: timedelta | None = None,
    now: datetime | None = None, in_transaction: InTransaction | None = None,
) -> CodeOpened:  # fmt: skip
    """Open a customer by their code at a console (wrong codes limited as `open_by_code` limits them). A request of
    theirs still waiting in the queue (asked within `unclaimed_after`) is claimed for `staff` as a claim from the
    queue is, in one conditional change: of two consoles opening the same code at once, one wins, the other is told
    who has the customer. Their chat then comes with the case and the queue no longer lists them: an older request
    of theirs still waiting (a chat, then a consultant) is claimed for `staff` as well, so no colleague sets off
    for a customer who is already served. A request of theirs that a colleague holds who has signed out since is
    taken over (`taken_from`); one that a colleague at work holds is theirs (`held_by`)."""
    stored = open_by_code(engine, code, client=client, in_store=True, now=now)
    moment = now or datetime.now(UTC)
    found = _requests_of(engine, stored.id)
    mine = [row.id for row in found if row.state == State.CLAIMED and row.claimed_by == staff]
    if mine:
        return CodeOpened(stored.id, int(mine[-1]))
    waiting = [
        row for row in found if row.state == State.REQUESTED
        and (unclaimed_after is None or _aware(row.requested_at) >= moment - unclaimed_after)
    ]  # fmt: skip
    for position, row in enumerate(reversed(waiting)):  # the newest first: what the customer asked last
        won = claim_outcome(engine, int(row.id), staff=staff, now=now, in_transaction=in_transaction)
        if won.outcome in (Outcome.WON, Outcome.YOURS):
            for older in list(reversed(waiting))[position + 1 :]:  # their other asks: served by the same person
                claim_outcome(engine, int(older.id), staff=staff, now=now, in_transaction=in_transaction)
            return CodeOpened(stored.id, int(row.id))
        if won.outcome == Outcome.TAKEN and won.by:
            return CodeOpened(stored.id, None, won.by)
    held = [row for row in _requests_of(engine, stored.id) if row.state == State.CLAIMED and row.claimed_by]
    for row in reversed(held):  # held by a colleague who has signed out since: taken over (a shift change)
        if take_over(engine, int(row.id), staff=staff, left_by=row.claimed_by, now=now):
            return CodeOpened(stored.id, int(row.id), taken_from=row.claimed_by)
    return CodeOpened(stored.id, None, held[-1].claimed_by if held else None)


def save_case_notes(engine: Engine, key: NotesKey, notes: str, *, base: str | None = None) -> SavedNotes:
    """Store a case's notes where they are kept (`Case.notes_key`): with a request, or with an appointment. With
    `base` (the notes as the console last read or stored them) a colleague's notes stored meanwhile are kept too
    (`joined_notes`, within the limit); the notes as stored are returned, with what of these had no room."""
    kind, which = key
    if kind != "appointment":
        return save_notes(engine, int(which), notes, base=base)
    whole = notes.replace("\t", " ")
    if base is not None:  # (read, then written: `agenda.set_notes` keeps its own transaction)
        now = agenda.entry(engine, appointment_id=str(which), zone=UTC, locale="de")
        whole = joined_notes(base, now.notes if now is not None else base, whole)
    kept = whole[: agenda.MAX_NOTES] if base is not None else whole
    agenda.set_notes(engine, appointment_id=str(which), notes=kept)
    return SavedNotes(kept, whole[len(kept) :])


def _shopper_messages(engine: Engine, request_ids: Sequence[int]) -> dict[int, int]:
    if not request_ids:
        return {}
    query = (
        sa.select(CHAT.c.request_id, sa.func.count())
        .where(CHAT.c.request_id.in_(request_ids), CHAT.c.sender == "shopper")
        .group_by(CHAT.c.request_id)
    )
    with reading(engine) as connection:
        return {int(request_id): int(count) for request_id, count in connection.execute(query)}


def _ended(engine: Engine, request_ids: Sequence[int], desk: Desk, staff: str) -> tuple[tuple[int, str], ...]:
    """Of the requests the console showed as this staff member's, those the shopper ended (the console closes
    its own): said so staff do not walk to an empty kiosk; those a colleague took over meanwhile; and those deleted
    meanwhile with the customer's data (an erasure, the purge), which would otherwise vanish without a word."""
    if not request_ids:
        return ()
    query = sa.select(REQUEST.c.id, REQUEST.c.state, REQUEST.c.session_id, REQUEST.c.claimed_by).where(
        REQUEST.c.id.in_(request_ids)
    )
    with reading(engine) as connection:
        rows = connection.execute(query).all()
    ended = [(request_id, desk.t("console.erased")) for request_id in sorted(set(request_ids) - {r.id for r in rows})]
    for row in rows:
        taken = row.state == State.CLAIMED and row.claimed_by != staff
        if row.state not in (State.CANCELLED, State.EXPIRED) and not taken:
            continue  # (still this staff member's, or closed by this console)
        record = store.read(engine, row.session_id)
        code = shown(record.resume_code) if record else "?"
        if row.state == State.CLAIMED:  # a colleague took it over while this console was away (a shift change)
            ended.append((int(row.id), desk.t("console.taken_by", code=code, staff=row.claimed_by)))
        else:
            ended.append((int(row.id), desk.t("console.ended", code=code)))
    return tuple(ended)


def console_view(
    engine: Engine,
    *,
    staff: str,
    opened: Mapping[str, str],
    selected: CaseKey | None,
    questionnaires: Mapping[str, Questionnaire],
    index_for: IndexFor,
    desk: Desk | None = None,
    known: Sequence[int] = (),
    now: datetime | None = None,
    catalog: CatalogIndex | None = None,
    preview: int | None = None,
    unclaimed_after: timedelta | None = None,
) -> ConsoleView:
    """The queue, the staff member's cases (claimed, and `opened`: session id -> how it was opened, "code" or
    "appointment" for a shopper checked in), the selected case, and which of the `known` claimed requests the
    shopper has ended meanwhile, and whether the staff member still counts as at a console; with `preview`, a
    waiting request's case, to read before claiming it. A request nobody claimed within `unclaimed_after` has
    expired by the store's rule: it is not queued (nor rung for) any more."""
    desk, now = desk or Desk(), now or datetime.now(UTC)
    records: dict[str, store.Record | None] = {}

    def record_of(session_id: str) -> store.Record | None:
        if session_id not in records:
            records[session_id] = store.read(engine, session_id)
        return records[session_id]

    def title(session_id: str) -> str:
        record = record_of(session_id)
        return title_of(questionnaires, record.snapshot.questionnaire_id, desk.locale) if record else "?"

    waiting = queue(engine) if unclaimed_after is None else queue(engine, unclaimed_after=unclaimed_after, now=now)
    mine = claimed_by(engine, staff)
    # Read apart: a claim of this console that commits between the two readings is in `mine` and must not also
    # wait in the queue (pressing "claim" on it again would do nothing).
    claimed_ids = {entry.request_id for entry in mine}
    lines = []
    for entry in waiting:
        if entry.request_id in claimed_ids:
            continue
        record = record_of(entry.session_id)
        asked = (
            f"{desk.kind(entry.kind, record.origin if record else 'kiosk', entry.channel)} · {title(entry.session_id)}"
        )
        if record is not None and record.snapshot.locale != desk.locale:  # who can serve them, read at a glance
            asked = f"{asked} · {desk.t(f'console.language.{record.snapshot.locale}')}"
        if entry.left_by is not None:  # (a shift change: the colleague who had it signed out)
            asked = f"{asked} · {desk.t('console.queue.left_by', staff=entry.left_by)}"
        lines.append(QueueLine(entry, desk.where(record, entry.channel, entry.kiosk_id) if record else "", asked,
                               entry.kind == "consultant"))  # fmt: skip
    unread = _shopper_messages(engine, [entry.request_id for entry in mine])
    cases: list[CaseLine] = []
    for entry in mine:
        record = record_of(entry.session_id)
        code = shown(record.resume_code) if record else "?"
        kind = desk.kind(entry.kind, record.origin if record else "kiosk", entry.channel)
        cases.append(CaseLine((entry.request_id, entry.session_id),
                              f"{code} · {title(entry.session_id)} · {kind} · {desk.time(entry.requested_at)}",
                              unread.get(entry.request_id, 0)))  # fmt: skip
    for session_id, how in opened.items():
        record = record_of(session_id)
        code = shown(record.resume_code) if record else "?"
        line = f"{code} · {title(session_id)} · {desk.t(f'console.kind.{how}')}"
        came = agenda.checked_in_today(engine, session_id=session_id, zone=desk.zone, locale=desk.locale,
                                       now=now) if how == "appointment" else []  # fmt: skip
        if came:  # named, with the appointment's time, as the appointments window names them
            line = f"{came[-1].name} · {line} · {came[-1].starts_at.astimezone(desk.zone):%H:%M}"
        cases.append(CaseLine((None, session_id), line))
    ended = _ended(engine, [request_id for request_id in known if request_id not in claimed_ids], desk, staff)
    case, problem = None, ""
    if selected is not None and any(line.key == selected for line in cases):
        claimed = next((entry for entry in mine if entry.request_id == selected[0]), None)
        kind = claimed.kind if claimed else opened.get(selected[1], "code")
        try:
            case = open_case(engine, selected, questionnaires, index_for, desk, kind=kind,
                             requested_at=claimed.requested_at if claimed else None, now=now,
                             catalog=catalog, staff=staff)  # fmt: skip
        except SessionError as error:
            problem = desk.t("console.problem.session", reason=str(error))
    waiting_case = None
    chosen = next((line.entry for line in lines if line.entry.request_id == preview), None)
    if chosen is not None:
        try:
            key = (chosen.request_id, chosen.session_id)
            waiting_case = open_case(engine, key, questionnaires, index_for, desk, kind=chosen.kind,
                                     requested_at=chosen.requested_at, now=now, catalog=catalog,
                                     staff=staff)  # fmt: skip
        except SessionError:  # (said when it is claimed and opened; a preview just stays away)
            waiting_case = None
    return ConsoleView(tuple(lines), tuple(cases), case, problem, ended, staff in available(engine, now=now),
                       preview=waiting_case)  # fmt: skip


def change_answer(
    engine: Engine,
    session_id: str,
    step_id: str,
    value: Any,
    *,
    questionnaires: Mapping[str, Questionnaire],
    index_for: IndexFor,
    staff: str | None = None,
) -> tuple[str, ...]:
    """A staff member changes one answer for the shopper: every other answer kept, written conditionally and
    merged with the kiosk's changes (InvalidAnswer or SessionError when it does not fit); who changed which answer
    is kept (`staff`), for a colleague's console to name it. Returns the steps the change brought onto the path
    that still wait for an answer."""
    record = store.read(engine, session_id)
    if record is None:
        raise store.SessionGone("this advice session has expired or was deleted")
    session = store.load(record, questionnaires, index_for=index_for)
    before = set(flow.path_of(session.questionnaire, session.state.answers))
    session.change_answer(step_id, value)
    store.save(engine, session_id, session)
    if staff:
        record_change(engine, session_id, staff=staff, step_id=step_id)
    answers = session.state.answers
    return tuple(s for s in flow.path_of(session.questionnaire, answers) if s not in before and s not in answers)
