"""A chain's database holds every store's events: `advisor report` and read_report count the configured store's
([store] id) unless told another (`--store ID`) or every one (`--store all`), and say which in the heading."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from advisor.cli import main as advisor_main
from advisor.db import make_engine, upgrade
from advisor.insights.events import write_events
from advisor.insights.report import ALL_STORES, read_report
from tests.advisor.insights.test_report import OPEN, figure, generate

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def chain(tmp_path: Path) -> tuple[str, int, int]:
    """A database with two stores' events: (its URL, Munich's runs, Vienna's runs)."""
    url = f"sqlite:///{tmp_path / 'chain.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    munich, munich_truth = generate(3, 30, OPEN["backpack-finder"], start=NOW - timedelta(days=2))
    vienna, vienna_truth = generate(4, 12, OPEN["backpack-finder"], start=NOW - timedelta(days=2))
    write_events(engine, munich + [replace(event, store_id="vie-01") for event in vienna])
    engine.dispose()
    return url, munich_truth.started, vienna_truth.started


def _config(tmp_path: Path, store: str) -> Path:
    path = tmp_path / f"{store}.toml"
    path.write_text(f'[store]\nid = "{store}"\n', encoding="utf-8")
    return path


def test_the_report_counts_the_configured_stores_events_and_says_so(
    tmp_path: Path, chain: tuple[str, int, int], capsys: pytest.CaptureFixture[str]
) -> None:
    url, munich, vienna = chain
    config = _config(tmp_path, "vie-01")
    shown = {}
    for name, extra in (("vie", []), ("muc", ["--store", "muc-01"]), ("all", ["--store", "all"])):
        out = tmp_path / f"{name}.html"
        arguments = ["report", "--db", url, "--config", str(config), "--days", "7", "--out", str(out), *extra]
        assert advisor_main(arguments) == 0, capsys.readouterr().err
        shown[name] = out.read_text(encoding="utf-8")
    assert figure(shown["vie"], "backpack-finder", "started") == str(vienna)
    assert figure(shown["muc"], "backpack-finder", "started") == str(munich)
    assert figure(shown["all"], "backpack-finder", "started") == str(munich + vienna)
    heading = {name: page.split("<h1>", 1)[1].split("</p>", 1)[0] for name, page in shown.items()}
    assert "Filiale vie-01" in heading["vie"] and "Filiale muc-01" in heading["muc"]
    assert "alle Filialen" in heading["all"] and "Filiale" not in heading["all"].replace("alle Filialen", "")


def test_the_events_for_a_spreadsheet_are_the_stores_too(
    tmp_path: Path, chain: tuple[str, int, int], capsys: pytest.CaptureFixture[str]
) -> None:
    url, _, _ = chain
    stores = {}
    for name, extra in (("default", []), ("all", ["--store", "all"])):
        out = tmp_path / f"{name}.csv"
        assert advisor_main(["report", "--db", url, "--format", "csv", "--out", str(out), *extra]) == 0
        rows = csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";")
        stores[name] = {row["store_id"] for row in rows}
    assert stores == {"default": {"muc-01"}, "all": {"muc-01", "vie-01"}}  # no configuration: [store] id muc-01
    assert "of store muc-01 written to" in capsys.readouterr().err


def test_read_report_counts_one_store_or_all_of_them(chain: tuple[str, int, int]) -> None:
    url, munich, vienna = chain
    engine = make_engine(url)
    reports = {
        store: read_report(
            engine,
            questionnaires=OPEN,
            products_by_category={},
            locale="en",
            start=NOW - timedelta(days=7),
            now=NOW,
            store=store,
        )  # fmt: skip
        for store in ("vie-01", ALL_STORES, "lon-01")
    }
    started = {store: report.figures("backpack-finder").started for store, report in reports.items()}  # type: ignore[union-attr]
    assert started == {"vie-01": vienna, ALL_STORES: munich + vienna, "lon-01": 0}
    assert reports["vie-01"].period.endswith(" · store vie-01")
    assert reports[ALL_STORES].period.endswith(" · all stores")
    engine.dispose()


def test_a_store_the_catalog_does_not_know_is_refused_with_its_stores_not_reported_as_quiet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from advisor.bootstrap import open_database

    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    open_database(url).dispose()  # a new file: the sample catalog and its stores
    config = _config(tmp_path, "muc-01")
    out = tmp_path / "typo.html"
    arguments = ["report", "--db", url, "--config", str(config), "--days", "7", "--out", str(out), "--store", "ham01"]
    assert advisor_main(arguments) == 2
    said = capsys.readouterr().err
    assert "advisor report: --store 'ham01' is not a store of the catalog (its stores: " in said and "ham-01" in said
    assert not out.exists(), "no report that reads as a store without any advice"
    assert advisor_main([*arguments[:-2], "--store", "ham-01"]) == 0
