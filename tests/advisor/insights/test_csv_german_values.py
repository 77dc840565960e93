"""The events CSV in German: a number answer in the value column has a decimal comma, as German Excel reads it."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from advisor.cli import main as advisor_main
from advisor.db import make_engine, upgrade
from advisor.insights.events import Event, EventLog, write_csv

AT = datetime(2026, 11, 5, 10, 0, tzinfo=UTC)


def value_cells(values: list[Any], locale: str) -> list[str]:
    events = [
        Event("step_answered", "sleeping-bag-finder", AT, run="r1", step_id="lowest_temp", value=value)
        for value in values
    ]
    out = io.StringIO()
    write_csv(events, out, locale=locale)
    rows = list(csv.DictReader(io.StringIO(out.getvalue()), delimiter=";" if locale == "de" else ","))
    return [row["value"] for row in rows]


def test_a_decimal_answer_gets_a_decimal_comma_in_german_and_keeps_its_point_in_english(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`advisor report --format csv --lang de`: "7,5" (German Excel would read "7.5" as the 7th of May)."""
    url = f"sqlite:///{tmp_path / 'csv.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    log = EventLog(engine, channel="kiosk", store_id="muc-01")
    log.record("step_answered", run="r1", questionnaire_id="sleeping-bag-finder", step_id="lowest_temp", value=-7.5,
               at=AT)  # fmt: skip
    log.record("step_answered", run="r1", questionnaire_id="sleeping-bag-finder", step_id="body_height", value=182,
               at=AT)  # fmt: skip
    log.flush()
    engine.dispose()
    german, english = tmp_path / "de.csv", tmp_path / "en.csv"
    assert advisor_main(["report", "--db", url, "--format", "csv", "--lang", "de", "--out", str(german)]) == 0
    assert advisor_main(["report", "--db", url, "--format", "csv", "--lang", "en", "--out", str(english)]) == 0
    capsys.readouterr()
    lines = german.read_text(encoding="utf-8-sig").splitlines()
    assert [line.split(";")[7:9] for line in lines[1:]] == [["lowest_temp", "-7,5"], ["body_height", "182"]]
    lines = english.read_text(encoding="utf-8-sig").splitlines()
    assert [line.split(",")[7:9] for line in lines[1:]] == [["lowest_temp", "-7.5"], ["body_height", "182"]]


def test_numbers_in_a_list_or_mapping_get_a_decimal_comma_in_german() -> None:
    assert value_cells([[2.5, 4], {"from": 1.5, "to": 3}], "de") == ["2,5, 4", "from: 1,5, to: 3"]
    assert value_cells([[2.5, 4], {"from": 1.5, "to": 3}], "en") == ["2.5, 4", "from: 1.5, to: 3"]


def test_texts_yes_no_and_nested_values_are_written_as_they_are_in_german() -> None:
    """Only numbers are numbers: a text id that looks like one stays as written, JSON keeps its points."""
    values: list[Any] = ["7.5", True, "dont_care", ["v1.2", "down"], {"outcomes": ["a"], "share": 0.5}]
    assert value_cells(values, "de") == [
        "7.5",
        "true",
        "dont_care",
        "v1.2, down",
        '{"outcomes": ["a"], "share": 0.5}',
    ]
