"""Service runs in the anonymous event log, and the figures about them: the most frequent problems per product and
per family, and how many were solved by self-help, by a part, by a repair, by a person.

Definitions (the report says the same):
- a service run logs one `service_outcomes` event each time it shows its outcomes: the flow, the step that names
  the problem and its answer (option ids), the product's category and sku (when the shopper named it), the ids of
  the outcomes shown and the run's *resolution*; a run that shows outcomes again (an answer changed) counts once,
  with its last event;
- the resolution is the way the first outcome shown offers: a guide is self-help, parts a part, a repair or a
  warranty claim a repair (the store looks at the product either way), a person a person; a run with no outcome has
  none;
- a problem is the answer to the flow's problem step (each chosen option of a multiple-choice step counts);
- a service run is *started* when its `started` event is in the period; of those, the runs that showed their
  outcomes *reached an outcome* (the others were left before, at a question): started against reached is the
  drop-off of the help flows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from advisor.insights.events import Event, EventLog
from advisor.questionnaire.model import DONT_CARE, Questionnaire

SERVICE_OUTCOMES = "service_outcomes"
SELF_HELP, PART, REPAIR, PERSON, NONE = "self_help", "part", "repair", "person", "none"
RESOLUTIONS = (SELF_HELP, PART, REPAIR, PERSON, NONE)
RESOLUTION_OF_KIND = {"guide": SELF_HELP, "parts": PART, "repair": REPAIR, "warranty": REPAIR, "person": PERSON}
RESOLUTION_LABELS = {
    SELF_HELP: {"de": "Selbsthilfe (Anleitung)", "en": "Self-help (a guide)"},
    PART: {"de": "Ersatzteil oder Pflegemittel", "en": "A part or care product"},
    REPAIR: {"de": "Reparatur oder Gewährleistung", "en": "A repair or warranty claim"},
    PERSON: {"de": "Gespräch mit dem Team", "en": "A talk with the team"},
    NONE: {"de": "Keine Lösung angezeigt", "en": "No outcome shown"},
}


def resolution_of(kinds: Sequence[str]) -> str:
    """How a run's problem is solved: by the way its first outcome offers (NONE without outcomes)."""
    return RESOLUTION_OF_KIND.get(kinds[0], NONE) if kinds else NONE


def _problem(answer: Any) -> list[str]:
    """An answer as problem ids: an option id, each option of a multiple choice, a number or yes/no as text."""
    if answer is None or answer == DONT_CARE:
        return []
    if isinstance(answer, list | tuple):
        return [str(item) for item in answer]
    if isinstance(answer, bool):
        return ["yes" if answer else "no"]
    return [str(answer)]


def service_event_fields(
    *, flow: Questionnaire, answers: Mapping[str, Any], outcomes: Sequence[tuple[str, str]], sku: str | None
) -> dict[str, Any]:
    """What a service run's `service_outcomes` event is logged with (ids and numbers only).

    `outcomes`: the (id, kind) of each outcome shown, in order (advisor.service.outcomes.outcomes_for).
    """
    problem_step = flow.problem_step
    return {
        "step_id": problem_step,
        "value": {
            "problem": _problem(answers.get(problem_step)) if problem_step else [],
            "category": flow.category,
            "sku": sku,
            "outcomes": [outcome_id for outcome_id, _ in outcomes],
            "resolution": resolution_of([kind for _, kind in outcomes]),
        },
        "number": float(len(outcomes)),
    }


def record_service_run(
    log: EventLog,
    *,
    run: str,
    flow: Questionnaire,
    answers: Mapping[str, Any],
    outcomes: Sequence[tuple[str, str]],
    sku: str | None,
) -> None:
    """Log that a service run showed its outcomes (the surface's event log adds channel and store)."""
    fields = service_event_fields(flow=flow, answers=answers, outcomes=outcomes, sku=sku)
    log.record(SERVICE_OUTCOMES, run=run, questionnaire_id=flow.id, questionnaire_version=flow.version, **fields)


@dataclass(frozen=True)
class ServiceFigures:
    """Service runs of a period: problems per family and per product, and how they were solved."""

    runs: int = 0
    by_family: Mapping[str, Counter[str]] = field(default_factory=dict)  # category -> problem -> runs
    by_product: Mapping[str, Counter[str]] = field(default_factory=dict)  # sku -> problem -> runs
    resolutions: Counter[str] = field(default_factory=Counter)
    flows: Counter[str] = field(default_factory=Counter)  # service flow id -> runs
    started: Counter[str] = field(default_factory=Counter)  # service flow id -> runs started in the period
    reached: Counter[str] = field(default_factory=Counter)  # service flow id -> of those, runs that showed outcomes

    @property
    def has_data(self) -> bool:
        return self.runs > 0 or self.started.total() > 0

    def top_problems(self, counts: Counter[str], limit: int = 5) -> list[tuple[str, int]]:
        """The most frequent problems, most first (ties by id)."""
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]

    def resolution_rows(self) -> list[tuple[str, int]]:
        """Each resolution with its runs, in the fixed order (self-help, part, repair, person, none)."""
        return [(resolution, self.resolutions.get(resolution, 0)) for resolution in RESOLUTIONS]


def service_figures(events: Iterable[Event], flow_ids: Iterable[str] = ()) -> ServiceFigures:
    """The figures of the service runs among the events (each run counted once, with its last event).

    `flow_ids`: the service flows offered; a questionnaire whose runs logged outcomes is one too. Their runs
    started in the period, and of those the ones that showed outcomes, are counted per flow."""
    events = list(events)
    service_ids = set(flow_ids) | {event.questionnaire_id for event in events if event.kind == SERVICE_OUTCOMES}
    started_runs: dict[str, set[str]] = {}
    outcome_runs: set[str] = set()
    last: dict[str, Event] = {}
    anonymous: list[Event] = []
    for event in events:
        if event.questionnaire_id in service_ids and event.run is not None:
            if event.kind == "started":
                started_runs.setdefault(event.questionnaire_id, set()).add(event.run)
            elif event.kind == SERVICE_OUTCOMES:
                outcome_runs.add(event.run)
        if event.kind != SERVICE_OUTCOMES or not isinstance(event.value, Mapping):
            continue
        if event.run is None:
            anonymous.append(event)
        else:
            last[event.run] = event
    by_family: dict[str, Counter[str]] = {}
    by_product: dict[str, Counter[str]] = {}
    resolutions: Counter[str] = Counter()
    flows: Counter[str] = Counter()
    for event in [*last.values(), *anonymous]:
        value = event.value
        problems = [str(p) for p in value.get("problem") or ()]
        category, sku = value.get("category"), value.get("sku")
        flows[event.questionnaire_id] += 1
        resolution = value.get("resolution")
        resolutions[resolution if resolution in RESOLUTIONS else NONE] += 1
        for problem in problems:
            if isinstance(category, str):
                by_family.setdefault(category, Counter())[problem] += 1
            if isinstance(sku, str):
                by_product.setdefault(sku, Counter())[problem] += 1
    started = Counter({flow_id: len(runs) for flow_id, runs in started_runs.items()})
    reached = Counter({flow_id: len(runs & outcome_runs) for flow_id, runs in started_runs.items()})
    return ServiceFigures(len(last) + len(anonymous), by_family, by_product, resolutions, flows, started, reached)


@dataclass(frozen=True)
class ServiceSection:
    """The report's service section in words: per family and per product the top problems, and the resolutions."""

    runs: int
    families: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]
    products: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]
    resolutions: tuple[tuple[str, int, float], ...]  # label, runs, share of the runs
    flows: tuple[tuple[str, int], ...] = ()  # each service flow offered or run: title, runs (most first)
    # Each service flow started in the period: title, runs started, of those the runs that reached an outcome (most
    # started first); and all of them together.
    reach: tuple[tuple[str, int, int], ...] = ()
    started: int = 0
    reached: int = 0

    @property
    def reach_rows(self) -> list[tuple[str, int, int, float]]:
        """Each service flow started in the period: title, started, reached an outcome, the share that did."""
        return [
            (title, started, reached, reached / started if started else 0.0) for title, started, reached in self.reach
        ]

    @property
    def reach_rate(self) -> float:
        """The share of the started service runs that reached an outcome."""
        return self.reached / self.started if self.started else 0.0


def problem_label(flows: Iterable[Questionnaire], category: str, problem: str, locale: str) -> str:
    """A problem id as the service flows of the category name it (the option's label), else the id."""
    for flow in flows:  # a product no longer in the catalog has no category: any flow's option then
        if (category and flow.category != category) or flow.problem_step is None:
            continue
        try:
            option = flow.step(flow.problem_step).option(problem)
        except KeyError:
            continue
        if option is not None:
            return option.label.get(locale) or option.label.get("en") or problem
    return problem


def service_section(
    figures: ServiceFigures,
    flows: Mapping[str, Questionnaire],
    products_by_category: Mapping[str, Sequence[tuple[str, str]]],
    locale: str,
    *,
    limit: int = 5,
    families: Mapping[str, str] | None = None,
) -> ServiceSection:
    """The service figures for the report: families and products by runs, each with its most frequent problems.

    `families`: a category's name as the reader knows it ("Zelte"); without one the category id is shown.
    """
    names = {sku: (category, name) for category, items in products_by_category.items() for sku, name in items}
    shown = list(flows.values())
    family_names = families or {}
    by_family = tuple(
        (
            family_names.get(category, category),
            tuple((problem_label(shown, category, p, locale), n) for p, n in figures.top_problems(counts, limit)),
        )
        for category, counts in sorted(figures.by_family.items(), key=lambda item: (-item[1].total(), item[0]))
    )
    products = []
    for sku, counts in sorted(figures.by_product.items(), key=lambda item: (-item[1].total(), item[0]))[:limit]:
        category, name = names.get(sku, ("", sku))
        top = tuple((problem_label(shown, category, p, locale), n) for p, n in figures.top_problems(counts, limit))
        products.append((f"{name} ({sku})" if name != sku else sku, top))
    total = figures.runs or 1
    resolutions = tuple(
        (RESOLUTION_LABELS[resolution][locale if locale in ("de", "en") else "en"], runs, runs / total)
        for resolution, runs in figures.resolution_rows()
    )
    titles = {flow_id: _title(flow, locale) for flow_id, flow in flows.items()}
    runs_by_flow = {flow_id: figures.flows.get(flow_id, 0) for flow_id in [*flows, *figures.flows]}
    flow_rows = tuple(
        (titles.get(flow_id, flow_id), runs)
        for flow_id, runs in sorted(runs_by_flow.items(), key=lambda item: (-item[1], titles.get(item[0], item[0])))
    )
    reach = tuple(
        (titles.get(flow_id, flow_id), started, figures.reached.get(flow_id, 0))
        for flow_id, started in sorted(
            figures.started.items(), key=lambda item: (-item[1], titles.get(item[0], item[0]))
        )
    )
    return ServiceSection(
        figures.runs, by_family, tuple(products), resolutions, flow_rows, reach,
        figures.started.total(), figures.reached.total(),
    )  # fmt: skip


def _title(flow: Questionnaire, locale: str) -> str:
    return flow.title.get(locale) or flow.title.get(flow.default_locale) or flow.id
