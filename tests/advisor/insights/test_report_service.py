"""The report's service section: random service runs go through a real SQLite event log and `advisor report`, and
what the reader sees (runs, each family's most frequent problems, the top products, how it was solved) is what
the generator counted itself."""

from __future__ import annotations

import csv
import html as html_lib
import io
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from advisor import engine as flow_engine
from advisor.bootstrap import load_sample_catalog
from advisor.cli import main as advisor_main
from advisor.db import make_engine, upgrade
from advisor.insights.events import EventLog
from advisor.insights.report import build_report
from advisor.insights.service import RESOLUTION_LABELS, record_service_run
from advisor.questionnaire.model import DONT_CARE, Questionnaire
from advisor.rendering.report import render_report
from advisor.service.outcomes import outcomes_for
from tests.helpers.service import FLOWS, merged_catalog, shipped_flow

CATALOG = merged_catalog()
# How the first outcome shown solves a run, written out here rather than taken from the code under test.
RESOLUTION_OF_FIRST = {"guide": "self_help", "parts": "part", "repair": "repair", "warranty": "repair",
                       "person": "person"}  # fmt: skip
ORDER = ("self_help", "part", "repair", "person", "none")


def random_answers(rng: random.Random, flow: Questionnaire) -> dict[str, Any]:
    """A flow answered to its end by chance (options, numbers in range, yes/no, "doesn't matter")."""
    state = flow_engine.start(flow)
    while state.current is not None:
        step = flow.step(state.current)
        value: Any
        if step.dont_care and rng.random() < 0.15:
            value = DONT_CARE
        elif step.kind == "single":
            value = rng.choice(step.options).id
        elif step.kind == "multiple":
            value = sorted({rng.choice(step.options).id for _ in range(rng.randint(1, 2))})
        elif step.kind == "yes_no":
            value = rng.random() < 0.5
        else:
            assert step.min is not None and step.max is not None
            value = rng.randint(int(step.min), int(step.max))
        state = flow_engine.answer(flow, state, step.id, value)
    return dict(state.answers)


@dataclass
class Truth:
    """What the generator logged, counted by the generator: per run only its last showing."""

    runs: int = 0
    flows: Counter[str] = field(default_factory=Counter)  # flow id -> runs
    by_family: dict[str, Counter[str]] = field(default_factory=dict)  # category -> problem id -> runs
    by_product: dict[str, Counter[str]] = field(default_factory=dict)  # sku -> problem id -> runs
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # problem id -> locale -> the option's label
    resolutions: Counter[str] = field(default_factory=Counter)
    showings: int = 0  # service_outcomes events logged (runs shown their outcomes twice log twice)
    without_product: int = 0  # runs whose last showing named no product
    left_early: int = 0  # runs started but left before their outcomes

    def labelled(self, counts: Counter[str], locale: str) -> Counter[str]:
        return Counter({self.labels[problem][locale]: n for problem, n in counts.items()})


def log_service_runs(engine: Engine, seed: int, runs: int) -> Truth:
    """Random service runs logged as the app logs them (start, steps, the outcomes shown once or twice); some
    without a product, some started but left before their outcomes (not a service run with outcomes)."""
    rng = random.Random(seed)
    log = EventLog(engine, channel=rng.choice(["kiosk", "web"]), store_id="muc-01")
    truth = Truth()
    for number in range(runs):
        flow = shipped_flow(rng.choice(FLOWS))
        run = f"service-{seed}-{number}"
        log.record("started", run=run, questionnaire_id=flow.id, questionnaire_version=flow.version)
        log.record("step_shown", run=run, questionnaire_id=flow.id, step_id=flow.steps[0].id)
        if rng.random() < 0.1:  # left before the outcomes
            truth.left_early += 1
            continue
        products = CATALOG.categories[flow.category].products
        last: tuple[dict[str, Any], str | None, list[str]] | None = None
        for _ in range(2 if rng.random() < 0.3 else 1):  # an answer changed: the outcomes shown again
            answers = random_answers(rng, flow)
            product = rng.choice(products) if rng.random() < 0.65 else None
            applied = outcomes_for(flow=flow, answers=answers, product=product, catalog=CATALOG)
            record_service_run(
                log, run=run, flow=flow, answers=answers, outcomes=[(a.id, a.kind) for a in applied],
                sku=product.sku if product else None,
            )  # fmt: skip
            truth.showings += 1
            last = (answers, product.sku if product else None, [a.kind for a in applied])
        assert last is not None
        answers, sku, kinds = last
        truth.runs += 1
        truth.without_product += sku is None
        truth.flows[flow.id] += 1
        truth.resolutions[RESOLUTION_OF_FIRST[kinds[0]] if kinds else "none"] += 1
        answer = answers.get(flow.problem_step or "")
        chosen = [] if answer in (None, DONT_CARE) else answer if isinstance(answer, list) else [answer]
        for problem in chosen:
            option = next(o for o in flow.step(flow.problem_step or "").options if o.id == problem)
            assert truth.labels.setdefault(problem, dict(option.label)) == dict(option.label), "one name per id"
            truth.by_family.setdefault(flow.category, Counter())[problem] += 1
            if sku is not None:
                truth.by_product.setdefault(sku, Counter())[problem] += 1
    log.flush()
    return truth


def fresh_database(tmp_path: Path) -> tuple[str, Engine]:
    url = f"sqlite:///{tmp_path / 'service.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    load_sample_catalog(engine)  # product and family names, as in a store
    return url, engine


# ---------------------------------------------------------------------------------------------------------
# Reading the report as its reader does


def as_int(shown: str) -> int:
    return int(shown.replace(".", "").replace(",", ""))


def bar_rows(block: str) -> list[tuple[str, str]]:
    """A bar list's rows as shown: label, and the text at the end of the bar."""
    return [(html_lib.unescape(label), html_lib.unescape(end))
            for label, end in re.findall(r"<li style=--w:\d+>(.*?)<b>(.*?)</b>", block)]  # fmt: skip


def service_part(page: str) -> str:
    assert "id=service>" in page
    return page.split("id=service>", 1)[1].split("<p class=m>", 1)[0]


def section(part: str, attribute: str) -> str:
    found = re.search(rf"<section {attribute}>(.*?)</section>", part, re.S)
    assert found is not None, attribute
    return found.group(1)


def family_names(locale: str) -> dict[str, str]:
    return {category: index.category.label[locale] for category, index in CATALOG.categories.items()}


def product_names(locale: str) -> dict[str, str]:
    return {p.sku: p.name[locale] for index in CATALOG.categories.values() for p in index.products}


def percent_shown(count: int, runs: int, locale: str) -> str:
    """A share as the report writes it: "42\u00a0%" in German (a no-break space), "42%" in English."""
    sign = "%" if locale == "en" else "\u00a0%"
    return f"{round(100 * count / runs)}{sign}"


def check_page(page: str, truth: Truth, locale: str) -> None:
    part = service_part(page)
    runs = re.search(r'data-figure="service_runs">([^<]+)<', part)
    assert runs is not None and as_int(runs.group(1)) == truth.runs
    # each flow's runs, under its title
    tiles = dict(re.findall(r'<div>([^<]+)<b data-figure="flow_runs">([^<]+)</b>', part))
    for name in FLOWS:
        flow = shipped_flow(name)
        assert as_int(tiles[html_lib.escape(flow.title[locale], quote=False)]) == truth.flows[flow.id]
    # how it was solved: every resolution, in a fixed order, with its runs and share
    solved = bar_rows(section(part, 'data-service="resolutions"'))
    assert [label for label, _ in solved] == [RESOLUTION_LABELS[r][locale] for r in ORDER]
    for (_, shown), resolution in zip(solved, ORDER, strict=True):
        count = truth.resolutions[resolution]
        assert shown == f"{count} ({percent_shown(count, truth.runs, locale)})", resolution
    assert sum(as_int(shown.split(" ")[0]) for _, shown in solved) == truth.runs
    # each family: its most frequent problems with their runs
    names = family_names(locale)
    shown_families = re.findall(r'<section data-family="([^"]+)">', part)
    assert sorted(html_lib.unescape(f) for f in shown_families) == sorted(names[c] for c in truth.by_family)
    for category, by_id in truth.by_family.items():
        counts = truth.labelled(by_id, locale)
        rows = bar_rows(section(part, f'data-family="{html_lib.escape(names[category])}"'))
        assert [as_int(n) for _, n in rows] == sorted(counts.values(), reverse=True)[:5], category
        assert all(counts[label] == as_int(n) for label, n in rows), category
        assert len({label for label, _ in rows}) == len(rows)
    # the products with the most problems, each with its problems
    products = section(part, 'data-service="products"')
    table = re.findall(r"<tr><td>(.*?)<td>(<ul.*?</ul>)", products, re.S)
    busiest = sorted(truth.by_product, key=lambda sku: (-truth.by_product[sku].total(), sku))[:5]
    products_named = product_names(locale)
    assert [html_lib.unescape(name) for name, _ in table] == [f"{products_named[sku]} ({sku})" for sku in busiest]
    for (_, problems), sku in zip(table, busiest, strict=True):
        rows = bar_rows(problems)
        counts = truth.labelled(truth.by_product[sku], locale)
        assert [as_int(n) for _, n in rows] == sorted(counts.values(), reverse=True)[:5], sku
        assert all(counts[label] == as_int(n) for label, n in rows), sku


# ---------------------------------------------------------------------------------------------------------
# Tests


@pytest.mark.parametrize("seed", [11, 2026])
def test_the_service_section_shows_what_the_generator_counted(
    tmp_path: Path, seed: int, capsys: pytest.CaptureFixture[str]
) -> None:
    url, engine = fresh_database(tmp_path)
    truth = log_service_runs(engine, seed, 140)
    engine.dispose()
    assert truth.showings > truth.runs and truth.without_product and truth.left_early, "the stream has every case"
    assert len(truth.by_family) >= 2 and len(truth.by_product) > 5
    for locale in ("de", "en"):
        out = tmp_path / f"report-{locale}.html"
        assert advisor_main(["report", "--db", url, "--days", "7", "--lang", locale, "--out", str(out)]) == 0
        page = out.read_text(encoding="utf-8")
        check_page(page, truth, locale)
        for name in FLOWS:  # service flows are no finders: no block of their own, even for runs left early
            assert f'id="{shipped_flow(name).id}"' not in page and f'href="#{shipped_flow(name).id}"' not in page
    german = (tmp_path / "report-de.html").read_text(encoding="utf-8")
    assert "Service: Probleme und wie sie gelöst wurden" in german and "Zelte: häufigste Probleme" in german
    # the raw events for a spreadsheet hold every showing, the report counts each run once
    out = tmp_path / "events.csv"
    assert advisor_main(["report", "--db", url, "--format", "csv", "--out", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert sum(row["kind"] == "service_outcomes" for row in rows) == truth.showings
    assert len({row["run"] for row in rows if row["kind"] == "service_outcomes"}) == truth.runs
    capsys.readouterr()


def test_a_report_without_service_runs_still_renders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url, engine = fresh_database(tmp_path)
    log = EventLog(engine, store_id="muc-01")  # a kiosk of the store [store] id names by default
    flow = shipped_flow("tent-help.yaml")
    log.record("started", run="left-early", questionnaire_id=flow.id, questionnaire_version=flow.version)
    log.flush()
    engine.dispose()
    for locale, said in (("de", "Keine Service-Beratung in diesem Zeitraum."),
                         ("en", "No service consultation in this period.")):  # fmt: skip
        out = tmp_path / f"report-{locale}.html"
        assert advisor_main(["report", "--db", url, "--lang", locale, "--out", str(out)]) == 0
        page = out.read_text(encoding="utf-8")
        # A run left before its outcomes is a service consultation started, none that reached an outcome.
        assert "</html>" in page and "id=service>" in page and said not in page
        assert 'data-figure="service_started">1<' in page and 'data-figure="service_reached">0<' in page
        assert 'href="#tent-help"' not in page
        page = render_report(build_report([], {}, {}, locale=locale, service_flows={flow.id: flow}))
        assert "id=service>" in page and said in page and 'data-figure="service_runs"' not in page
    capsys.readouterr()
    # without service flows offered and without runs there is nothing to say: no section at all
    for locale in ("de", "en"):
        page = render_report(build_report([], {}, {}, locale=locale))
        assert "</html>" in page and "id=service" not in page
