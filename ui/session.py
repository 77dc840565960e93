"""The kiosk's view of one advice session: core state in, Qt signals out. No advice rules live here."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:  # the engine and recommender (numpy, the catalog tables) load after the first screen is up
    from sqlalchemy.engine import Engine

    from advisor import engine
    from advisor.config import Config
    from advisor.engine import SessionState
    from advisor.handoff.requests import StoredSession
    from advisor.insights.events import EventLog
    from advisor.questionnaire.model import Questionnaire
    from advisor.recommend.core import Critique, Recommendation, Relaxation
    from advisor.recommend.index import CatalogIndex, CategoryIndex

WELCOME, CHOOSE, QUESTION, OVERVIEW, RESULTS, DETAIL, COMPARE = (
    "welcome", "choose", "question", "overview", "results", "detail", "compare",
)  # fmt: skip
MAX_COMPARE = 3
DEFAULT_STORE = "muc-01"  # until the kiosk configuration names its store


class KioskSession(QObject):
    """Holds the shopper's session and what is on screen; every change emits `changed`."""

    changed = Signal()
    locale_changed = Signal(str)
    accessibility_changed = Signal(bool)

    def __init__(self, questionnaires: Mapping[str, Questionnaire], locale: str = "de") -> None:
        super().__init__()
        self.questionnaires = dict(questionnaires)
        self.catalog: CatalogIndex | None = None
        self.locale = locale
        self.view = WELCOME
        self.questionnaire: Questionnaire | None = None
        self.accessible = False  # accessibility mode (larger text, high contrast, read aloud)
        self.state: SessionState | None = None
        self.critiques: tuple[Critique, ...] = ()
        self.detail_sku: str | None = None
        self.compare_skus: list[str] = []
        self._recommendation: Recommendation | None = None
        self.engine: Engine | None = None  # the database, once opened (handoff to staff needs it)
        self.store_id = DEFAULT_STORE  # until the configuration is loaded
        self.store_name = ""
        self.kiosk_id = ""
        self.public_base_url = "http://localhost:8000"  # of the web companion, for the phone's QR code
        self.config: Config | None = None  # the store's configuration, once loaded (behind the first screen)
        self.handoff_request_id: int | None = None
        # Once the shopper takes the session elsewhere (staff, phone, summary) it is stored and kept in step.
        self.stored_id: str | None = None
        self.events: EventLog | None = None  # the anonymous event log for insights, once the database is open
        self.run: str | None = None  # this advice run's random key in the event log
        self._completed = False
        self._results_logged = False
        self.rated: set[str] = set()  # what this run has rated already (advice, contact)
        self.grades: dict[str, int] = {}
        self.commented: set[str] = set()
        self.viewed: list[str] = []
        self.relaxations_met: list[dict[str, Any]] = []

    # -- what the screens read --------------------------------------------------------------------------

    @property
    def address(self) -> str:
        return self.questionnaire.address.get(self.locale, "du") if self.questionnaire else "du"

    @property
    def index(self) -> CategoryIndex | None:
        if self.catalog is None or self.questionnaire is None:
            return None
        return self.catalog.categories.get(self.questionnaire.category)

    def recommendation(self) -> Recommendation | None:
        from advisor.recommend import core

        if self._recommendation is None and self.index is not None and self.state is not None:
            assert self.questionnaire is not None
            self._recommendation = core.recommend(
                index=self.index,
                questionnaire=self.questionnaire,
                state=self.state,
                locale=self.locale,
                critiques=self.critiques,
            )
            self._log_results(self._recommendation)
            if self.state.complete:
                for relaxation in self._recommendation.relaxations:
                    if self._met(relaxation, applied=False):
                        self.log("relaxation_offered", value=list(relaxation.drop), number=relaxation.count)
        return self._recommendation

    def _met(self, relaxation: Relaxation, *, applied: bool) -> bool:
        """Remember a relaxation the shopper was offered (or took), for the staff member's view of the case."""
        entry = {"drop": list(relaxation.drop), "labels": list(relaxation.labels), "count": relaxation.count,
                 "applied": applied}  # fmt: skip
        if applied or entry not in self.relaxations_met:
            self.relaxations_met.append(entry)
            return True
        return False

    def more_choice(self) -> tuple[Relaxation, ...]:
        """When only a few products fit: what to drop to see at least as many as the results show."""
        from advisor.recommend import core

        index, questionnaire, state = self.index, self.questionnaire, self.state
        if index is None or questionnaire is None or state is None:
            return ()
        wanted = questionnaire.results.show
        result = core.recommend(
            index=index, questionnaire=questionnaire, state=state, locale=self.locale, critiques=self.critiques,
            at_least=wanted, show=1,
        )  # fmt: skip
        return result.relaxations if 0 < result.count < wanted else ()

    def live_count(self) -> int | None:
        from advisor.recommend import core

        if self.index is None or self.state is None or self.questionnaire is None:
            return None
        return core.live_count(
            index=self.index, questionnaire=self.questionnaire, answers=self.state.answers, critiques=self.critiques
        )

    def progress(self) -> engine.Progress | None:
        from advisor import engine

        if self.questionnaire is None or self.state is None:
            return None
        return engine.progress(self.questionnaire, self.state)

    # -- what the screens do ------------------------------------------------------------------------------

    def _update(self, view: str | None = None) -> None:
        self._recommendation = None
        if view is not None:
            self.view = view
        elif self.state is not None:
            self.view = RESULTS if self.state.complete else QUESTION
        if self.view == QUESTION and self.state is not None and self.state.current is not None:
            self.log("step_shown", step_id=self.state.current)
        self._results_logged = False  # the results are logged when they are worked out for the screen
        self._sync()
        self.changed.emit()

    # -- the anonymous event log (ids and numbers only) ---------------------------------------------------------

    def log(self, kind: str, **fields: Any) -> None:
        """Record an event of this run; the advice never waits for it or fails because of it."""
        if self.events is None or self.run is None or self.questionnaire is None:
            return
        self.events.record(
            kind, run=self.run, questionnaire_id=self.questionnaire.id,
            questionnaire_version=self.questionnaire.version, **fields,
        )  # fmt: skip

    def _log_results(self, result: Recommendation) -> None:
        """Results shown (logged when they are worked out for the screen, so nothing is computed twice)."""
        if self._results_logged or self.view != RESULTS:
            return
        self._results_logged = True
        self.log("results_shown", number=result.count, value=[item.sku for item in result.products])
        if not self._completed:
            self._completed = True
            self.log("completed", number=result.count)

    @property
    def scale(self) -> str:
        """The rating scale: German school grades 1-6 (1 best) or five stars (the configuration says)."""
        return self.config.kiosk.feedback_scale if self.config is not None else "grades"

    def rate(self, grade: int, about: str = "advice") -> None:
        """One tap of feedback on the advice (or, after a handoff, on the contact); anonymous."""
        from advisor.insights.events import give_feedback

        if self.engine is None or self.questionnaire is None:
            return
        give_feedback(
            self.engine, self.events, run=self.run, questionnaire_id=self.questionnaire.id, grade=grade,
            scale=self.scale, about=about, channel="kiosk", store_id=self.store_id,
        )  # fmt: skip
        self.rated.add(about)
        self.grades[about] = grade
        self.changed.emit()

    def comment(self, words: str, about: str = "advice") -> bool:
        """The optional comment after a rating (kiosks with a keyboard); stored apart from the events."""
        from advisor.insights.events import leave_comment

        if self.engine is None or self.questionnaire is None or about not in self.grades:
            return False
        stored = leave_comment(
            self.engine, questionnaire_id=self.questionnaire.id, grade=self.grades[about], scale=self.scale,
            about=about, comment=words,
        )  # fmt: skip
        if stored:
            self.commented.add(about)
            self.changed.emit()
        return stored

    # -- the stored session (handoff, phone, summary) ----------------------------------------------------------

    @property
    def retention_days(self) -> int:
        """How long a stored session is kept (the configuration; 14 days by default)."""
        return self.config.privacy.session_retention_days if self.config is not None else 14

    @property
    def position(self) -> str:
        """Where the shopper is, as stored: a step id, or "results"."""
        return self.state.current if self.state and self.state.current else "results"

    def store(self, *, consent: bool = False) -> StoredSession:
        """Store the session (once) with where the shopper is; later changes follow it into the database."""
        from advisor.handoff import requests as handoff

        assert self.engine is not None and self.questionnaire is not None and self.state is not None
        if self.stored_id is None:
            stored = handoff.create_session(
                self.engine, questionnaire_id=self.questionnaire.id, questionnaire_version=self.questionnaire.version,
                answers=self.state.answers, locale=self.locale, store_id=self.store_id,
                kiosk_id=self.kiosk_id or None, consent=consent, position=self.position,
                lifetime=timedelta(days=self.retention_days),
            )  # fmt: skip
            self.stored_id = stored.id
        elif consent:
            handoff.give_consent(self.engine, self.stored_id)
        self._sync(raise_errors=True)
        found = handoff.session_of(self.engine, self.stored_id)
        assert found is not None
        return found

    def _sync(self, *, raise_errors: bool = False) -> None:
        """Keep the stored session in step (staff and phone see the latest); the advice works on without it."""
        if self.stored_id is None or self.engine is None or self.state is None:
            return
        from sqlalchemy.exc import SQLAlchemyError

        from advisor.handoff import requests as handoff

        try:
            handoff.save_progress(
                self.engine, self.stored_id, answers=self.state.answers, position=self.position, locale=self.locale,
                viewed=self.viewed, relaxations=self.relaxations_met,
            )  # fmt: skip
        except (SQLAlchemyError, handoff.HandoffError):
            if raise_errors:
                raise

    def phone_link(self) -> str:
        """A one-time link (5 minutes) that continues this session on the shopper's phone."""
        from advisor.handoff.tokens import issue_token

        stored = self.store()
        assert self.engine is not None
        return f"{self.public_base_url}/c/{issue_token(self.engine, stored.id)}"

    def configure(self, config: Config) -> None:
        """The store's configuration: which store and kiosk this is, where the web companion lives."""
        self.config = config
        self.store_id = config.store.id
        self.store_name = config.store.name
        self.kiosk_id = config.store.kiosk_name
        self.public_base_url = config.web.public_base_url
        if self.view == WELCOME and self.locale not in config.store.locales or self.state is None:
            self.set_locale(config.store.default_locale)

    def set_catalog(self, catalog: CatalogIndex) -> None:
        self.catalog = catalog
        self._update(self.view)

    def set_questionnaires(self, questionnaires: Mapping[str, Questionnaire]) -> None:
        """New versions of the files: new sessions use them; the running one keeps the version it started with."""
        self.questionnaires = dict(questionnaires)
        if self.view == CHOOSE:
            self.changed.emit()

    def set_locale(self, locale: str) -> None:
        if locale != self.locale:
            self.locale = locale
            self._recommendation = None
            self.locale_changed.emit(locale)
            self.changed.emit()

    def show_choices(self) -> None:
        self._update(CHOOSE)

    def start(self, questionnaire_id: str) -> None:
        from advisor import engine

        self.questionnaire = self.questionnaires[questionnaire_id]
        self.state = engine.start(self.questionnaire)
        self.stored_id, self.viewed, self.relaxations_met = None, [], []  # a new advice is a new session
        self._new_run()
        self.critiques = ()
        self.compare_skus = []
        self._update()

    def _new_run(self) -> None:
        """A new random run key: the event log never links two shoppers (or two starts) together."""
        self._abandon()
        from advisor.insights.events import new_run

        self.run = new_run()
        self._completed = False
        self.rated, self.grades, self.commented = set(), {}, set()
        self.log("started")

    def _abandon(self) -> None:
        if self.run is not None and not self._completed:
            self.log("abandoned", step_id=self.state.current if self.state else None)
        self.run = None

    def answer(self, value: Any) -> None:
        from advisor import engine

        assert self.questionnaire is not None and self.state is not None and self.state.current is not None
        step_id = self.state.current
        self.state = engine.answer(self.questionnaire, self.state, step_id, value)
        self.log("step_answered", step_id=step_id, value=_plain_answer(self.state.answers.get(step_id)))
        self._update()

    def change_answer(self, step_id: str, value: Any) -> None:
        from advisor import engine

        assert self.questionnaire is not None and self.state is not None
        self.state = engine.change_answer(self.questionnaire, self.state, step_id, value)
        self.log("step_answered", step_id=step_id, value=_plain_answer(self.state.answers.get(step_id)))
        self._update()

    def back(self) -> None:
        from advisor import engine

        if self.view in (DETAIL, COMPARE, OVERVIEW):
            self._update(RESULTS if self.state and self.state.complete else QUESTION)
            return
        if self.questionnaire is None or self.state is None:
            self._update(WELCOME)
            return
        path = engine.path_of(self.questionnaire, self.state.answers)
        if self.view == QUESTION and path and self.state.current == path[0]:
            self._update(CHOOSE)
            return
        self.state = engine.back(self.questionnaire, self.state)
        self.log("back", step_id=self.state.current)
        self._update()

    def go_to(self, step_id: str) -> None:
        from advisor import engine

        assert self.questionnaire is not None and self.state is not None
        self.state = engine.go_to(self.questionnaire, self.state, step_id)
        self._update()

    def show_overview(self) -> None:
        self._update(OVERVIEW)

    def relax(self, relaxation: Relaxation) -> None:
        from advisor.recommend import core

        assert self.questionnaire is not None and self.state is not None
        self.state = core.relax(self.questionnaire, self.state, relaxation.drop)
        self._met(relaxation, applied=True)
        self.log("relaxation_applied", value=list(relaxation.drop), number=relaxation.count)
        self._update()

    def critique(self, critique: Critique) -> None:
        from advisor.recommend import core

        self.critiques = core.with_critique(self.critiques, critique)
        self.log("critique_used", value=critique.key, number=critique.count)
        self._update(RESULTS)

    def clear_critiques(self) -> None:
        self.critiques = ()
        self._update(RESULTS)

    def show_detail(self, sku: str) -> None:
        self.detail_sku = sku
        self.viewed = [*(item for item in self.viewed if item != sku), sku]
        self.log("product_viewed", value=sku)
        self._update(DETAIL)

    def toggle_compare(self, sku: str) -> None:
        if sku in self.compare_skus:
            self.compare_skus.remove(sku)
        elif len(self.compare_skus) < MAX_COMPARE:
            self.compare_skus.append(sku)
        self.changed.emit()

    def show_compare(self) -> None:
        if self.compare_skus:
            self._update(COMPARE)

    def apply_answers(self, answers: Mapping[str, Any]) -> None:
        """Answers changed elsewhere (staff at the console): show what the advice says now."""
        from advisor import engine

        if self.questionnaire is None or self.state is None:
            return
        given = engine.usable_answers(self.questionnaire, answers)
        if dict(self.state.answers) == given:
            return
        # Continue where an answer is still missing, else show the results.
        unplaced = engine.SessionState(self.questionnaire.id, self.state.answers, None)
        self.state = engine.with_answers(self.questionnaire, unplaced, given)
        self._update()

    def resume(
        self, questionnaire_id: str, answers: Mapping[str, Any], locale: str, stored: StoredSession | None = None
    ) -> None:
        """Reopen a stored session (typed code): its questionnaire, answers and language; it stays the same session."""
        from advisor import engine
        from advisor.insights.events import run_of_session

        questionnaire = self.questionnaires[questionnaire_id]
        self._abandon()
        self.questionnaire = questionnaire
        self.rated, self.grades, self.commented = set(), {}, set()
        if stored is not None:  # the same run as on the other device: the funnel sees one advice, not two
            self.run, self._completed = run_of_session(stored.id), stored.position == "results"
        else:
            self._new_run()
        self.stored_id = stored.id if stored else None
        self.viewed = list(stored.viewed) if stored else []
        self.relaxations_met = [dict(item) for item in stored.relaxations] if stored else []
        given = engine.usable_answers(questionnaire, answers)
        self.questionnaire = questionnaire
        self.critiques = ()
        self.compare_skus = []
        self.locale = locale
        state = engine.with_answers(questionnaire, engine.SessionState(questionnaire.id, {}, None), given)
        if stored is not None and stored.position in engine.path_of(questionnaire, state.answers):
            state = engine.go_to(questionnaire, state, stored.position)  # exactly where the other device was
        self.state = state
        self._update()
        self.locale_changed.emit(locale)

    def wipe(self) -> None:
        """The idle wipe: forget the shopper and start the next one in the default language and look."""
        default = self.config.store.default_locale if self.config is not None else "de"
        self.reset()
        self.accessible = False
        self.accessibility_changed.emit(False)
        if self.locale != default:
            self.set_locale(default)

    def set_accessible(self, on: bool) -> None:
        """Accessibility mode: larger text, high contrast, the question read aloud where a voice exists."""
        if on != self.accessible:
            self.accessible = on
            self.accessibility_changed.emit(on)
            self.changed.emit()

    def reset(self) -> None:
        """Forget the shopper: back to the welcome screen."""
        self._abandon()
        self.handoff_request_id = None
        self.stored_id = None
        self.viewed = []
        self.relaxations_met = []
        self.questionnaire = None
        self.state = None
        self.critiques = ()
        self.detail_sku = None
        self.compare_skus = []
        self.rated, self.grades, self.commented = set(), {}, set()
        self._update(WELCOME)


def _plain_answer(value: Any) -> Any:
    """An answer as the event log keeps it: option ids (a list for several), a number or yes/no."""
    return list(value) if isinstance(value, tuple) else value
