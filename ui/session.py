"""The kiosk's view of one advice session: the core's `AdviceSession` in, Qt signals out.

No advice rules live here: commands go to the session service, and what the shopper does is written to the
stored session (once the session has left the kiosk) on a worker thread, never on the GUI thread.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from advisor.rendering.compare import can_compare
from ui.ops import Lane

if TYPE_CHECKING:  # the engine and recommender (numpy, the catalog tables) load after the first screen is up
    from sqlalchemy.engine import Engine

    from advisor import engine
    from advisor.config import Config
    from advisor.engine import SessionState
    from advisor.insights.events import EventLog
    from advisor.questionnaire.model import Questionnaire
    from advisor.recommend.core import Critique, Recommendation, Relaxation
    from advisor.recommend.index import CatalogIndex, CategoryIndex
    from advisor.rendering.service import OutcomeView
    from advisor.session.arrival import CheckedIn
    from advisor.session.events import DomainEvent
    from advisor.session.service import AdviceSession
    from advisor.session.store import Record
    from advisor.session.tracking import EventLogger

WELCOME, CHOOSE, QUESTION, OVERVIEW, RESULTS, DETAIL, COMPARE = (
    "welcome", "choose", "question", "overview", "results", "detail", "compare",
)  # fmt: skip
# Help with a product the shopper owns (service flows): which help, which product, then the questions, the outcomes.
HELP, FIND, OUTCOMES = "help", "find", "outcomes"
RETRY_MS = 1_000  # a write the database could not take is tried again after this
DEFAULT_STORE = "muc-01"  # until the kiosk configuration names its store


@dataclass(frozen=True)
class OpenHandoff:
    """The shopper's handoff request while it is open, as the kiosk last read it (the idle wipe asks first then)."""

    request_id: int
    kind: str  # consultant (a person comes here) or chat
    staff: str | None  # who claimed it; None while it waits in the queue


@dataclass(frozen=True)
class Booked:
    """An appointment of the advice as the kiosk shows it: when (on the store's clock), with whom, the products set
    aside and those none was left of (by name), and whether its confirmation went out by e-mail (None: booked
    before this visit, not said)."""

    appointment_id: str
    starts_at: datetime
    staff_name: str
    held: tuple[str, ...]
    not_held: tuple[str, ...] = ()
    mailed: bool | None = None


class KioskSession(QObject):
    """Holds the shopper's advice session and what is on screen; every change emits `changed`."""

    changed = Signal()
    handoff_changed = Signal()  # the shopper's open request changed (asked, claimed, ended): the top bar says it
    locale_changed = Signal(str)
    accessibility_changed = Signal(bool)
    shopper_gone = Signal()  # `reset`: the shopper is forgotten (the idle wipe, the logo); the next one may be new
    # (Record,) once the session has left the kiosk, (None,) when the database could not take it. A tuple: PySide6
    # mishandles a bare None passed through an `object` signal argument (see ui/ops.py).
    stored = Signal(object)

    def __init__(self, questionnaires: Mapping[str, Questionnaire], locale: str = "de") -> None:
        super().__init__()
        self.questionnaires = dict(questionnaires)
        self.catalog: CatalogIndex | None = None
        self.locale = locale
        self.view = WELCOME
        self.accessible = False  # accessibility mode (larger text, high contrast, read aloud)
        self.guided = False  # speech guidance: everything said, the four keys (ui/keys.py); implies accessible
        self.advice: AdviceSession | None = None
        self.detail_sku: str | None = None
        self.detail_from: str | None = None  # the view the details were opened from (Back returns there)
        self.variant_sku: str | None = None  # the article a scanned barcode named (a service run's product)
        self.engine: Engine | None = None  # the database, once reachable (handoff to staff needs it)
        self.store_id = DEFAULT_STORE  # until the configuration is loaded
        self.store_name = ""
        self.store_names: dict[str, str] = {}  # the catalog's names of the store by language ("Munich City Centre")
        # Every store's names by language as the catalog has them (read once the database is there): where else a
        # product out of stock here is ("Derzeit nicht vorrätig – in Hamburg: 9")
        self.stores: dict[str, dict[str, str]] = {}
        self._store_note: str | None = None  # what the journal was told about [store] id against the catalog
        self.kiosk_id = ""
        self.public_base_url = "http://localhost:8000"  # of the web companion, for the phone's QR code
        self.config: Config | None = None  # the store's configuration, once loaded (behind the first screen)
        self.handoff_request_id: int | None = None
        self.consented = False  # the stored session has the shopper's consent to share it with staff
        self._handoff: OpenHandoff | None = None
        # Once the shopper takes the session elsewhere (staff, phone, summary) it is stored and kept in step.
        self.stored_id: str | None = None
        self.resume_code: str | None = None
        self.checked_in: CheckedIn | None = None  # the appointment the typed code checked in (the window says so)
        # The advice's next booked appointment (booked in this visit, or before and resumed by code): the results
        # lead to it instead of offering a second booking.
        self.booked: Booked | None = None
        self.events: EventLog | None = None  # the anonymous event log for insights, once the database is open
        self._logger: EventLogger | None = None  # the insights subscriber writing to it
        self.grades: dict[str, int] = {}
        self.commented: set[str] = set()
        self.writes = Lane(self, serial=True)  # the stored session's writes, in order, off the GUI thread
        self.reads = Lane(self, serial=True)  # what the results read besides the catalog: the holds
        # Per article, how many the store has set aside for appointments: not on the shelf, so not shown as here;
        # read for which stored advice (None: none stored), as their own set aside (Holds.own) is theirs alone.
        self._holds: tuple[str | None, Mapping[str, int]] = (None, {})
        # The repairs this advice has ordered for its product (pickup code by outcome), read for the outcomes
        # screen, and for which advice run and product they were read: another product has orders of its own.
        self._ordered: tuple[tuple[str | None, str | None], dict[str, str]] = ((None, None), {})
        self.changing: str | None = None  # the step opened from "Deine Antworten" to change its answer
        self._writing = False
        self._missed = False  # another device's change arrived while a write was on its way
        self._creating: bool | None = None  # a first store is on its way (True: the shopper also gave consent)
        self.unwritten = False  # the database could not take the last write: it is retried until it can
        self.told: str | None = None  # what the journal last said is wrong with the database (until it works again)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._write)

    # -- what the screens read --------------------------------------------------------------------------

    @property
    def handoff(self) -> OpenHandoff | None:
        """The shopper's open request to staff, as last read (None: none)."""
        return self._handoff

    @handoff.setter
    def handoff(self, handoff: OpenHandoff | None) -> None:
        if handoff != self._handoff:
            self._handoff = handoff
            self.handoff_changed.emit()

    @property
    def questionnaire(self) -> Questionnaire | None:
        return self.advice.questionnaire if self.advice else None

    @property
    def state(self) -> SessionState | None:
        return self.advice.state if self.advice else None

    @property
    def critiques(self) -> tuple[Critique, ...]:
        return self.advice.critiques if self.advice else ()

    @property
    def compare_skus(self) -> list[str]:
        return list(self.advice.compared) if self.advice else []

    @property
    def viewed(self) -> list[str]:
        return list(self.advice.viewed) if self.advice else []

    @property
    def relaxations_met(self) -> list[dict[str, Any]]:
        return list(self.advice.relaxations) if self.advice else []

    @property
    def rated(self) -> set[str]:
        return set(self.advice.rated) if self.advice else set()

    @property
    def run(self) -> str | None:
        return self.advice.run if self.advice else None

    @property
    def address(self) -> str:
        return self.advice.address if self.advice else "du"

    @property
    def index(self) -> CategoryIndex | None:
        if self.catalog is None or self.questionnaire is None:
            return None
        return self.catalog.categories.get(self.questionnaire.category)

    def recommendation(self) -> Recommendation | None:
        if self.advice is None or self.advice.index is None or self.advice.questionnaire.is_service:
            return None
        return self.advice.recommendation()

    @property
    def service(self) -> bool:
        """Whether the advice on screen is help with a product the shopper owns (a service flow)."""
        return self.advice is not None and self.advice.questionnaire.is_service

    @property
    def finders(self) -> dict[str, Questionnaire]:
        """The questionnaires that recommend products."""
        return {qid: q for qid, q in self.questionnaires.items() if not q.is_service}

    @property
    def service_flows(self) -> dict[str, Questionnaire]:
        """The service flows: help with a product the shopper owns."""
        return {qid: q for qid, q in self.questionnaires.items() if q.is_service}

    def outcome_views(self) -> tuple[OutcomeView, ...]:
        """A service run's outcomes as cards (logged for the insights once per state)."""
        from advisor.rendering.service import outcome_views

        if self.advice is None or not self.service:
            return ()
        return outcome_views(self.advice.outcomes(), catalog=self.catalog, store_id=self.store_id,
                             locale=self.locale, address=self.address)  # fmt: skip

    @property
    def ordered(self) -> dict[str, str]:
        """The repairs among the outcomes this advice has already ordered for the product named now: the pickup
        code of each, by outcome (as read last; {} before the first read, or for another product)."""
        advice = self.advice
        read_for, codes = self._ordered
        return codes if advice is not None and advice.product and read_for == (advice.run, advice.product) else {}

    def read_ordered(self) -> None:
        """Read which repairs shown this advice has ordered already, off the GUI thread; the outcomes screen
        follows when that changed (a repair ordered before is said with its code, not offered as if new)."""
        engine, advice = self.engine, self.advice
        if engine is None or advice is None or not advice.product:
            return
        ids = [view.id for view in self.outcome_views() if view.kind == "repair"]
        read_for = (advice.run, advice.product)

        def read() -> dict[str, str]:
            from advisor.session.help import repairs_ordered

            return repairs_ordered(engine, advice, ids)

        def done(codes: dict[str, str]) -> None:
            if self._ordered != (read_for, codes):
                self._ordered = (read_for, codes)
                self.changed.emit()

        def failed(error: Exception) -> None:
            sys.stderr.write(f"advisor kiosk: repairs not read: {error}\n")

        self.reads.run(read, done, failed)

    def more_choice(self) -> tuple[Relaxation, ...]:
        """When only a few products fit: what to drop to see at least as many as the results show."""
        return self.advice.more_choice() if self.advice else ()

    def live_count(self) -> int | None:
        return self.advice.live_count() if self.advice else None

    def progress(self) -> engine.Progress | None:
        return self.advice.progress() if self.advice else None

    def screen_key(self) -> tuple[Any, ...]:
        """What makes the screen on show a new one for the shopper (speech announces it, focus starts over on it):
        the view, the question, the answers and wishes the results rest on, the product, language and mode."""
        state = self.state
        return (
            self.view, state.current if state else None, repr(state.answers) if state else None,
            repr([critique.key for critique in self.critiques]), self.detail_sku if self.view == DETAIL else None,
            self.locale, self.accessible, self.guided, id(self.advice),
        )  # fmt: skip

    @property
    def position(self) -> str:
        """Where the shopper is, as stored: a step id, or "results"."""
        return self.advice.position if self.advice else "results"

    # -- what the screens do ------------------------------------------------------------------------------

    def _update(self, view: str | None = None) -> None:
        if view is not None:
            self.view = view
        elif self.state is not None:
            self.view = (OUTCOMES if self.service else RESULTS) if self.state.complete else QUESTION
        self._write()
        self.changed.emit()
        if self.view in (RESULTS, DETAIL, COMPARE) or (
            self.view == QUESTION and self.advice is not None and self.advice.questionnaire.asks_stock
        ):  # (a question's live count reads the shelf only when a requirement asks about stock)
            self.read_holds()
        elif self.view == OUTCOMES:
            self.read_ordered()

    @property
    def held(self) -> Mapping[str, int]:
        """Per article, how many the store has set aside for appointments (booking.holds_of): with what is set
        aside for this advice's appointment (Holds.own: its stock lines say "set aside for you") only when read for
        this advice, so that the next shopper at the kiosk is never told another's product is set aside for them."""
        read_for, holds = self._holds
        return holds if read_for == self.stored_id else dict(holds)  # (the shelf stands until read again)

    def read_holds(self) -> None:
        """Read what the store has set aside for appointments, off the GUI thread; the screen follows if it
        changed (a product held for someone else is not shown as on the shelf, one held for this shopper is shown
        as set aside for them)."""
        engine, store_id, own = self.engine, self.store_id, self.stored_id
        if engine is None:
            return

        def read() -> tuple[Mapping[str, int], dict[str, int]]:
            from advisor.appointments.booking import holds_of

            return holds_of(engine, store_id=store_id, for_session=own)

        def done(holds: tuple[Mapping[str, int], dict[str, int]]) -> None:
            every, others = holds  # the shelf as shown; what others' appointments took (the shopper's own is theirs)
            mine = own == self.stored_id  # (not when another advice was opened meanwhile: its own read follows)
            if (own, every) != self._holds or (mine and self.advice is not None and others != self.advice.held):
                self._holds = (own, every)
                if mine and self.advice is not None:
                    self.advice.use_holds(others)
                self.changed.emit()

        def failed(error: Exception) -> None:
            from advisor.db.retry import short_reason

            sys.stderr.write(f"advisor kiosk: holds not read: {short_reason(error)}\n")

        self.reads.run(read, done, failed)

    def _command(self, name: str, *args: Any, view: str | None = None, **kwargs: Any) -> None:
        """One command of the session service; a command that no longer fits (InvalidAnswer, SessionError)
        leaves the screen as it was."""
        from advisor.engine import InvalidAnswer
        from advisor.session.service import SessionError

        assert self.advice is not None
        try:
            getattr(self.advice, name)(*args, **kwargs)
        except (InvalidAnswer, SessionError) as error:
            sys.stderr.write(f"advisor kiosk: {name} refused: {error}\n")
            self.changed.emit()
            return
        self._update(view)

    def _track(self, session: AdviceSession, event: DomainEvent) -> None:
        """The session's events: into the anonymous event log (one subscriber for every channel)."""
        from advisor.session.tracking import EventLogger

        if self.events is None:
            return
        if self._logger is None or self._logger.log is not self.events:  # one subscriber per event log
            self._logger = EventLogger(self.events)
        self._logger(session, event)

    @property
    def scale(self) -> str:
        """The rating scale: German school grades 1-6 (1 best) or five stars (the configuration says)."""
        return self.config.kiosk.feedback_scale if self.config is not None else "grades"

    def rate(self, grade: int, about: str = "advice") -> None:
        """One tap of feedback on the advice (or, after a handoff, on the contact); anonymous."""
        if self.advice is None:
            return
        self.grades[about] = grade
        self._command("rate", grade, scale=self.scale, about=about)

    @property
    def zone(self) -> tzinfo:
        """The store's time zone (its configured default until the configuration is loaded)."""
        from advisor.insights.events import STORE_ZONE

        return self.config.store.zone if self.config is not None else STORE_ZONE

    def comment(self, words: str, about: str = "advice") -> bool:
        """The optional comment after a rating (kiosks with a keyboard); stored apart from the events."""
        from advisor.insights.events import MAX_COMMENT, leave_comment

        if self.engine is None or self.questionnaire is None or about not in self.grades or not words.strip():
            return False
        engine, questionnaire_id, grade, scale = self.engine, self.questionnaire.id, self.grades[about], self.scale
        zone = self.zone  # (the day the report shows)
        self.writes.run(
            lambda: leave_comment(engine, questionnaire_id=questionnaire_id, grade=grade, scale=scale, about=about,
                                  comment=words[:MAX_COMMENT], zone=zone),
        )  # fmt: skip
        self.commented.add(about)
        self.changed.emit()
        return True

    # -- the stored session (handoff, phone, summary) ----------------------------------------------------------

    @property
    def retention_days(self) -> int:
        """How long a stored session is kept (the configuration; 14 days by default)."""
        return self.config.privacy.session_retention_days if self.config is not None else 14

    def share(self, *, consent: bool = False) -> None:
        """Store the session (once) so it can leave the kiosk; `stored` is emitted with the Record (None when
        the database cannot be reached). Later changes follow it into the database."""
        from datetime import timedelta

        from advisor.handoff.sessions import give_consent
        from advisor.session import store

        engine, advice, stored_id = self.engine, self.advice, self.stored_id
        if engine is None or advice is None:
            self.stored.emit((None,))
            return
        if stored_id is None and self._creating is not None:
            self._creating = self._creating or consent  # a second tap while the first is being stored: one session
            return
        if stored_id is None:
            self._creating = consent
            twin = _copy(advice)  # the worker stores a copy: the shopper's session stays on the GUI thread
            store_id, kiosk_id, lifetime = self.store_id, self.kiosk_id or None, timedelta(days=self.retention_days)

            def create() -> Record:
                return store.create(engine, twin, store_id=store_id, kiosk_id=kiosk_id, consent=consent,
                                    lifetime=lifetime)  # fmt: skip

            self.writes.run(create, lambda record: self._shared(advice, record), self._not_shared)
            return

        def read() -> Record | None:
            if consent:
                give_consent(engine, stored_id)
            return store.read(engine, stored_id)

        self.writes.run(read, lambda record: self._shared(advice, record), self._not_shared)

    def _not_shared(self, error: Exception) -> None:
        self._creating = None
        self.journal(error, "the session was not stored (no code, summary or request)")
        self.stored.emit((None,))

    def journal(self, error: Exception, what: str) -> str:
        """One journal line on why the database failed the kiosk: which database and its reason in a line (never the
        statement, whose parameters are the shopper's answers), and `what` did not happen; said once until the
        database works again. Returns what is wrong (`database_trouble`): the screens tell the shopper the truth."""
        from advisor.db.engine import shown_url
        from advisor.db.retry import AWAY, DAMAGED, FULL, database_trouble, short_reason

        trouble = database_trouble(error)
        if trouble != self.told:
            self.told = trouble
            problem = {DAMAGED: "the database file is damaged", FULL: "the database cannot store anything",
                       AWAY: "the database did not answer"}[trouble]  # fmt: skip
            where = shown_url(str(self.engine.url)) if self.engine is not None else "no database"
            sys.stderr.write(f"advisor kiosk: {problem} ({where}): {short_reason(error)}; {what}\n")
            sys.stderr.flush()
        return trouble

    def _shared(self, advice: AdviceSession, record: Record | None) -> None:
        wanted_consent, self._creating = self._creating, None
        if record is not None and advice is self.advice:
            if self.stored_id is None:
                self.stored_id = record.id
                advice.saved(record.version, applied=0)  # what the shopper did meanwhile is still to be written
                if wanted_consent and not record.consent:  # asked for again while it was being stored
                    self.share(consent=True)
                    return
            self.resume_code = record.resume_code
            self.consented = record.consent
            self._write()
        self.stored.emit((record,))

    def _write(self) -> None:
        """Write what changed to the stored session, on the writer lane; retried while the database is away."""
        from advisor.session import store

        advice, stored_id, engine = self.advice, self.stored_id, self.engine
        if advice is None or stored_id is None or engine is None or not advice.pending or self._writing:
            return
        self._writing = True
        snapshot, version, applied = advice.snapshot(), advice.version, len(advice.pending)

        def write() -> tuple[bool, Record | None]:
            if store.write(engine, stored_id, snapshot, version):
                return True, None
            return False, store.read(engine, stored_id)

        def done(outcome: tuple[bool, Record | None]) -> None:
            self._writing = False
            written, record = outcome
            if self.unwritten and written:
                sys.stderr.write("advisor kiosk: the session kept in memory is stored again\n")
            elif self.unwritten and record is None:  # (deleted, purged, or an older backup put back)
                sys.stderr.write(
                    "advisor kiosk: the session kept in memory is not in the database any more: it "
                    "is not stored; a code or summary asked for stores it anew, under a new code\n"
                )
            # (someone else wrote first: the next write, with their changes taken in, stores it)
            still = self.unwritten and not written and record is not None and advice is self.advice
            self.unwritten, self.told = still, None
            if advice is not self.advice:
                return
            if written:
                advice.saved(version + 1, applied=applied)
                if self._missed:  # another device wrote while this write was on its way: look again
                    self._missed = False
                    self._follow(engine, stored_id)
            elif record is None:  # purged meanwhile: the advice goes on here, nothing more is written
                self.stored_id = None
                return
            else:  # someone else (staff) wrote first: take theirs, with the shopper's changes re-applied
                advice.rebase(record.snapshot, record.version)
                self._update()
            self._write()

        def failed(error: Exception) -> None:
            self._writing = False
            if not self.unwritten:
                self.journal(error, "the session is kept in memory until the database takes it")
            self.unwritten = True
            self._retry.start(RETRY_MS)

        self.writes.run(write, done, failed)

    def take_stored(self, record: Record) -> None:
        """Another device (staff at the console) changed the stored session: show what the advice says now."""
        if self.advice is None or record.id != self.stored_id or record.version <= self.advice.version:
            return
        if self._writing:
            self._missed = True  # the write in flight either finds the change or looks again when it is done
            return
        self.advice.rebase(record.snapshot, record.version)
        self._update(None if self.view in (QUESTION, RESULTS, OUTCOMES) else self.view)

    def _follow(self, engine: Engine, stored_id: str) -> None:
        from advisor.session import store

        def read() -> Record | None:
            return store.read(engine, stored_id)

        def take(record: Record | None) -> None:
            if record:  # (gone or expired: nothing to show)
                self.take_stored(record)

        self.writes.run(read, take)

    def phone_link(self, token: str) -> str:
        """The link behind the phone's QR code."""
        return f"{self.public_base_url}/c/{token}"

    @property
    def public_web(self) -> bool:
        """Whether the web companion's public address is set (QR codes and summaries may point to it)."""
        from advisor.config import is_public_address

        return is_public_address(self.public_base_url)

    def configure(self, config: Config) -> None:
        """The store's configuration: which store and kiosk this is, where the web companion lives."""
        self.config = config
        self.store_id = config.store.id
        if self.advice is not None:
            self.advice.store_id = self.store_id
        self.store_name = config.store.name
        self.kiosk_id = config.store.kiosk_name
        self.public_base_url = config.web.public_base_url
        if not self.public_web:  # store IT reads it in the journal; shoppers never see "localhost"
            sys.stderr.write(
                f"advisor kiosk: [web] public_base_url is {self.public_base_url}: phones cannot reach it, so the kiosk "
                "offers no QR code and summaries show only the resume code\n"
            )
        if self.view == WELCOME and self.locale not in config.store.locales or self.state is None:
            self.set_locale(config.store.default_locale)

    def attach_database(self, engine: Engine, events: EventLog) -> None:
        """The database is reachable (at start or after it was down): handoff, stored sessions and insights work."""
        self.engine = engine
        self.events = events
        self._write()
        self.changed.emit()
        self._read_stores(engine)

    def _read_stores(self, engine: Engine) -> None:
        """Read the stores' names off the GUI thread; the screens follow once they are there."""

        def read() -> dict[str, dict[str, str]]:
            return stores_of(engine)

        def done(stores: dict[str, dict[str, str]]) -> None:
            note = self.config.store.unknown_in(stores) if self.config is not None else None
            if note is not None and note != self._store_note:  # (once, not at every reconnect)
                sys.stderr.write(f"advisor kiosk: {note}\n")
            self._store_note = note
            if stores != self.stores:
                self.stores = stores
                self.changed.emit()

        def failed(error: Exception) -> None:
            sys.stderr.write(f"advisor kiosk: stores not read: {error}\n")

        self.reads.run(read, done, failed)

    def store_named(self, store_id: str) -> str | None:
        """A store's name in the shopper's language (its German one where it has no English one), None while not
        known (facts.StoreNamed: said as "anderen Filialen")."""
        names = self.stores.get(store_id, {})
        return names.get(self.locale) or names.get("de")

    @property
    def online(self) -> bool:
        """Whether the database is reachable now (staff, phone and summary need it; the advice does not)."""
        return self.engine is not None

    def set_catalog(self, catalog: CatalogIndex) -> None:
        self.catalog = catalog
        if self.advice is not None and self.advice.use_index(self.index, catalog):  # compared products gone: stored
            self._write()
            if self.view == COMPARE and not can_compare(len(self.advice.compared)):
                self.view = RESULTS  # (a comparison of one is none: the results' compare button asks for more)
        self.changed.emit()

    def set_questionnaires(self, questionnaires: Mapping[str, Questionnaire]) -> None:
        """New versions of the files: new sessions use them; the running one keeps the version it started with."""
        self.questionnaires = dict(questionnaires)
        if self.view == CHOOSE:
            self.changed.emit()

    def set_locale(self, locale: str) -> None:
        if locale != self.locale:
            self.locale = locale
            if self.advice is not None and locale in self.advice.questionnaire.locales:
                self.advice.set_locale(locale)
                self._write()
            self.locale_changed.emit(locale)
            self.changed.emit()

    def show_choices(self) -> None:
        self._update(CHOOSE)

    def show_help(self) -> None:
        """Help with a product the shopper owns: which kind of help."""
        self._close()
        self._update(HELP)

    def set_product(self, sku: str, variant: str | None = None) -> None:
        """The service run's product (found by its barcode, name or picture); on to the questions, or back to the
        outcomes when every question the flow asks about this product is answered."""
        self.variant_sku = variant
        self._command("set_product", sku)  # (the view follows the state: the product may open or close questions)

    def skip_product(self) -> None:
        """The shopper does not know the product: the questions without it (a product named before is forgotten,
        as on the web: its questions and outcomes no longer apply)."""
        if self.advice is not None and self.advice.product:
            self.variant_sku = None
            self._command("set_product", "")  # (the view follows the state: questions the product left out come back)
        else:
            self._update(OUTCOMES if self.state and self.state.complete else QUESTION)

    def find_product(self) -> None:
        """Back to naming the product (another one)."""
        self._update(FIND)

    def start(self, questionnaire_id: str) -> None:
        from advisor.insights.events import new_run
        from advisor.session.service import AdviceSession

        self._close()
        questionnaire = self.questionnaires[questionnaire_id]
        index = self.catalog.categories.get(questionnaire.category) if self.catalog else None
        self.advice = AdviceSession.start(
            questionnaire, index=index, locale=self.locale, run=new_run(), subscribers=[self._track]
        )
        self.advice.store_id = self.store_id
        self.advice.use_holds(self.held)
        self.advice.catalog = self.catalog
        self.variant_sku = None
        self.stored_id, self.resume_code = None, None  # a new advice is a new session
        self.booked = None
        self.grades, self.commented = {}, set()
        self._update(FIND if questionnaire.is_service else None)

    def _close(self) -> None:
        self._creating = None
        self.checked_in = None
        advice, stored_id, engine = self.advice, self.stored_id, self.engine
        if advice is not None:
            advice.close()
            if stored_id is not None and engine is not None and advice.pending:
                self._write_left(engine, stored_id, advice)
        self.advice = None

    def _write_left(self, engine: Engine, stored_id: str, advice: AdviceSession) -> None:
        """A session that left the screen with changes the database has not got yet: written in the
        background (the worker owns it now), retried until the database takes it."""
        from advisor.session import store
        from advisor.session.service import SessionError

        def failed(error: Exception) -> None:
            if not isinstance(error, SessionError):  # gone or expired meanwhile: nothing left to write to
                QTimer.singleShot(RETRY_MS, lambda: self._write_left(engine, stored_id, advice))

        self.writes.run(lambda: store.save(engine, stored_id, advice), failed=failed)

    def answer(self, value: Any) -> None:
        """Answer the question on screen: on to the next one; for a question opened from "Deine Antworten", on to
        the first unanswered one or the results (the other answers stand)."""
        assert self.state is not None and self.state.current is not None
        step_id = self.state.current
        self._command("change_answer" if self.changing == step_id else "answer", step_id, value)
        if self.state is None or self.state.current != step_id:  # (an answer refused: still changing that one)
            self.changing = None

    def change_answer(self, step_id: str, value: Any) -> None:
        self._command("change_answer", step_id, value)

    def back(self) -> None:
        from advisor import engine

        if self.view == DETAIL and self.detail_from == COMPARE and can_compare(len(self.compare_skus)):
            self._update(COMPARE)  # details opened from the comparison: back to deciding between them
            return
        if self.view in (DETAIL, COMPARE, OVERVIEW):
            self._update(RESULTS if self.state and self.state.complete else QUESTION)
            return
        if self.view in (HELP, CHOOSE) or self.advice is None:  # (the choice leads back to the start, never into
            self._update(WELCOME)  # the questions of an advice left behind)
            return
        if self.view == FIND:
            self.show_help()
            return
        path = engine.path_of(self.advice.questionnaire, self.advice.state.answers)
        if self.view == QUESTION and path and self.advice.state.current == path[0]:
            self._update(FIND if self.service else CHOOSE)
            return
        self._command("back")

    def go_to(self, step_id: str) -> None:
        self._command("go_to", step_id)

    def change(self, step_id: str) -> None:
        """A question opened from "Deine Antworten" to change its answer (`answer` then goes on from there)."""
        self.changing = step_id
        self._command("go_to", step_id)

    def show_overview(self) -> None:
        self._update(OVERVIEW)

    def relax(self, relaxation: Relaxation) -> None:
        self._command("relax", relaxation.drop)

    def critique(self, critique: Critique) -> None:
        self._command("critique", critique.key, view=RESULTS)

    def clear_critiques(self) -> None:
        self._command("clear_critiques", view=RESULTS)

    def show_detail(self, sku: str) -> None:
        """A product's details, from the results or the comparison (Back returns to the one it was opened from)."""
        self.detail_sku = sku
        self.detail_from = self.view
        self._command("view", sku, view=DETAIL)

    def toggle_compare(self, sku: str) -> None:
        from advisor.session.service import MAX_COMPARE

        if self.advice is None:
            return
        on = sku not in self.advice.compared
        if on and len(self.advice.compared) >= MAX_COMPARE:
            return  # the button is disabled then; a stray tap changes nothing
        self._command("compare", sku, on, view=self.view)

    def show_compare(self) -> None:
        """The comparison, of two products or more (one alone is nothing to compare: the button asks for another)."""
        if can_compare(len(self.compare_skus)):
            self._update(COMPARE)

    def set_answers(self, answers: Mapping[str, Any]) -> None:
        """Give several answers at once (a staff member's preview, the screenshot tour)."""
        self._command("set_answers", answers)

    def resume(self, record: Record, checked_in: CheckedIn | None = None, booked: Booked | None = None) -> None:
        """Reopen a stored session (typed code): it stays the same session, and the same advice run. `checked_in`:
        the shopper's appointment today, checked in by the code (shown while this session is on screen); `booked`:
        its next appointment still to come."""
        from advisor.session import store
        from advisor.session.service import SessionError

        try:
            advice = store.load(record, self.questionnaires, index_for=lambda q: self.catalog.categories.get(
                q.category) if self.catalog else None)  # fmt: skip
        except SessionError:
            return
        if advice.dropped:
            sys.stderr.write(f"advisor kiosk: a resumed session of {advice.questionnaire.id}: dropped "  # not its code
                             f"{'; '.join(advice.dropped)}\n")  # fmt: skip
        self._close()
        advice.subscribe(self._track)
        self.advice = advice
        advice.store_id = self.store_id
        advice.use_holds(self.held)
        advice.catalog = self.catalog
        self.variant_sku = None
        self.booked = booked
        self.stored_id, self.resume_code = record.id, record.resume_code
        self.consented = record.consent  # (given on the phone or another kiosk: not asked again)
        self.checked_in = checked_in
        self.grades, self.commented = {}, set()
        self.locale = advice.locale
        self._update()
        self.locale_changed.emit(self.locale)

    def wipe(self) -> None:
        """The idle wipe: forget the shopper and start the next one in the default language and look."""
        default = self.config.store.default_locale if self.config is not None else "de"
        self.reset()
        self.accessible = False
        self.guided = False
        self.accessibility_changed.emit(False)
        if self.locale != default:
            self.set_locale(default)

    def set_accessible(self, on: bool) -> None:
        """Accessibility mode: larger text, high contrast, the question read aloud where a voice exists."""
        if on != self.accessible:
            self.accessible = on
            if not on:
                self.guided = False
            self.accessibility_changed.emit(on)
            self.changed.emit()

    def set_guided(self, on: bool) -> None:
        """Speech guidance with the four keys: every screen and control said; it switches accessibility mode on."""
        if on == self.guided:
            return
        self.guided = on
        if on and not self.accessible:
            self.accessible = True
            self.accessibility_changed.emit(True)
        self.changed.emit()

    def shutdown(self, timeout_ms: int = 3000) -> None:
        """The kiosk is closing: write what the shopper did that the database has not got yet, and the events; a
        request still open at this kiosk ends as the shopper's leaving (staff would walk to a kiosk that is off; one
        taken to the phone goes on there)."""
        advice, stored_id, engine, handoff = self.advice, self.stored_id, self.engine, self.handoff
        self._retry.stop()
        if advice is not None and stored_id is not None and engine is not None and advice.pending:
            from advisor.session import store

            self.writes.run(lambda: store.save(engine, stored_id, advice))
        if handoff is not None and engine is not None:
            from advisor.handoff.chat import shopper_left
            from advisor.insights.events import record_cancel

            self.writes.run(lambda: shopper_left(engine, handoff.request_id, in_transaction=record_cancel))
        if not self.writes.wait(timeout_ms):
            sys.stderr.write("advisor kiosk: closing before the last session write finished\n")
        if self.events is not None:
            self.events.close(timeout_ms / 1000)

    def reset(self) -> None:
        """Forget the shopper: back to the welcome screen (what is still unwritten is written first)."""
        self._close()
        self.handoff_request_id = None
        self.handoff = None
        self.stored_id = None
        self.consented = False
        self.resume_code = None
        self.booked = None
        self.detail_sku = None
        self.detail_from = None
        self.grades, self.commented = {}, set()
        self._update(WELCOME)
        self.shopper_gone.emit()


def _copy(advice: AdviceSession) -> AdviceSession:
    """An independent copy of a session (for a worker thread), without subscribers."""
    from advisor.session.service import AdviceSession

    twin = AdviceSession.restore(advice.snapshot(), {advice.questionnaire.id: advice.questionnaire})
    return twin


def stores_of(engine: Engine) -> dict[str, dict[str, str]]:
    """Every store's names by language, as the catalog has them (a database read: off the GUI thread)."""
    from advisor.catalog.reads import STORE
    from advisor.db.prepared import reading

    with reading(engine) as connection:
        rows = connection.execute(STORE.select()).all()
    return {row.id: {locale: name for locale, name in (("de", row.name_de), ("en", row.name_en)) if name}
            for row in rows}  # fmt: skip
