"""One shopper's advice session: load, commands, snapshot, domain events. Every surface uses this class.

The kiosk, the phone pages, the JSON API, the staff console and `advisor recommend` are adapters: they turn
input into commands and the session's snapshot and recommendation into screens, pages or JSON. Commands are
frozen data, so a write that lost a race can be re-applied to the newer stored session (`rebase`).
"""

from __future__ import annotations

import functools
import json
import math
import operator
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from advisor import engine as flow
from advisor.engine import InvalidAnswer, SessionState
from advisor.expressions import evaluate_columns
from advisor.i18n import text
from advisor.insights.events import SCALES
from advisor.questionnaire.model import DONT_CARE, Questionnaire, Step
from advisor.recommend import core
from advisor.recommend.explain import Decision, decide
from advisor.recommend.index import CatalogIndex, CategoryIndex, ProductInfo, VariantInfo
from advisor.recommend.sizes import SizeAdvice, SizeCharts, size_advice, size_charts_in_use
from advisor.service.guides import Guides, guides_in_use
from advisor.service.outcomes import Applied, outcomes_for, product_values
from advisor.session import events as ev

RESULTS = "results"
MAX_COMPARE = 3
MAX_VIEWED = 50
MAX_RELAXATIONS = 50
NEAREST_TRIES = 50  # nearest_fitting looks this many steps of a number's scale to each side, at most
ABOUT = ("advice", "contact")

Subscriber = Callable[["AdviceSession", ev.DomainEvent], None]


class SessionError(ValueError):
    """A command that does not fit the session now (the message says what)."""


# -- the snapshot: everything another device needs to continue exactly here -------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """The complete state of an advice session, as the stored session holds it (plain JSON-able values)."""

    questionnaire_id: str
    questionnaire_version: str = ""
    answers: Mapping[str, Any] = field(default_factory=dict)
    position: str = RESULTS  # a step id, or "results"
    locale: str = "de"
    critiques: tuple[Mapping[str, Any], ...] = ()  # {"attribute", "direction", "reference"}
    relaxations: tuple[Mapping[str, Any], ...] = ()  # {"drop", "labels", "count", "applied"}: offered and taken
    viewed: tuple[str, ...] = ()
    compared: tuple[str, ...] = ()
    run: str = ""  # the anonymous event log's key of this advice run
    completed: bool = False  # the results have been reached in this run
    rated: tuple[str, ...] = ()  # what has been rated: "advice", "contact"
    product: str = ""  # a service run's product, the shopper's own (a sku of the flow's category)


def plain_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Answers as JSON keeps them: option ids (a list for several), a number, yes/no, "dont_care"."""
    return {key: list(value) if isinstance(value, tuple) else value for key, value in answers.items()}


# -- commands -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    step_id: str
    value: Any  # in the engine's answer form


@dataclass(frozen=True)
class ChangeAnswer:
    step_id: str
    value: Any


@dataclass(frozen=True)
class SetAnswers:
    """Give or change several answers at once (the JSON API); then the first unanswered step or the results."""

    answers: Mapping[str, Any]


@dataclass(frozen=True)
class Back:
    pass


@dataclass(frozen=True)
class GoTo:
    step_id: str


@dataclass(frozen=True)
class Relax:
    drop: tuple[str, ...]


@dataclass(frozen=True)
class ApplyCritique:
    key: str


@dataclass(frozen=True)
class ClearCritiques:
    pass


@dataclass(frozen=True)
class View:
    sku: str


@dataclass(frozen=True)
class Compare:
    sku: str
    on: bool


@dataclass(frozen=True)
class SetLocale:
    locale: str


@dataclass(frozen=True)
class Rate:
    grade: int
    scale: str = "grades"
    about: str = "advice"


@dataclass(frozen=True)
class SetProduct:
    """The product a service run is about, the one the shopper owns ("" forgets it)."""

    sku: str


@dataclass(frozen=True)
class RequestHandoff:
    handoff: str


Command = (
    Answer | ChangeAnswer | SetAnswers | Back | GoTo | Relax | ApplyCritique | ClearCritiques | View | Compare
    | SetLocale | Rate | SetProduct | RequestHandoff
)  # fmt: skip


# -- answers from the outside world ---------------------------------------------------------------------------


def answer_from_form(step: Step, values: Sequence[str]) -> Any:
    """Submitted form fields as an answer (InvalidAnswer for nonsense, saying which step)."""
    if DONT_CARE in values:  # the "doesn't matter" button was pressed (a field never holds that value)
        return DONT_CARE
    if step.kind == "multiple":
        return tuple(value for value in values if value != DONT_CARE)
    if len(values) != 1:
        raise InvalidAnswer(f"step '{step.id}' takes one answer")
    value = values[0]
    if step.kind == "yes_no":
        if value not in ("yes", "no"):
            raise InvalidAnswer(f"step '{step.id}' takes yes or no")
        return value == "yes"
    if step.kind == "number":
        return _number(step, value.strip().replace(",", "."))
    return value


# A typed number as people write one: digits with an optional sign and one decimal mark (the comma already made a
# point), nothing of Python's own syntax ("1_0", "1e1", "inf", "nan") and no other digits than 0-9.
_TYPED_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
# "1.000", "12.500": a German reader groups thousands with that point, an English one (or "1,000" with the comma made a
# point) means 1 or 1000: refused rather than guessed, as the questionnaire checks warn of 3.000 in expressions (Q022).
_THOUSANDS = re.compile(r"[+-]?[1-9][0-9]{0,2}\.[0-9]{3}")


def _number(step: Step, text: str) -> int | float:
    """A typed number: whole numbers exactly (a float would round them), others as floats; the engine checks
    the range (InvalidAnswer for text that is no plain finite number, or reads as a thousands group)."""
    if not _TYPED_NUMBER.fullmatch(text) or _THOUSANDS.fullmatch(text):
        raise InvalidAnswer(f"step '{step.id}' takes a number")
    try:
        number = int(text) if text.lstrip("+-").isdigit() else float(text)
    except ValueError:  # also a whole number of more digits than Python reads
        raise InvalidAnswer(f"step '{step.id}' takes a number") from None
    if isinstance(number, float) and not math.isfinite(number):
        raise InvalidAnswer(f"step '{step.id}' takes a number")
    return int(number) if isinstance(number, float) and number.is_integer() else number


def answer_from_json(step: Step, value: Any) -> Any:
    """A JSON value as an answer in canonical form (InvalidAnswer, saying which step and why)."""
    try:
        return flow.check_answer(step, tuple(value) if isinstance(value, list) else value)
    except TypeError:
        raise InvalidAnswer(f"step '{step.id}' cannot take {json.dumps(value)[:40]}") from None


# -- the session ----------------------------------------------------------------------------------------------


class AdviceSession:
    """One shopper's advice: the engine state with critiques, relaxations, viewed and compared products.

    Every change is a command (`apply`); after it the session emits domain events to its subscribers. The
    recommendation is worked out once per state and cached.
    """

    def __init__(
        self,
        questionnaire: Questionnaire,
        *,
        index: CategoryIndex | None = None,
        locale: str | None = None,
        run: str = "",
    ) -> None:
        self.questionnaire = questionnaire
        self.index = index
        self.state: SessionState = flow.start(questionnaire)
        self.locale = locale if locale in questionnaire.locales else questionnaire.default_locale
        self.critiques: tuple[core.Critique, ...] = ()
        self.relaxations: list[dict[str, Any]] = []
        self.viewed: list[str] = []
        self.compared: list[str] = []
        self.run = run
        self.completed = False
        self.rated: set[str] = set()
        self.shared = False  # stored, so it may go on elsewhere: leaving it here is not abandoning it
        self.version = 0  # of the stored session this one was read from (0: not stored)
        self.dropped: tuple[str, ...] = ()  # what could not be taken over from the stored session
        self.pending: list[Command] = []  # commands not yet written to the stored session
        # The store the shopper is in (set by the surface): what "in stock" means; None: stock is not asked about.
        self.store_id: str | None = None
        # Per article, how many that store has set aside for appointments now (set by the surface, read off its
        # screen's thread): not on the shelf for this shopper.
        self.held: Mapping[str, int] = {}
        # A service run's product (the shopper's own); the whole catalog and the guides its outcomes offer from
        # (set by the surface; without a catalog a parts outcome offers only the skus it names).
        self.product = ""
        self.catalog: CatalogIndex | None = None
        self.guides: Guides | None = None
        self.size_charts: SizeCharts | None = None  # None: the shipped charts
        self._outcomes: tuple[Applied, ...] | None = None
        self._subscribers: list[Subscriber] = []
        self._result: core.Recommendation | None = None
        self._decision: tuple[core.Recommendation, Decision] | None = None
        self._results_logged = False
        self._muted = False
        self._scale_counts: tuple[Any, dict[float, int]] | None = None  # nearest_fitting's counts along a scale
        self._scale_side: tuple[Any, int] | None = None  # and the side of it that keeps a firm wish

    # -- starting and loading ------------------------------------------------------------------------------

    @classmethod
    def start(
        cls, questionnaire: Questionnaire, *, index: CategoryIndex | None = None, locale: str | None = None,
        run: str = "", subscribers: Iterable[Subscriber] = (),
    ) -> AdviceSession:  # fmt: skip
        """A new advice run at the first step."""
        session = cls(questionnaire, index=index, locale=locale, run=run)
        for subscriber in subscribers:
            session.subscribe(subscriber)
        session._emit(ev.Started())
        session._step_shown(None)
        return session

    @classmethod
    def restore(
        cls, snapshot: Snapshot, questionnaires: Mapping[str, Questionnaire], *,
        index: CategoryIndex | None = None, version: int = 0,
    ) -> AdviceSession:  # fmt: skip
        """A stored session as the current questionnaire accepts it; what it no longer accepts is dropped and named.

        SessionError only when its questionnaire is not offered here at all.
        """
        questionnaire = questionnaires.get(snapshot.questionnaire_id)
        if questionnaire is None:
            raise SessionError(f"the questionnaire {snapshot.questionnaire_id!r} is not offered here any more")
        session = cls(questionnaire, index=index, locale=snapshot.locale, run=snapshot.run)
        session.version = version
        session.shared = version > 0
        session._load(snapshot)
        return session

    def _load(self, snapshot: Snapshot) -> None:
        dropped: list[str] = []
        self.product = ""
        if snapshot.product:
            if self.index is not None and snapshot.product not in self.index.position:
                dropped.append(f"product {snapshot.product!r}")
            else:
                self.product = snapshot.product
        owned = self.owned()  # (first: the answers are walked for it)
        self.questionnaire = questionnaire = self.questionnaire.for_product(owned, product_values(owned))
        if snapshot.locale in questionnaire.locales:
            self.locale = snapshot.locale  # (a rebase takes the language another device chose)
        else:
            dropped.append(f"language {snapshot.locale!r}")
        answers: dict[str, Any] = {}
        for step_id, value in dict(snapshot.answers).items():
            if step_id not in questionnaire.positions:
                dropped.append(f"answer to unknown step {step_id!r}")
                continue
            if value == DONT_CARE:  # a relaxation drops answers to "doesn't matter" even where the screen has none
                answers[step_id] = DONT_CARE
                continue
            try:
                answers[step_id] = answer_from_json(questionnaire.step(step_id), value)
            except InvalidAnswer as error:
                dropped.append(f"answer to {step_id!r}: {error}")
        state = flow.with_answers(questionnaire, SessionState(questionnaire.id, {}, None), answers)
        dropped += [f"answer to {step_id!r}: its step is not on the path" for step_id in answers
                    if step_id not in state.answers]  # fmt: skip
        path = flow.path_of(questionnaire, state.answers)
        if snapshot.position in path:  # (never past the first unanswered step)
            state = replace(state, current=flow.placed(questionnaire, state.answers, snapshot.position))
        elif snapshot.position == RESULTS and not dropped:
            # The results, exactly as the other device showed them; a step that a relaxation brought up in a
            # session stored before such steps counted as not asked is taken as not asked ("doesn't matter").
            if any(isinstance(entry, Mapping) and entry.get("applied") for entry in snapshot.relaxations):
                state = replace(state, answers=MappingProxyType(core.not_asked(questionnaire, state.answers)))
            state = replace(state, current=flow.placed(questionnaire, state.answers, None))
        else:
            state = replace(state, current=flow.first_unanswered(questionnaire, state.answers))
        self.state = state
        critiques = []
        for item in snapshot.critiques:
            try:
                direction = str(item["direction"])
                if direction not in ("lower", "higher"):
                    raise ValueError(direction)
                critiques.append(core.Critique(str(item["attribute"]), direction, float(item["reference"])))
            except (KeyError, TypeError, ValueError):
                dropped.append(f"critique {json.dumps(item, default=str)[:60]}")
        self.critiques = tuple(critiques)
        self.relaxations = [dict(item) for item in snapshot.relaxations if isinstance(item, Mapping)]
        self.viewed = [str(sku) for sku in snapshot.viewed][-MAX_VIEWED:]
        self.compared = [str(sku) for sku in snapshot.compared][:MAX_COMPARE]
        self.completed = bool(snapshot.completed)
        self.rated = {about for about in snapshot.rated if about in ABOUT}
        self.dropped = tuple(dropped)
        self._result = None
        self._outcomes = None
        self._results_logged = False

    # -- what surfaces read --------------------------------------------------------------------------------

    @property
    def address(self) -> str:
        """du or Sie, as the questionnaire says for the language."""
        return self.questionnaire.address.get(self.locale, "du")

    @property
    def position(self) -> str:
        return self.state.current or RESULTS

    @property
    def step(self) -> Step | None:
        return self.questionnaire.step(self.state.current) if self.state.current else None

    @property
    def complete(self) -> bool:
        return self.state.complete

    def is_first_step(self) -> bool:
        path = flow.path_of(self.questionnaire, self.state.answers)
        return bool(path) and self.state.current == path[0]

    def snapshot(self) -> Snapshot:
        return Snapshot(
            questionnaire_id=self.questionnaire.id, questionnaire_version=self.questionnaire.version,
            answers=plain_answers(self.state.answers), position=self.position, locale=self.locale,
            critiques=tuple(
                {"attribute": c.attribute, "direction": c.direction, "reference": c.reference} for c in self.critiques
            ),
            relaxations=tuple(dict(item) for item in self.relaxations[-MAX_RELAXATIONS:]),
            viewed=tuple(self.viewed[-MAX_VIEWED:]), compared=tuple(self.compared), run=self.run,
            completed=self.completed, rated=tuple(sorted(self.rated)), product=self.product,
        )  # fmt: skip

    def subscribe(self, subscriber: Subscriber) -> None:
        self._subscribers.append(subscriber)

    def progress(self) -> flow.Progress:
        return flow.progress(self.questionnaire, self.state)

    def recommendation(self, *, log: bool = True) -> core.Recommendation:
        """The products for the answers and critiques (worked out once per state); at the results it is logged, and
        the relaxations it offers are recorded as offered to the shopper. A staff console reads it with `log` False:
        the shopper has seen nothing of it (a change of answer there is no offer they saw or declined)."""
        result = self._current()
        if log and self.state.complete and not self._results_logged:
            self._results_logged = True
            self._results_reached(result)
        return result

    def decision(self, *, log: bool = True) -> Decision:
        """The shown products organised for a decision: distinctive facts, and what each alternative trades
        against the top pick (worked out once per recommendation; `log` as for `recommendation`)."""
        result = self.recommendation(log=log)
        if self._decision is None or self._decision[0] is not result:
            assert self.index is not None
            self._decision = (result, decide(result=result, index=self.index, questionnaire=self.questionnaire,
                                             answers=self.state.answers))  # fmt: skip
        return self._decision[1]

    def _results_reached(self, result: core.Recommendation) -> None:
        self._emit(ev.ResultsShown(result.count, tuple(item.sku for item in result.products)))
        if not self.completed:
            self.completed = True
            self._emit(ev.Completed(result.count))
        for relaxation in result.relaxations:
            entry = _relaxation_entry(relaxation, applied=False)
            if entry not in self.relaxations:
                self.relaxations.append(entry)
                self._emit(ev.RelaxationOffered(relaxation.drop, relaxation.count))

    def owned(self) -> ProductInfo | None:
        """A service run's product as the catalog describes it (None: not named, or not in the catalog)."""
        if not self.product or self.index is None or self.product not in self.index.position:
            return None
        return self.index.products[self.index.position[self.product]]

    def outcomes(self) -> tuple[Applied, ...]:
        """A service flow's outcomes for the answers and the product (worked out once per state); at the end
        they are logged, once per state."""
        if not self.questionnaire.is_service:
            raise SessionError(f"{self.questionnaire.id!r} recommends products; it has no outcomes")
        if self._outcomes is None:
            self._outcomes = outcomes_for(
                flow=self.questionnaire, answers=self.state.answers,
                guides=self.guides if self.guides is not None else guides_in_use(),
                product=self.owned(), catalog=self.catalog,
            )  # fmt: skip
        if self.state.complete and not self._results_logged:
            self._results_logged = True
            self._emit(ev.ServiceShown(tuple((item.id, item.kind) for item in self._outcomes), self.product or None))
            if not self.completed:
                self.completed = True
                self._emit(ev.Completed(len(self._outcomes)))
        return self._outcomes

    def more_choice(self) -> tuple[core.Relaxation, ...]:
        """When only a few products fit: what to drop to see at least as many as the results show."""
        if self.index is None:
            return ()
        wanted = self.questionnaire.results.show
        result = core.recommend(
            index=self.index, questionnaire=self.questionnaire, state=self.state, locale=self.locale,
            critiques=self.critiques, at_least=wanted, show=1, store=self.store_id, held=self.held,
        )  # fmt: skip
        return result.relaxations if 0 < result.count < wanted else ()

    def live_count(self) -> int | None:
        """How many products still fit the answers so far; None where nothing is counted (no catalog, or help with a
        product the shopper already owns)."""
        if self.index is None or self.questionnaire.is_service:
            return None
        return core.live_count(
            index=self.index,
            questionnaire=self.questionnaire,
            answers=self.state.answers,
            critiques=self.critiques,
            store=self.store_id,
            held=self.held,
        )

    def live_count_if(self, step_id: str, answer: Any) -> int | None:
        """How many products would fit with `answer` to `step_id`: a choice ticked or a number set on the screen and
        not confirmed yet, so the shopper sees what it does before going on (None as live_count)."""
        if self.index is None or self.questionnaire.is_service:
            return None
        return core.live_count(
            index=self.index, questionnaire=self.questionnaire, answers={**self.state.answers, step_id: answer},
            critiques=self.critiques, store=self.store_id, held=self.held,
        )  # fmt: skip

    def nearest_fitting(self, step_id: str, value: float) -> tuple[float, int] | None:
        """For a number set on the screen with which nothing fits: the nearest value on the step's scale (its min, max
        and step) with which something does, and how many then fit ("Auf 300 € stellen – dann passen 2 Regenjacken");
        None when something fits at `value`, or within NEAREST_TRIES values of the scale on either side. A `firm` wish
        (the sleepers a tent must hold) is pointed only to where it is still met: "Auf 3 Personen stellen" is no way
        out for six, so only more room is offered, or nothing. Counts are kept for the other answers as they stand, so
        that moving the slider asks again for little."""
        step = self.questionnaire.step(step_id)
        if step.kind != "number" or self.live_count_if(step_id, value) != 0:
            return None
        others = tuple(sorted((key, repr(answer)) for key, answer in self.state.answers.items() if key != step_id))
        key = (step_id, others, tuple(c.key for c in self.critiques), self.store_id, id(self.index), repr(self.held))
        sides: tuple[int, ...] = (-1, 1)
        if step.firm:
            if self._scale_side is None or self._scale_side[0] != key:
                self._scale_side = (key, _stricter_side(self.questionnaire, step, self.state.answers, self.index))
            if self._scale_side[1] == 0:  # (no side keeps the wish: a range that fits, one the catalog cannot tell)
                return None
            sides = (self._scale_side[1],)
        if self._scale_counts is None or self._scale_counts[0] != key:
            self._scale_counts = (key, {})
        counts = self._scale_counts[1]
        low, high, stride = step.min or 0, step.max or 100, step.step or 1
        last = int(round((high - low) / stride))
        here = min(max(int(round((value - low) / stride)), 0), last)
        for distance in range(1, NEAREST_TRIES + 1):  # outward from the value, the lower side first on a tie
            for position in (here + side * distance for side in sides):
                if not 0 <= position <= last:
                    continue
                point = round(low + position * stride, 6)
                shown = int(point) if float(point).is_integer() else point
                if shown not in counts:
                    counts[shown] = self.live_count_if(step_id, shown) or 0
                if counts[shown]:
                    return shown, counts[shown]
            if all(not 0 <= here + side * distance <= last for side in sides):
                break
        return None

    def fit(self, sku: str) -> core.Ranked | None:
        """Why a product on the results fits these answers: its reasons and trade-offs as the results give them,
        for its details. None before the results, in help with an owned product, or for a product not among them."""
        if not self.state.complete or self.index is None or self.questionnaire.is_service:
            return None
        return next((item for item in self._current().products if item.sku == sku), None)  # read, not logged again

    def fitting_variants(self, sku: str) -> tuple[VariantInfo, ...]:
        """The product's variants that fit the answers ("the long version"); all of them when no answer asks."""
        if self.index is None or sku not in self.index.position:
            return ()
        return core.variants_fitting(
            index=self.index,
            questionnaire=self.questionnaire,
            answers=self.state.answers,
            sku=sku,
            store=self.store_id,
            held=self.held,
        )

    def compared_misses(self, locale: str | None = None) -> dict[str, tuple[str, ...]]:
        """Per compared product that does not meet every wish (the answers changed since it was ticked), the wishes it
        misses: the comparison says so beside its name instead of setting it against the others as if it fitted."""
        if self.index is None or not self.compared:
            return {}
        return core.wishes_missed(index=self.index, questionnaire=self.questionnaire, answers=self.state.answers,
                                  skus=self.compared, locale=locale or self.locale, store=self.store_id,
                                  held=self.held)  # fmt: skip

    def size_advice(self, sku: str) -> SizeAdvice | None:
        """The size of a product to try (and its neighbour), from the measurements answered, with their stock in
        the shopper's store; None when the questionnaire advises no size or nothing decides one."""
        if self.index is None or sku not in self.index.position or self.questionnaire.results.size is None:
            return None
        charts = self.size_charts if self.size_charts is not None else size_charts_in_use()
        return size_advice(self.questionnaire, self.state.answers, self.index.products[self.index.position[sku]],
                           charts, store=self.store_id, held=self.held)  # fmt: skip

    def given(self) -> dict[str, Any]:
        """Per step, what the shopper had answered before they dropped that wish so that something fits; the
        surfaces show it with the answer (core.answered). The latest drop's answer counts (the shopper may have
        answered anew in between: 50 € dropped, then 200 € given and dropped again reads 200 €), but a drop of
        what an earlier drop left of a multiple choice keeps the earlier answer (both options were given up)."""
        found: dict[str, Any] = {}
        left: dict[str, Any] = {}  # per step, what the latest drop left of its answer
        for entry in self.relaxations:
            if not entry.get("applied"):
                continue
            keys = [str(key).partition(".") for key in entry.get("drop") or ()]
            for step_id, stored in (entry.get("given") or {}).items():
                answer = tuple(stored) if isinstance(stored, list) else stored
                if step_id not in found or answer != left.get(step_id):  # answered anew since the last drop
                    found[step_id] = answer
                options = {option for step, _, option in keys if step == step_id and option}
                remaining = (
                    tuple(o for o in answer if o not in options) if options and isinstance(answer, tuple) else ()
                )
                left[step_id] = remaining or DONT_CARE
        return found

    @property
    def skip_key(self) -> str:
        """The text key of a question's skip answer: "Ist mir egal" in a product finder, "Weiß ich nicht" in a help
        flow (asked about their own product, the shopper does not know rather than not mind)."""
        return "question.dont_know" if self.questionnaire.is_service else "question.dont_care"

    def answer_text(self, step_id: str, locale: str | None = None) -> str:
        """The answer to a step as the list of answers shows it (with a wish dropped so that something fits); the
        skip answer of a help flow as "Weiß ich nicht", as its button says."""
        step = self.questionnaire.step(step_id)
        return core.answered(step, self.state.answers.get(step_id), locale or self.locale, self.given().get(step_id),
                             service=self.questionnaire.is_service)  # fmt: skip

    def dropped_note(self, step_id: str, locale: str | None = None) -> str:
        """What the shopper had answered to a step and goes without so that something fits, said where they see the
        question again ("Verzichtet, damit etwas passt: Hochgebirge & Winter"); "" when nothing was dropped."""
        step = self.questionnaire.step(step_id)
        dropped = core.dropped_part(step, self.state.answers.get(step_id), self.given().get(step_id))
        if dropped is None:
            return ""
        locale = locale or self.locale
        return text("question.dropped", locale, answer=core.display_answer(step, dropped, locale))

    def use_holds(self, held: Mapping[str, int]) -> bool:
        """What the store has set aside for appointments now (booking.held_in_store): those articles are not on the
        shelf for this shopper. True when that changes what the results say (a requirement or preference on
        `in_stock`, or a size's stock): they are worked out again."""
        if dict(held) == dict(self.held):
            return False
        self.held = dict(held)
        if self.questionnaire.asks_stock or self.questionnaire.results.size is not None:
            self._result = None
            return True
        return False

    def use_index(self, index: CategoryIndex | None, catalog: CatalogIndex | None = None) -> tuple[str, ...]:
        """A new catalog version: the next recommendation (or a service run's outcomes) uses it. Products it no longer
        has leave the comparison (a command, stored as any change); returns them."""
        if index is not self.index or (catalog is not None and catalog is not self.catalog):
            self.index = index
            self.catalog = catalog if catalog is not None else self.catalog
            self._result = None
            self._outcomes = None
        gone = tuple(sku for sku in self.compared if index is not None and sku not in index.position)
        for sku in gone:
            self.compare(sku, False)
        return gone

    # -- commands ------------------------------------------------------------------------------------------

    def apply(self, command: Command) -> None:
        """Carry out one command (SessionError or InvalidAnswer when it does not fit); then tell subscribers."""
        handler = _HANDLERS[type(command)]
        handler(self, command)
        self.pending.append(command)

    def answer(self, step_id: str, value: Any) -> None:
        self.apply(Answer(step_id, value))

    def change_answer(self, step_id: str, value: Any) -> None:
        self.apply(ChangeAnswer(step_id, value))

    def set_answers(self, answers: Mapping[str, Any]) -> None:
        self.apply(SetAnswers(dict(answers)))

    def back(self) -> None:
        self.apply(Back())

    def go_to(self, step_id: str) -> None:
        self.apply(GoTo(step_id))

    def visit(self, position: str) -> bool:
        """The shopper's browser asks for a place of the walk by its address (its Back and Forward buttons): the
        advice moves there when it is a step of the path (answers kept, as with "Zurück") or the results of a
        complete path; an address the answers have since left is ignored. Whether it moved."""
        if position == self.position:
            return False
        before = self.position
        try:
            self.go_to(position)
        except (InvalidAnswer, SessionError):
            return False
        return self.position != before  # (a step past the first unanswered one: that one, see engine.placed)

    def relax(self, drop: Sequence[str]) -> None:
        self.apply(Relax(tuple(drop)))

    def critique(self, key: str) -> None:
        self.apply(ApplyCritique(key))

    def clear_critiques(self) -> None:
        self.apply(ClearCritiques())

    def view(self, sku: str) -> None:
        self.apply(View(sku))

    def compare(self, sku: str, on: bool = True) -> None:
        self.apply(Compare(sku, on))

    def set_locale(self, locale: str) -> None:
        self.apply(SetLocale(locale))

    def rate(self, grade: int, *, scale: str = "grades", about: str = "advice") -> None:
        self.apply(Rate(grade, scale, about))

    def set_product(self, sku: str) -> None:
        self.apply(SetProduct(sku))

    def request_handoff(self, handoff: str) -> None:
        self.apply(RequestHandoff(handoff))

    def close(self) -> None:
        """The shopper leaves this device: a run that never reached the results and was not taken elsewhere
        is abandoned."""
        if not self.completed and not self.shared:
            self._emit(ev.Abandoned(self.state.current))

    # -- persistence hooks (advisor.session.store) ------------------------------------------------------------

    def saved(self, version: int, *, applied: int | None = None) -> None:
        """The stored session now holds this state at `version`, with the first `applied` pending commands
        (all of them by default; a write off the GUI thread may finish after the shopper did more)."""
        self.version = version
        self.shared = True
        del self.pending[: len(self.pending) if applied is None else applied]

    def rebase(self, snapshot: Snapshot, version: int) -> tuple[str, ...]:
        """Another device wrote first: take its stored session and re-apply this one's unsaved commands.

        Returns the commands that no longer fit (for example an answer to a step the other change removed).
        Events are not emitted again: they were emitted when the commands were first applied.
        """
        pending, self.pending = list(self.pending), []
        self._load(snapshot)
        self.version = version
        self.shared = True
        skipped = []
        self._muted = True
        try:
            for command in pending:
                try:
                    self.apply(command)
                except (SessionError, InvalidAnswer) as error:
                    skipped.append(f"{type(command).__name__}: {error}")
        finally:
            self._muted = False
        self._result = None
        self._outcomes = None
        self._emit(ev.Rebased(tuple(skipped)))
        return tuple(skipped)

    # -- inside -------------------------------------------------------------------------------------------

    def _emit(self, event: ev.DomainEvent) -> None:
        if self._muted:
            return
        for subscriber in list(self._subscribers):
            subscriber(self, event)

    def _changed(self) -> None:
        self._result = None
        self._outcomes = None
        self._results_logged = False

    def _step_shown(self, before: str | None) -> None:
        if self.state.current is not None and self.state.current != before:
            self._emit(ev.StepShown(self.state.current))

    def _step(self, step_id: str) -> Step:
        try:
            return self.questionnaire.step(step_id)
        except KeyError:
            raise SessionError(f"the questionnaire has no step {step_id!r}") from None

    def _answered(self, step_id: str) -> None:
        value = self.state.answers.get(step_id)
        self._emit(ev.StepAnswered(step_id, list(value) if isinstance(value, tuple) else value))

    def _do_answer(self, command: Answer) -> None:
        self._step(command.step_id)
        before = self.state.current
        self.state = flow.answer(self.questionnaire, self.state, command.step_id, command.value)
        self._after_answers(before, [command.step_id])

    def _do_change(self, command: ChangeAnswer) -> None:
        self._step(command.step_id)
        before = self.state.current
        self.state = flow.change_answer(self.questionnaire, self.state, command.step_id, command.value)
        self._after_answers(before, [command.step_id])

    def _do_set_answers(self, command: SetAnswers) -> None:
        merged = dict(self.state.answers)
        for step_id, value in command.answers.items():
            if value == DONT_CARE and self.state.answers.get(step_id) == DONT_CARE:
                # the session's own "doesn't matter" sent back: a dropped wish (or a step a drop brought up) even
                # where the question has no such answer; a fresh one there is still refused
                merged[step_id] = DONT_CARE
                continue
            merged[step_id] = answer_from_json(self._step(step_id), value)
        before = self.state.current
        placed = flow.with_answers(self.questionnaire, self.state, merged)
        self.state = replace(placed, current=flow.first_unanswered(self.questionnaire, placed.answers))
        self._after_answers(before, [step_id for step_id in command.answers if step_id in self.state.answers])

    def _after_answers(self, before: str | None, step_ids: Sequence[str]) -> None:
        # Chosen critiques stay ("lighter than 2.1 kg" still means that); the results list them to clear.
        self._changed()
        for step_id in step_ids:
            self._answered(step_id)
        self._step_shown(before)

    def _do_back(self, _command: Back) -> None:
        before = self.state.current
        self.state = flow.back(self.questionnaire, self.state)
        self._changed()
        if self.state.current != before:
            self._emit(ev.WentBack(self.state.current))
        self._step_shown(before)

    def _do_go_to(self, command: GoTo) -> None:
        if command.step_id != RESULTS:
            self._step(command.step_id)
        before = self.state.current
        self.state = flow.go_to(self.questionnaire, self.state, command.step_id)
        self._changed()
        self._step_shown(before)

    def _do_relax(self, command: Relax) -> None:
        wanted = tuple(command.drop)
        # Nothing fits: the results' own offers; a few fit: the "more choice" ones (worked out only then).
        relaxation = next((r for r in self._current().relaxations if r.drop == wanted), None) or next(
            (r for r in self.more_choice() if r.drop == wanted), None
        )
        if relaxation is None:
            raise SessionError("this suggestion is no longer offered")
        before = self.state.current
        steps = dict.fromkeys(key.partition(".")[0] for key in relaxation.drop)
        given = {
            step_id: _stored_answer(self.state.answers[step_id]) for step_id in steps if step_id in self.state.answers
        }
        self.state = core.relax(self.questionnaire, self.state, relaxation.drop)
        self.relaxations.append({**_relaxation_entry(relaxation, applied=True), "given": given})
        self._changed()
        self._emit(ev.RelaxationApplied(relaxation.drop, relaxation.count))
        self._step_shown(before)

    def _do_critique(self, command: ApplyCritique) -> None:
        offered = {critique.key: critique for critique in self._current().critiques}
        critique = offered.get(command.key)
        if critique is None:
            # The results changed under the tap (another device changed an answer) or the key names no value
            # ("weight_kg:lower"): "lighter" means lighter than what fits now, where that is still offered.
            attribute, direction = (command.key.split(":") + ["", ""])[:2]
            critique = next((c for c in offered.values() if (c.attribute, c.direction) == (attribute, direction)), None)
        if critique is None:
            raise SessionError("this suggestion is no longer offered")
        self.critiques = core.with_critique(self.critiques, critique)
        self._changed()
        self._emit(ev.CritiqueUsed(critique.key, critique.count))

    def _do_clear_critiques(self, _command: ClearCritiques) -> None:
        if self.critiques:
            self.critiques = ()
            self._changed()
            self._emit(ev.CritiquesCleared())

    def _known_product(self, sku: str) -> None:
        if self.index is not None and sku not in self.index.position:
            raise SessionError(f"no product {sku!r} in {self.questionnaire.category}")

    def _do_view(self, command: View) -> None:
        self._known_product(command.sku)
        self.viewed = [*(sku for sku in self.viewed if sku != command.sku), command.sku][-MAX_VIEWED:]
        self._emit(ev.ProductViewed(command.sku))

    def _do_compare(self, command: Compare) -> None:
        if command.on:
            self._known_product(command.sku)
            if command.sku in self.compared:
                return
            if len(self.compared) >= MAX_COMPARE:
                raise SessionError(f"at most {MAX_COMPARE} products are compared")
            self.compared.append(command.sku)
        elif command.sku in self.compared:
            self.compared.remove(command.sku)
        else:
            return
        self._emit(ev.ComparisonChanged(tuple(self.compared)))

    def _do_set_locale(self, command: SetLocale) -> None:
        if command.locale not in self.questionnaire.locales:
            raise SessionError(f"the questionnaire is in {', '.join(self.questionnaire.locales)}, not {command.locale}")
        if command.locale != self.locale:
            self.locale = command.locale
            self._result = None  # reasons are worded in the language; what was logged stays logged
            self._emit(ev.LocaleChanged(command.locale))

    def _do_rate(self, command: Rate) -> None:
        if command.scale not in SCALES:
            raise SessionError(f"unknown rating scale {command.scale!r}; known: {', '.join(SCALES)}")
        low, high = SCALES[command.scale]
        if not low <= command.grade <= high:
            raise SessionError(f"a rating on the {command.scale} scale is {low} to {high}, not {command.grade}")
        if command.about not in ABOUT:
            raise SessionError(f"feedback is about the advice or the contact, not {command.about!r}")
        if command.about in self.rated:
            return  # one rating per run and subject: a second tap changes nothing
        self.rated.add(command.about)
        self._emit(ev.Rated(command.grade, command.scale, command.about))

    def _do_set_product(self, command: SetProduct) -> None:
        if not self.questionnaire.is_service:
            raise SessionError(f"{self.questionnaire.id!r} recommends products; it is not about one of the shopper's")
        if command.sku:
            self._known_product(command.sku)
        if command.sku != self.product:
            self.product = command.sku
            before = self.state.current
            self._walk_for_product()
            self._changed()
            self._emit(ev.ProductNamed(command.sku))
            self._step_shown(before)

    def _walk_for_product(self) -> None:
        """A service flow is walked for the product named: its steps' conditions see the product's attributes, so
        a question about what the product lacks is not asked, and an answer to one it no longer asks is dropped."""
        owned = self.owned()
        walked = self.questionnaire.for_product(owned, product_values(owned))
        if walked is not self.questionnaire:
            self.questionnaire = walked
            self.state = flow.with_answers(walked, self.state, self.state.answers)

    def _do_request_handoff(self, command: RequestHandoff) -> None:
        self.shared = True
        self._emit(ev.HandoffRequested(command.handoff))

    def _current(self) -> core.Recommendation:
        if self.index is None:
            raise SessionError(f"the catalog has no category {self.questionnaire.category!r}")
        if self._result is None:
            self._result = core.recommend(
                index=self.index, questionnaire=self.questionnaire, state=self.state, locale=self.locale,
                critiques=self.critiques, store=self.store_id, held=self.held,
            )  # fmt: skip
        return self._result


def _stored_answer(answer: Any) -> Any:
    return list(answer) if isinstance(answer, tuple) else answer


def _relaxation_entry(relaxation: core.Relaxation, *, applied: bool) -> dict[str, Any]:
    return {"drop": list(relaxation.drop), "labels": list(relaxation.labels), "count": relaxation.count,
            "applied": applied}  # fmt: skip


_HANDLERS: dict[type, Callable[[AdviceSession, Any], None]] = {
    Answer: AdviceSession._do_answer,
    ChangeAnswer: AdviceSession._do_change,
    SetAnswers: AdviceSession._do_set_answers,
    Back: AdviceSession._do_back,
    GoTo: AdviceSession._do_go_to,
    Relax: AdviceSession._do_relax,
    ApplyCritique: AdviceSession._do_critique,
    ClearCritiques: AdviceSession._do_clear_critiques,
    View: AdviceSession._do_view,
    Compare: AdviceSession._do_compare,
    SetLocale: AdviceSession._do_set_locale,
    Rate: AdviceSession._do_rate,
    SetProduct: AdviceSession._do_set_product,
    RequestHandoff: AdviceSession._do_request_handoff,
}


def _stricter_side(
    questionnaire: Questionnaire, step: Step, answers: Mapping[str, Any], index: CategoryIndex | None
) -> int:
    """The end of a number step's scale towards which its own wish asks more of a product (1: the higher values, as
    a tent's sleepers: one for 7 holds 6; -1: the lower), from the products it lets through at the scale's two ends
    (a model's variants each: the long bag for a taller sleeper); 0 when neither end's products are among the
    other's (a range that fits, the torso's) or the catalog does not tell them apart."""
    if index is None or not step.requires:
        return 0
    columns: Any = index.variant_columns() if index.has_variants else index
    ends = []
    for end in (step.min or 0, step.max or 100):
        values = flow.walk(questionnaire, {**answers, step.id: end})[1]
        masks = [evaluate_columns(requirement.expression, values, columns) for requirement in step.requires]
        ends.append(functools.reduce(operator.and_, masks))
    low, high = ends
    if (low == high).all():
        return 0
    if not (high & ~low).any():
        return 1
    if not (low & ~high).any():
        return -1
    return 0
