"""Service runs in the insights: random streams of runs whose true figures the generator counts itself."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from advisor import engine as flow_engine
from advisor.insights.events import Event, EventLog, read_events
from advisor.insights.report import build_report
from advisor.insights.service import (
    NONE,
    PART,
    PERSON,
    REPAIR,
    RESOLUTIONS,
    SELF_HELP,
    SERVICE_OUTCOMES,
    record_service_run,
    service_event_fields,
    service_figures,
    service_section,
)
from advisor.questionnaire.model import DONT_CARE, Questionnaire
from advisor.service.outcomes import outcomes_for
from tests.helpers.service import FLOWS, merged_catalog, shipped_flow

CATALOG = merged_catalog()
START = datetime(2026, 11, 1, tzinfo=UTC)
KIND_TO_RESOLUTION = {"guide": SELF_HELP, "parts": PART, "repair": REPAIR, "warranty": REPAIR, "person": PERSON}


def random_answers(rng: random.Random, flow: Questionnaire) -> dict[str, Any]:
    """A flow answered to its end by chance (options, numbers in range, "doesn't matter")."""
    state = flow_engine.start(flow)
    while state.current is not None:
        step = flow.step(state.current)
        if step.dont_care and rng.random() < 0.15:
            value: Any = DONT_CARE
        elif step.kind == "single":
            value = rng.choice(step.options).id
        elif step.kind == "yes_no":
            value = rng.random() < 0.5
        else:
            assert step.min is not None and step.max is not None
            value = rng.randint(int(step.min), int(step.max))
        state = flow_engine.answer(flow, state, step.id, value)
    return dict(state.answers)


class Stream:
    """A random stream of service runs (some show their outcomes twice), and the figures it truly has."""

    def __init__(self, seed: int, runs: int) -> None:
        rng = random.Random(seed)
        self.events: list[Event] = []
        self.by_family: dict[str, Counter[str]] = {}
        self.by_product: dict[str, Counter[str]] = {}
        self.resolutions: Counter[str] = Counter()
        self.flows: Counter[str] = Counter()
        moment = START
        for number in range(runs):
            flow = shipped_flow(rng.choice(FLOWS))
            products = CATALOG.categories[flow.category].products
            run = f"run-{number}"
            final: tuple[dict[str, Any], str | None, list[str]] | None = None
            for _ in range(2 if rng.random() < 0.25 else 1):  # an answer changed: the outcomes shown again
                answers = random_answers(rng, flow)
                product = rng.choice(products) if rng.random() < 0.6 else None
                applied = outcomes_for(flow=flow, answers=answers, product=product, catalog=CATALOG)
                fields = service_event_fields(
                    flow=flow,
                    answers=answers,
                    outcomes=[(a.id, a.kind) for a in applied],
                    sku=product.sku if product else None,
                )
                moment += timedelta(minutes=rng.randint(1, 30))
                self.events.append(Event(SERVICE_OUTCOMES, flow.id, moment, run=run, **fields))
                final = (answers, product.sku if product else None, [a.kind for a in applied])
            if rng.random() < 0.3:  # a finder run in between: not a service run
                self.events.append(Event("started", "tent-finder", moment, run=f"finder-{number}"))
            assert final is not None
            answers, sku, kinds = final
            problem = answers.get(flow.problem_step or "")
            problems = [] if problem in (None, DONT_CARE) else [str(problem)]
            for item in problems:
                self.by_family.setdefault(flow.category, Counter())[item] += 1
                if sku is not None:
                    self.by_product.setdefault(sku, Counter())[item] += 1
            self.resolutions[KIND_TO_RESOLUTION[kinds[0]] if kinds else NONE] += 1
            self.flows[flow.id] += 1
        self.runs = runs


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 120))
def test_the_service_figures_are_the_generators_own_counts(seed: int, runs: int) -> None:
    stream = Stream(seed, runs)
    figures = service_figures(stream.events)
    assert figures.runs == stream.runs == sum(figures.resolutions.values())
    assert figures.by_family == stream.by_family
    assert figures.by_product == stream.by_product
    assert figures.resolutions == stream.resolutions
    assert figures.flows == stream.flows
    for counts in figures.by_family.values():
        top = figures.top_problems(counts, 3)
        assert [n for _, n in top] == sorted(counts.values(), reverse=True)[:3]


def test_the_report_counts_service_runs_apart_from_the_finders() -> None:
    stream = Stream(7, 80)
    finders = {"tent-finder": shipped_flow("tent-help.yaml")}  # any questionnaire under the finder's id
    report = build_report(stream.events, finders, {}, locale="en")
    assert report.service.runs == 80 and report.service.resolutions == stream.resolutions
    assert [q.questionnaire_id for q in report.questionnaires] == ["tent-finder"]
    assert report.events == len(stream.events)
    alone = build_report([e for e in stream.events if e.kind != SERVICE_OUTCOMES], finders, {}, locale="en")
    assert report.questionnaires == alone.questionnaires


def test_the_service_section_names_problems_products_and_resolutions() -> None:
    stream = Stream(3, 150)
    figures = service_figures(stream.events)
    flows = {name: shipped_flow(name) for name in FLOWS}
    names = {"tents": [(p.sku, p.name["en"]) for p in CATALOG.categories["tents"].products]}
    for locale in ("de", "en"):
        section = service_section(figures, flows, names, locale)
        labels = {
            option.id: option.label[locale]
            for name in ("tent-help.yaml", "zip-help.yaml")
            for option in flows[name].step(flows[name].problem_step or "").options
        }
        top = sorted(stream.by_family["tents"].items(), key=lambda item: (-item[1], item[0]))[:5]
        assert dict(section.families)["tents"] == tuple((labels[problem], n) for problem, n in top)
        busiest = min(stream.by_product, key=lambda sku: (-stream.by_product[sku].total(), sku))  # ties: by sku
        product, problems = section.products[0]
        shown_name = dict(names["tents"]).get(busiest)
        assert product == (f"{shown_name} ({busiest})" if shown_name else busiest)
        assert problems[0][1] == max(stream.by_product[busiest].values())
        assert [runs for _, runs, _ in section.resolutions] == [stream.resolutions[r] for r in RESOLUTIONS]
        assert abs(sum(share for _, _, share in section.resolutions) - 1) < 1e-9
    assert service_section(figures, flows, names, "de").resolutions[0][0] == "Selbsthilfe (Anleitung)"


def test_service_runs_go_through_the_event_log_and_come_back(engine: Engine) -> None:
    log = EventLog(engine, channel="kiosk", store_id="muc-01")
    flow = shipped_flow("zip-help.yaml")
    answers = {"zip_problem": "splits", "bought_months": 4}
    applied = outcomes_for(flow=flow, answers=answers, catalog=CATALOG)
    for run, sku in (("a", "NG-TENT-0002"), ("b", None), ("a", "NG-TENT-0002")):
        record_service_run(
            log, run=run, flow=flow, answers=answers, outcomes=[(x.id, x.kind) for x in applied], sku=sku
        )
    log.flush()
    events = list(read_events(engine))
    assert [e.kind for e in events] == [SERVICE_OUTCOMES] * 3 and events[0].store_id == "muc-01"
    assert events[0].value["outcomes"] == ["slider-guide", "slider-set", "warranty", "talk"]
    figures = service_figures(events)
    assert figures.runs == 2 and figures.resolutions == Counter({SELF_HELP: 2})
    assert figures.by_family == {"tents": Counter({"splits": 2})}
    assert figures.by_product == {"NG-TENT-0002": Counter({"splits": 1})}
