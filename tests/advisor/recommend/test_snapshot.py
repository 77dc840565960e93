"""The kiosk's local snapshot: what is read back advises exactly as what was written; a bad file is never used."""

from __future__ import annotations

import json
import pickle
import tempfile
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.audit import state_for
from advisor.questionnaire.library import load_library
from advisor.questionnaire.model import Questionnaire
from advisor.recommend import core
from advisor.recommend.index import CatalogIndex
from advisor.recommend.snapshot import FORMAT, read_snapshot, snapshot_path, write_snapshot
from tests.helpers.index import sample_index

CATEGORIES = ("tents", "sleeping_bags", "backpacks", "rain_jackets")
TAKEN = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


@cache
def catalog() -> CatalogIndex:
    return CatalogIndex(7, {category: sample_index(category) for category in CATEGORIES})


@cache
def questionnaires() -> dict[str, Questionnaire]:
    return load_library().questionnaires


@cache
def snapshot_bytes() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "snapshot.bin"
        write_snapshot(path, catalog=catalog(), questionnaires=questionnaires(), created=TAKEN)
        return path.read_bytes()


def test_what_is_read_back_advises_as_what_was_written(tmp_path: Path) -> None:
    path = tmp_path / "snapshot.bin"
    write_snapshot(path, catalog=catalog(), questionnaires=questionnaires(), created=TAKEN)
    snapshot = read_snapshot(path)
    assert snapshot is not None
    assert snapshot.created == TAKEN
    assert snapshot.catalog.version == 7
    assert snapshot.questionnaires == questionnaires()
    for category in CATEGORIES:
        assert snapshot.catalog.categories[category].products == catalog().categories[category].products
    for questionnaire_id, questionnaire in questionnaires().items():
        restored = snapshot.questionnaires[questionnaire_id]
        index = catalog().categories[questionnaire.category]
        for example in questionnaire.examples:
            before = core.recommend(
                index=index, questionnaire=questionnaire, state=state_for(questionnaire, example.answers), locale="de"
            )
            after = core.recommend(
                index=snapshot.catalog.categories[questionnaire.category], questionnaire=restored,
                state=state_for(restored, example.answers), locale="de",
            )  # fmt: skip
            assert after == before, f"{questionnaire_id}: {example.answers}"


def test_a_new_snapshot_replaces_the_old_and_a_failed_write_leaves_it(tmp_path: Path) -> None:
    path = tmp_path / "snapshot.bin"
    write_snapshot(path, catalog=catalog(), questionnaires={}, created=TAKEN)
    newer = CatalogIndex(8, catalog().categories)
    write_snapshot(path, catalog=newer, questionnaires=questionnaires())
    with pytest.raises((pickle.PicklingError, AttributeError)):  # pickle cannot store a function made here
        write_snapshot(path, catalog=catalog(), questionnaires={"broken": lambda: None})  # type: ignore[dict-item]
    snapshot = read_snapshot(path)
    assert snapshot is not None
    assert snapshot.catalog.version == 8
    assert [item.name for item in tmp_path.iterdir()] == ["snapshot.bin"], "no temporary file is left behind"


def test_a_missing_file_is_none_and_says_so(isolated_data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert snapshot_path().parent == isolated_data_dir
    assert read_snapshot(snapshot_path()) is None
    assert "there is none yet" in capsys.readouterr().err


def test_a_file_of_another_format_is_none_and_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    header_line, payload = snapshot_bytes().split(b"\n", 1)
    header = json.loads(header_line)
    header["format"] = FORMAT + 1
    path = tmp_path / "snapshot.bin"
    path.write_bytes(json.dumps(header).encode() + b"\n" + payload)
    assert read_snapshot(path) is None
    assert f"format {FORMAT + 1}" in capsys.readouterr().err


def test_a_file_that_is_no_snapshot_is_none(tmp_path: Path) -> None:
    path = tmp_path / "snapshot.bin"
    path.write_text("advisor.sqlite3 was here\n", encoding="utf-8")
    assert read_snapshot(path) is None


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_a_truncated_file_is_none(data: st.DataObject) -> None:
    whole = snapshot_bytes()
    length = data.draw(st.integers(min_value=0, max_value=len(whole) - 1), label="length")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "snapshot.bin"
        path.write_bytes(whole[:length])
        assert read_snapshot(path) is None


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_a_damaged_file_is_none_or_intact(data: st.DataObject) -> None:
    whole = bytearray(snapshot_bytes())
    where = data.draw(st.integers(min_value=0, max_value=len(whole) - 1), label="where")
    whole[where] ^= data.draw(st.integers(min_value=1, max_value=255), label="flip")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "snapshot.bin"
        path.write_bytes(bytes(whole))
        snapshot = read_snapshot(path)  # never raises
        if snapshot is not None:  # a byte of the header's layout (a space) changed, not what it says
            assert snapshot.catalog.version == 7
            assert snapshot.questionnaires == questionnaires()
