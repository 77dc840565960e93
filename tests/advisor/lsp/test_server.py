"""`advisor lsp` driven over stdio by a real LSP client (pygls's), as an editor drives it, checked against
the catalog: diagnostics with codes, completion, hover counts, a quick fix, go to definition, catalog reload."""

from __future__ import annotations

import asyncio
import json
import shutil
from collections import Counter
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types

from advisor.bootstrap import open_database
from advisor.paths import questionnaires_dir, sample_catalog_dir
from tests.helpers.catalog import tent
from tests.helpers.lsp import Editor, editor

TENT = questionnaires_dir() / "tent-finder.yaml"
TENTS = [r for r in json.loads((sample_catalog_dir() / "products.json").read_text(encoding="utf-8"))
         if r["category"] == "tents"]  # fmt: skip
CATEGORIES = json.loads((sample_catalog_dir() / "categories.json").read_text(encoding="utf-8"))
TENT_ATTRIBUTES = {a["name"]: a for a in next(c for c in CATEGORIES["categories"] if c["id"] == "tents")["attributes"]}


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the sample catalog, made once (each test works on a copy)."""
    path = tmp_path_factory.mktemp("lsp") / "catalog.sqlite3"
    open_database(f"sqlite:///{path}").dispose()
    return path


@pytest.fixture
def db_url(sample_db: Path, tmp_path: Path) -> str:
    copy = tmp_path / "catalog.sqlite3"
    shutil.copy(sample_db, copy)
    return f"sqlite:///{copy}"


def run(db_url: str, steps: Callable[[Editor], Coroutine[Any, Any, None]]) -> None:
    async def main() -> None:
        async with editor(db_url) as session:
            await steps(session)

    asyncio.run(main())


def test_diagnostics_carry_codes_and_follow_the_edits(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "tent-finder.yaml"
    shutil.copy(TENT, path)

    async def steps(session: Editor) -> None:
        session.open(path, path.read_text(encoding="utf-8"))
        opened = await session.diagnostics(1)
        assert opened and {d.code for d in opened} == {"A001"}  # the catalog-aware walk ran
        assert all(d.severity == types.DiagnosticSeverity.Warning and d.source == "advisor" for d in opened)
        version = session.replace("capacity >= persons", "capacty >= persons")
        typo = [d for d in await session.diagnostics(version) if d.code == "Q008"]
        assert len(typo) == 1
        assert typo[0].range.start == session.after("expr: capacty", len("expr: "))
        assert typo[0].range.end == session.after("expr: capacty")
        assert typo[0].severity == types.DiagnosticSeverity.Error
        assert "did you mean 'capacity'?" in typo[0].message
        # A quick fix for it, that writes the attribute's name.
        actions = await session.client.text_document_code_action_async(
            types.CodeActionParams(
                types.TextDocumentIdentifier(session.uri),
                typo[0].range,
                types.CodeActionContext(diagnostics=typo),
            )
        )
        assert actions is not None and len(actions) == 1
        action = actions[0]
        assert isinstance(action, types.CodeAction) and action.edit is not None and action.edit.changes is not None
        (edit,) = action.edit.changes[session.uri]
        assert (edit.range, edit.new_text) == (typo[0].range, "capacity")
        assert action.diagnostics is not None and action.diagnostics[0].code == "Q008"
        # Typing fast: the pause after the last edit counts, the versions in between need not be analysed.
        versions = [session.replace("capacty", "capacit"), session.replace("capacit", "capacity")]
        fixed = await session.diagnostics(versions[-1])
        assert {d.code for d in fixed} == {"A001"}
        assert versions[0] not in session.published
        # Other YAML files are left alone.
        other = tmp_path / "compose.yaml"
        session.open(other, "services:\n  web: {image: nginx}\n")
        assert not await session.diagnostics(1)

    run(db_url, steps)


def test_completion_offers_attributes_values_steps_and_skus_of_the_catalog(db_url: str) -> None:
    text = TENT.read_text(encoding="utf-8")

    async def steps(session: Editor) -> None:
        session.open(TENT, text)
        await session.diagnostics(1)
        # attribute names in a requirement
        session.replace("expr: waterproof_fly_mm >= 3000", "expr: waterproof_ >= 3000")
        labels = {item.label for item in await session.complete(session.after("expr: waterproof_"))}
        assert labels == {name for name in TENT_ATTRIBUTES if name.startswith("waterproof_")}
        # enum values of the attribute in front of the cursor, and set values of the one behind it
        session.replace(
            "{attribute: tent_type, equals: geodesic, weight: 2}", "{attribute: tent_type, equals: , weight: 2}"
        )
        labels = {item.label for item in await session.complete(session.after("tent_type, equals: "))}
        assert labels == set(TENT_ATTRIBUTES["tent_type"]["values"])
        session.replace("""- expr: '"alpine" in use'""", """- expr: '"" in use'""")
        labels = {item.label for item in await session.complete(session.after("""- expr: '\""""))}
        assert labels == set(TENT_ATTRIBUTES["use"]["values"])
        # step ids after goto, option ids in an example, skus in an example
        labels = {item.label for item in await session.complete(session.after("{goto: "))}
        assert {"trip", "frequency", "persons", "results"} <= labels
        labels = {item.label for item in await session.complete(session.after("      region: "))}
        assert labels == {"mild", "rough", "alpine", "dont_care"}
        labels = {item.label for item in await session.complete(session.after("include: [NG-TENT-0002, NG-TENT-00"))}
        assert labels == {r["sku"] for r in TENTS if r["sku"].startswith("NG-TENT-00")}
        # keys of a step, from the format
        items = await session.complete(session.after("  - id: persons\n    kind: number\n    ", 0))
        assert {"show_if", "require", "prefer", "help"} <= {item.label for item in items}

    run(db_url, steps)


def test_hover_counts_products_and_definition_finds_the_step(db_url: str) -> None:
    text = TENT.read_text(encoding="utf-8")

    async def steps(session: Editor) -> None:
        session.open(TENT, text)
        await session.diagnostics(1)
        shown = await session.hover(session.after("{attribute: tent_type", len("{attribute: tent")))
        for value, count in Counter(r["attributes"]["tent_type"] for r in TENTS).items():
            assert f"`{value}`: {count}" in shown
        fitting = sum(1 for r in TENTS if r["attributes"]["waterproof_fly_mm"] >= 3000)
        shown = await session.hover(
            session.after("expr: waterproof_fly_mm >= 3000", len("expr: waterproof_fly_mm >= 30"))
        )
        assert f"**{fitting} of {len(TENTS)}** tents meet it" in shown
        shown = await session.hover(session.after("goto: frequency", len("goto: freq")))
        assert "How often will you use your tent?" in shown
        found = await session.client.text_document_definition_async(
            types.DefinitionParams(
                types.TextDocumentIdentifier(session.uri), session.after("goto: frequency", len("goto: freq"))
            )
        )
        assert isinstance(found, types.Location)
        assert found.range.start == session.after("  - id: frequency", len("  - id: "))

    run(db_url, steps)


def test_a_changed_catalog_is_read_again(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "tent-finder.yaml"
    text = TENT.read_text(encoding="utf-8").replace("include: [NG-TENT-0002, NG-TENT-0034]",
                                                    "include: [NG-TENT-0002, NG-TENT-0034, NG-TENT-0099]")  # fmt: skip
    path.write_text(text, encoding="utf-8")

    async def steps(session: Editor) -> None:
        session.open(path, text)
        assert "A006" in {d.code for d in await session.diagnostics(1)}
        products = tmp_path / "new.json"
        products.write_text(json.dumps([tent(sku="NG-TENT-0099")]), encoding="utf-8")
        from advisor.catalog.importer import import_file

        engine = open_database(db_url)
        await asyncio.to_thread(import_file, engine, products)
        engine.dispose()
        async with asyncio.timeout(20):
            while "A006" in {d.code for d in session.published[1][1]}:
                session.changed.clear()
                await session.changed.wait()

    run(db_url, steps)
