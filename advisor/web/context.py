"""What every web request needs, shared by the pages (app) and the JSON API so neither imports the other."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import Engine

from advisor.config import Config
from advisor.handoff import sessions
from advisor.insights.events import EventLog, new_run
from advisor.questionnaire.model import Questionnaire
from advisor.recommend.index import CategoryIndex, IndexCache
from advisor.session import store
from advisor.session.service import AdviceSession, SessionError, Subscriber
from advisor.session.tracking import EventLogger
from advisor.web.security import Signer


class NotStored(SessionError):
    """A page that needs the stored session (its code, its chat) before the shopper's first answer stored it."""


@dataclass(frozen=True)
class Opened:
    """A session a request works on: its stored record (code, consent, store) and the advice session.

    Until the shopper's first answer nothing is stored (`stored` is None): the browser's signed cookie holds the
    questionnaire, language and run, so a visit that answers nothing leaves no row behind.
    """

    stored: store.Record | None
    session: AdviceSession

    @property
    def record(self) -> store.Record:
        """The stored record; NotStored before the first answer (the app sends such a page to the question)."""
        if self.stored is None:
            raise NotStored("this advice has no answer yet, so nothing is stored")
        return self.stored

    @property
    def store_id(self) -> str | None:
        return self.stored.store_id if self.stored else None


@dataclass
class WebContext:
    """What every request needs: the database, questionnaires, catalog index and configuration."""

    engine: Engine
    questionnaires: Callable[[], Mapping[str, Questionnaire]]
    index_cache: IndexCache
    config: Config
    signer: Signer
    mail_dry_run: Path | None = None
    events: EventLog | None = None  # the anonymous event log (insights)
    # The service flows (help with a product the shopper owns); None: the server offers none.
    service_flows: Callable[[], Mapping[str, Questionnaire]] | None = None

    def offered(self) -> dict[str, Questionnaire]:
        """The finders and the service flows by id: what the pages start and what a stored session restores."""
        return {**self.questionnaires(), **(self.service_flows() if self.service_flows is not None else {})}

    def subscribers(self) -> list[Subscriber]:
        return [EventLogger(self.events)] if self.events is not None else []

    def index_for(self, questionnaire: Questionnaire) -> CategoryIndex | None:
        return self.index_cache.get().categories.get(questionnaire.category)

    def open(self, session_id: str | None) -> Opened | None:
        """The stored session, as the current questionnaire accepts it; None when it is gone, has expired or its
        questionnaire is no longer offered (the shopper starts again)."""
        record = store.read(self.engine, session_id) if session_id else None
        if record is None:
            return None
        try:
            session = store.load(record, self.offered(), index_for=self.index_for)
        except SessionError:
            return None
        for subscriber in self.subscribers():
            session.subscribe(subscriber)
        return self._opened(record, session)

    def _opened(self, record: store.Record | None, session: AdviceSession) -> Opened:
        """The session to work on, in its store: the stored session's, else this server's (what in_stock means)."""
        session.store_id = (record.store_id if record else None) or self.config.store.id
        session.catalog = self.index_cache.get()  # a service run's parts live in other categories
        return Opened(record, session)

    def start(self, questionnaire: Questionnaire, locale: str) -> Opened:
        """A new advice run at its first question, not stored yet (`start_value` is what the cookie keeps)."""
        session = AdviceSession.start(
            questionnaire, index=self.index_for(questionnaire), locale=locale, run=new_run(),
            subscribers=self.subscribers(),
        )  # fmt: skip
        return self._opened(None, session)

    @staticmethod
    def start_value(opened: Opened) -> str:
        """A run that is not stored yet, as its cookie keeps it: questionnaire, language, run."""
        session = opened.session
        return f"{session.questionnaire.id}|{session.locale}|{session.run}"

    def open_start(self, value: str | None) -> Opened | None:
        """The run a `start_value` describes, at its first question; None when its questionnaire is not offered."""
        parts = (value or "").split("|")
        if len(parts) != 3:
            return None
        questionnaire_id, locale, run = parts
        questionnaire = self.offered().get(questionnaire_id)
        if questionnaire is None:
            return None
        session = AdviceSession(questionnaire, index=self.index_for(questionnaire), locale=locale, run=run)
        for subscriber in self.subscribers():
            session.subscribe(subscriber)
        return self._opened(None, session)

    def store_now(self, opened: Opened) -> Opened:
        """The session, stored now if it was not yet (its first answer, or the shopper asking for staff)."""
        if opened.stored is not None:
            return opened
        record = store.create(
            self.engine, opened.session, store_id=self.config.store.id, origin="web",
            lifetime=timedelta(hours=self.config.privacy.web_session_idle_hours),
        )  # fmt: skip
        return self._opened(record, opened.session)

    def save(self, opened: Opened) -> Opened:
        """Write what the request changed (merged with what another device wrote meanwhile); a session not stored
        yet is stored once it holds an answer. Returns the session as it is stored now."""
        record = opened.stored
        if record is None:
            return self.store_now(opened) if opened.session.state.answers else opened
        if opened.session.pending or opened.session.snapshot() != record.snapshot:
            store.save(self.engine, record.id, opened.session, expires_at=self.expiry(record, opened.session))
        return opened

    def expiry(self, record: store.Record, session: AdviceSession) -> datetime | None:
        """When a web session ends, counted from a change now: while nobody reached its results or gave consent,
        [privacy] web_session_idle_hours after the change; after that the whole retention from its start.
        None for sessions started elsewhere (a kiosk's keep their retention)."""
        if record.origin != "web":
            return None
        privacy = self.config.privacy
        kept = record.created_at + timedelta(days=privacy.session_retention_days)
        if record.consent or session.completed:
            return kept
        return min(kept, datetime.now(UTC) + timedelta(hours=privacy.web_session_idle_hours))

    def give_consent(self, opened: Opened) -> Opened:
        """The shopper agreed that staff see the session (stored now if need be): it is kept for the retention."""
        stored = self.store_now(opened)
        sessions.give_consent(self.engine, stored.record.id)
        return replace(stored, stored=replace(stored.record, consent=True))

    def end(self, opened: Opened) -> None:
        """The shopper started over: this run is closed and its stored session ended for every device."""
        opened.session.close()
        if opened.stored is not None:
            store.end(self.engine, opened.stored.id)

    def cookie(self, name: str) -> str:
        """A cookie's name: over https with the __Host- prefix, so browsers keep it only Secure, for this host and
        Path=/ (no sibling domain can set or read it)."""
        return f"__Host-{name}" if self.secure_cookies else name

    @property
    def secure_cookies(self) -> bool:
        return self.config.web.public_base_url.startswith("https://")

    def url(self, path: str) -> str:
        return self.config.web.public_base_url + path
