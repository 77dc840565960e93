"""The questionnaire as the engine and recommender use it: frozen values built from a checked file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from types import MappingProxyType
from typing import Any

from advisor.catalog.dictionary import IN_STOCK
from advisor.expressions import Expression

Texts = Mapping[str, str]
Position = tuple[int, int]  # 1-based line and column in the file
Path = tuple[str | int, ...]  # where in the file's structure: ("steps", 2, "options", 0)
RESULTS_STEP = "results"
DONT_CARE = "dont_care"
KINDS = ("single", "multiple", "number", "yes_no")
FINDER = "finder"  # a questionnaire that ends in products
SERVICE = "service"  # a service flow: help with a product the shopper owns, ending in outcomes
QUESTIONNAIRE_KINDS = (FINDER, SERVICE)
OUTCOME_KINDS = ("guide", "parts", "repair", "warranty", "person")
# The body measurements a size chart maps to sizes (in cm), as a questionnaire's size block names them.
MAX_PRODUCT_FLOWS = 256  # a flow walked for so many products of the shoppers at most is kept (then started anew)
MEASUREMENTS = ("height", "chest", "torso", "foot")


@dataclass(frozen=True)
class Requirement:
    """A hard condition on products, with how it is named to the shopper."""

    expression: Expression
    label: Texts | None
    step_id: str
    option_id: str | None
    position: Position = (0, 0)
    path: Path = ()  # of the expression's text

    @property
    def key(self) -> str:
        """A stable id within the questionnaire: step, option and the expression."""
        owner = f"{self.step_id}.{self.option_id}" if self.option_id else self.step_id
        return f"{owner}: {self.expression.source}"


@dataclass(frozen=True)
class Preference:
    """A soft, weighted wish about one attribute."""

    attribute: str
    direction: str | None = None
    target: Expression | None = None
    contains: str | None = None
    equals: str | None = None
    weight: float = 1.0
    importance: str | None = None
    position: Position = (0, 0)
    target_position: Position = (0, 0)
    path: Path = ()


@dataclass(frozen=True)
class Option:
    """One choice of a single- or multiple-choice step."""

    id: str
    label: Texts
    description: Texts = field(default_factory=dict)
    icon: str | None = None
    value: Any = None
    requires: tuple[Requirement, ...] = ()
    prefers: tuple[Preference, ...] = ()
    path: Path = ()

    @property
    def answer_value(self) -> Any:
        """What choosing this option stands for in expressions."""
        return self.id if self.value is None else self.value


@dataclass(frozen=True)
class Route:
    """Go to `goto` when `condition` holds (always, without a condition)."""

    goto: str
    condition: Expression | None = None
    position: Position = (0, 0)  # of the condition's text
    goto_position: Position = (0, 0)
    path: Path = ()


@dataclass(frozen=True)
class Step:
    """One question."""

    id: str
    kind: str
    question: Texts
    help: Texts = field(default_factory=dict)
    short: Texts = field(default_factory=dict)  # the question in a word or two (the insights report's wishes)
    options: tuple[Option, ...] = ()
    dont_care: bool = False
    firm: bool = False  # offered for dropping only after the other wishes (a tent's sleepers, a body height)
    min: float | None = None
    max: float | None = None
    step: float | None = None
    default: float | None = None
    unit: str | None = None
    show_if: Expression | None = None
    show_if_position: Position = (0, 0)
    routes: tuple[Route, ...] = ()
    requires: tuple[Requirement, ...] = ()
    prefers: tuple[Preference, ...] = ()
    position: Position = (0, 0)
    field_positions: Mapping[str, Position] = field(default_factory=dict)
    path: Path = ()

    @property
    def kind_known(self) -> bool:
        """False for a step whose kind is mistyped: checks that need the kind skip it."""
        return self.kind in KINDS

    def at(self, key: str) -> Position:
        """Where one of the step's keys is written (the step's own position when absent)."""
        return self.field_positions.get(key, self.position)

    @cached_property
    def _options_by_id(self) -> Mapping[str, Option]:
        return {option.id: option for option in self.options}

    def option(self, option_id: str) -> Option | None:
        return self._options_by_id.get(option_id)


@dataclass(frozen=True)
class Diversity:
    """At most `max_per_value` shown products share a value of `attribute`."""

    attribute: str
    max_per_value: int


@dataclass(frozen=True)
class Sizing:
    """Size advice at the end: the attribute whose values are sizes, and the number steps that ask each body
    measurement (a measurement of MEASUREMENTS -> a step id); the size charts map the answers to a size."""

    attribute: str
    measurements: Mapping[str, str] = field(default_factory=dict)
    path: Path = ("results", "size")


@dataclass(frozen=True)
class Results:
    """How many products to show, the order among equal scores, the diversity rule, and the size advice."""

    show: int = 5
    tie_break: tuple[str, ...] = ("price",)
    diversity: Diversity | None = None
    size: Sizing | None = None


@dataclass(frozen=True)
class Example:
    """A merchandiser's test: answers and what must (not) be among the first `top` products."""

    name: str
    answers: Mapping[str, Any]
    top: int = 5
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    count_at_least: int | None = None
    no_match: bool = False
    position: Position = (0, 0)
    path: Path = ()
    outcomes: tuple[str, ...] | None = None  # a service flow's example: exactly these outcomes, in this order
    product: str | None = None  # a service flow's example: the sku of the shopper's product


@dataclass(frozen=True)
class Parts:
    """The spare parts or care products an outcome offers: named skus, and those of `category` a rule selects."""

    skus: tuple[str, ...] = ()
    category: str | None = None
    rule: Expression | None = None


@dataclass(frozen=True)
class Repair:
    """A repair: at the store (turnaround in days, cost range in EUR) or by the manufacturer's repair service."""

    by: str  # store or manufacturer
    days: int | None = None
    cost_min: float | None = None
    cost_max: float | None = None


@dataclass(frozen=True)
class Outcome:
    """Where a service flow ends when its condition holds: a guide, parts, a repair, warranty guidance, a person."""

    id: str
    kind: str
    title: Texts
    text: Texts = field(default_factory=dict)
    condition: Expression | None = None  # None: always
    guide: str | None = None
    parts: Parts | None = None
    repair: Repair | None = None
    purchased: str | None = None  # warranty: the number step that asks how many months ago it was bought
    position: Position = (0, 0)
    field_positions: Mapping[str, Position] = field(default_factory=dict)
    path: Path = ()

    def at(self, key: str) -> Position:
        """Where one of the outcome's keys is written (the outcome's own position when absent)."""
        return self.field_positions.get(key, self.position)


@dataclass(frozen=True)
class Questionnaire:
    """A checked questionnaire file."""

    id: str
    category: str
    locales: tuple[str, ...]
    default_locale: str
    address: Mapping[str, str]
    title: Texts
    intro: Texts
    steps: tuple[Step, ...]
    results: Results = Results()
    examples: tuple[Example, ...] = ()
    format_version: int = 2
    version: str = ""
    path: str = ""
    kind: str = FINDER
    outcomes: tuple[Outcome, ...] = ()
    problem: str | None = None  # a service flow's step whose answer names the problem (insights); the first step
    icon: str | None = None  # the start and help screens' picture; None: the category's
    # A service flow walked for the shopper's own product: its attributes (and price), which the steps' show_if and
    # routes see beneath the answers (empty: no product named, every attribute is null). See `for_product`.
    product_facts: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    _for_products: dict[int, tuple[object, Questionnaire]] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    @property
    def is_service(self) -> bool:
        return self.kind == SERVICE

    def for_product(self, product: object | None, facts: Mapping[str, Any]) -> Questionnaire:
        """This flow as walked for the shopper's own `product` (None: not named), whose attributes are `facts`: the
        same questionnaire, its conditions on steps seeing the product ("is the pole broken?" is not asked about a
        tent pitched with trekking poles). One object per product, so the engine's walks of it are kept."""
        base = self._base
        if product is None:
            return base
        known = base._for_products.get(id(product))
        if known is not None and known[0] is product:
            return known[1]
        walked = replace(base, product_facts=MappingProxyType(dict(facts)))
        walked.__dict__["_base_flow"] = base
        if len(base._for_products) >= MAX_PRODUCT_FLOWS:
            base._for_products.clear()
        base._for_products[id(product)] = (product, walked)
        return walked

    @property
    def _base(self) -> Questionnaire:
        """The questionnaire as loaded, without a product."""
        base: Questionnaire = self.__dict__.get("_base_flow", self)
        return base

    @property
    def problem_step(self) -> str | None:
        """The step whose answer names a service flow's problem: `problem`, else the first step."""
        return self.problem or (self.steps[0].id if self.steps else None)

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def index(self, step_id: str) -> int:
        for i, step in enumerate(self.steps):
            if step.id == step_id:
                return i
        raise KeyError(step_id)

    @property
    def step_ids(self) -> tuple[str, ...]:
        return tuple(step.id for step in self.steps)

    @cached_property
    def asks_stock(self) -> bool:
        """Whether a requirement or preference reads `in_stock`: then what the store has set aside for appointments
        changes which products fit or lead, and a surface tells the session (AdviceSession.use_holds)."""
        owners: list[Step | Option] = [*self.steps, *(option for step in self.steps for option in step.options)]
        return any(
            any(IN_STOCK in r.expression.names for r in owner.requires)
            or any(p.attribute == IN_STOCK for p in owner.prefers)
            for owner in owners
        )

    @cached_property
    def positions(self) -> Mapping[str, int]:
        """Each step id's position in the file."""
        return {step.id: i for i, step in enumerate(self.steps)}
