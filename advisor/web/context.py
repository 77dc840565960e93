"""What every web request needs, shared by the pages (app) and the JSON API so neither imports the other."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy.engine import Engine

from advisor.config import Config
from advisor.handoff.codes import LookupLimiter
from advisor.insights.events import EventLog, new_run
from advisor.questionnaire.model import Questionnaire
from advisor.recommend.index import CategoryIndex, IndexCache
from advisor.session import store
from advisor.session.service import AdviceSession, SessionError, Subscriber
from advisor.session.tracking import EventLogger
from advisor.web.security import Signer


@dataclass(frozen=True)
class Opened:
    """A stored session a request works on: its record (code, consent, store) and the advice session."""

    record: store.Record
    session: AdviceSession


@dataclass
class WebContext:
    """What every request needs: the database, questionnaires, catalog index and configuration."""

    engine: Engine
    questionnaires: Callable[[], Mapping[str, Questionnaire]]
    index_cache: IndexCache
    config: Config
    signer: Signer
    limiter: LookupLimiter = field(default_factory=LookupLimiter)
    mail_dry_run: Path | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    events: EventLog | None = None  # the anonymous event log (insights)

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
            session = store.load(record, self.questionnaires(), index_for=self.index_for)
        except SessionError:
            return None
        for subscriber in self.subscribers():
            session.subscribe(subscriber)
        return Opened(record, session)

    def start(self, questionnaire: Questionnaire, locale: str) -> Opened:
        """A new advice run, stored at once (the web keeps nothing but a cookie)."""
        session = AdviceSession.start(
            questionnaire, index=self.index_for(questionnaire), locale=locale, run=new_run(),
            subscribers=self.subscribers(),
        )  # fmt: skip
        record = store.create(
            self.engine, session, store_id=self.config.store.id, origin="web",
            lifetime=timedelta(days=self.config.privacy.session_retention_days),
        )  # fmt: skip
        return Opened(record, session)

    def save(self, opened: Opened) -> None:
        """Write what the request changed (merged with what another device wrote meanwhile)."""
        if opened.session.pending or opened.session.snapshot() != opened.record.snapshot:
            store.save(self.engine, opened.record.id, opened.session)

    @property
    def secure_cookies(self) -> bool:
        return self.config.web.public_base_url.startswith("https://")

    def url(self, path: str) -> str:
        return self.config.web.public_base_url + path
