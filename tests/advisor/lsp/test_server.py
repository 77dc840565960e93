"""`advisor lsp` driven over stdio by a real LSP client (pygls's), as an editor drives it, checked against
the catalog: diagnostics with codes, completion, hover counts, a quick fix, go to definition, catalog reload."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.workspace.position_codec import ServerTextPosition

from advisor.audit import analyse_file
from advisor.bootstrap import open_database
from advisor.lsp.server import EditorText, build_server, is_questionnaire
from advisor.paths import questionnaires_dir, sample_catalog_dir
from advisor.recommend.index import CatalogIndex
from tests.helpers.catalog import sample_dictionary, tent
from tests.helpers.index import sample_index
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
        # keys of a step, from the format, but those the step has already (a key twice is an error)
        step = "  - id: persons\n    kind: number\n"
        session.replace(step, step + "    \n")
        labels = {item.label for item in await session.complete(session.after(step + "    "))}
        assert {"show_if", "prefer", "dont_care"} <= labels
        assert not {"id", "kind", "help", "require"} & labels

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


def test_a_hover_asked_as_the_file_opens_knows_its_steps(db_url: str) -> None:
    """An editor asks for the word under the mouse the moment a file opens, before its first analysis is in: the
    answer waits for it, so the step is known (not an empty hover the author must ask again)."""
    text = TENT.read_text(encoding="utf-8")

    async def steps(session: Editor) -> None:
        session.open(TENT, text)
        assert not session.published, "asked before the first analysis"
        shown = await session.hover(session.after("goto: frequency", len("goto: freq")))
        assert "How often will you use your tent?" in shown
        labels = {item.label for item in await session.complete(session.after("{goto: "))}
        assert {"trip", "frequency", "persons", "results"} <= labels

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


def test_an_edit_below_an_invisible_line_separator_lands_where_the_editor_made_it() -> None:
    """U+2028, NEL and a form feed end no line for an editor (LSP ends lines only at \\r\\n, \\r and \\n)."""
    for invisible in ("\u2028", "\x85", "\x0c"):
        text = f"intro:\n  de: Zelt{invisible}(kopiert).\nmax: 6\r\nunit: cm\rdefault: 2\n"
        document = EditorText("file:///q.yaml", text)
        for line, old, new in ((2, "max: 6", "max: 8"), (4, "default: 2", "default: 3")):
            end = types.Position(line, len(old))
            change = types.Range(types.Position(line, len(old) - 1), end)
            document.apply_change(types.TextDocumentContentChangePartial(range=change, text=new[-1]))
            text = text.replace(old, new)
            assert document.source == text, repr(invisible)
        assert document.position_to_client_units(ServerTextPosition(1, 12)) == types.Position(1, 12)


def test_a_questionnaire_is_known_by_its_folder_or_its_top_level_keys(tmp_path: Path) -> None:
    folder = tmp_path / "questionnaires"
    assert is_questionnaire("", str(folder / "new.yaml"))
    assert is_questionnaire("# nur ein Kommentar\n", str(folder / "new.yml"))
    assert is_questionnaire("# x\rformat_version: 2\rid: x\r", str(tmp_path / "tent.yaml"))
    assert is_questionnaire("id: x\r\nsteps:\r\n", str(tmp_path / "tent.yaml"))
    assert not is_questionnaire("services:\n  web: {image: nginx}\n", str(tmp_path / "compose.yaml"))
    assert not is_questionnaire("", str(tmp_path / "empty.yaml"))
    assert not is_questionnaire("", str(folder / "questionnaire.schema.json"))


def test_an_unreadable_catalog_is_said_once_in_plain_words_and_again_when_it_can_be_read(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = build_server(f"sqlite:///{tmp_path / 'missing' / 'catalog.sqlite3'}")
    told: list[types.ShowMessageParams] = []
    monkeypatch.setattr(server, "window_show_message", told.append)

    async def looks() -> list[bool]:
        changed = [await server.load_catalog() for _ in range(3)]
        server.source.db_url = db_url  # the database is there now
        changed += [await server.load_catalog() for _ in range(2)]
        return changed

    assert asyncio.run(looks()) == [False, False, False, True, False]
    assert [(message.type, message.message) for message in told] == [
        (
            types.MessageType.Warning,
            f"advisor: cannot read the catalog from the database sqlite:///{tmp_path / 'missing' / 'catalog.sqlite3'}: "
            f"its folder {tmp_path / 'missing'} does not exist. The files are checked without the catalog until it "
            "can be read.",
        ),
        (types.MessageType.Info, "advisor: the catalog can be read again; the files are checked against it."),
    ]


def test_findings_stay_on_their_lines_after_edits_below_an_invisible_line_separator(
    db_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    path = folder / "tent-finder.yaml"
    text = TENT.read_text(encoding="utf-8").replace("capacity >= persons", "capacty >= persons", 1)
    text = text.replace("\nintro:\n  de: ", "\nintro:\n  de: (aus dem Katalog kopiert)\u2028", 1)

    def expected(text: str) -> set[tuple[str | int | None, int, int]]:
        path.write_text(text, encoding="utf-8")
        analysis = analyse_file(path, dictionary=sample_dictionary(), catalog=CatalogIndex(1, {
            "tents": sample_index("tents")}))  # fmt: skip
        return {(f.code, f.line - 1, f.column - 1) for f in analysis.findings}

    def seen(diagnostics: list[types.Diagnostic]) -> set[tuple[str | int | None, int, int]]:
        return {(d.code, d.range.start.line, d.range.start.character) for d in diagnostics}

    async def steps(session: Editor) -> None:
        session.open(path, text)
        opened = await session.diagnostics(1)
        assert {"Q001", "Q008"} <= {d.code for d in opened}
        assert seen(opened) == expected(text)
        version = session.replace("capacty >= persons", "capacit >= persons")
        assert seen(await session.diagnostics(version)) == expected(session.text)
        version = session.replace("\u2028", " ")
        assert seen(await session.diagnostics(version)) == expected(session.text)
        # A file in a questionnaires folder is checked even while it is empty, as `advisor check` checks it.
        session.open(folder / "new.yaml", "")
        assert [(d.code, d.range.start.line) for d in await session.diagnostics(1)] == [("Q004", 0)]
        # Old Mac line endings (\r) are line endings too.
        session.open(folder / "mac.yaml", text.replace("\u2028", " ").replace("\n", "\r"))
        assert "Q008" in {d.code for d in await session.diagnostics(1)}

    run(db_url, steps)


def test_messages_it_cannot_read_are_answered_with_json_rpc_errors_and_an_exit_without_shutdown_fails(
    db_url: str,
) -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "advisor", "lsp", "--stdio", "--db", db_url],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    assert server.stdin is not None and server.stdout is not None
    watchdog = threading.Timer(60, server.kill)  # a message left unanswered ends the server: the test fails, not hangs
    watchdog.start()

    def send(body: bytes) -> None:
        assert server.stdin is not None
        server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        server.stdin.flush()

    def request(id_: int, method: str, params: Any) -> None:
        send(json.dumps({"jsonrpc": "2.0", "id": id_, "method": method, "params": params}).encode())

    def response() -> dict[str, Any]:
        assert server.stdout is not None
        while True:
            length = 0
            while (header := server.stdout.readline().strip()) != b"":
                if header.lower().startswith(b"content-length:"):
                    length = int(header.split(b":")[1])
            assert length, "the server ended without an answer"
            message: dict[str, Any] = json.loads(server.stdout.read(length))
            if "method" not in message:  # not a notification or a request of the server's
                return message

    try:
        request(
            0,
            "textDocument/hover",
            {"textDocument": {"uri": "file:///q.yaml"}, "position": {"line": 0, "character": 0}},
        )
        assert response() == {"jsonrpc": "2.0", "id": 0, "error": {
            "code": -32002, "message": "textDocument/hover before initialize"}}  # fmt: skip
        request(1, "initialize", {"processId": None, "rootUri": None, "capabilities": {}})
        assert "result" in response()
        send(b'{"jsonrpc": "2.0", "method": "initialized", "params": {}}')
        file = {"uri": "file:///q.yaml"}
        unreadable = [None, {"textDocument": file, "position": {"line": "x"}},
                      {"textDocument": file, "position": {"line": -1, "character": 0}}]  # fmt: skip
        for i, params in enumerate(unreadable, 2):
            request(i, "textDocument/hover", params)
            assert response() == {"jsonrpc": "2.0", "id": i, "error": {
                "code": -32602, "message": "the parameters of textDocument/hover cannot be read"}}  # fmt: skip
        send(b"{not json}")
        answer = response()
        assert (answer["id"], answer["error"]["code"]) == (None, -32700)
        send(b'{"jsonrpc": "2.0", "method": "exit"}')
        assert server.wait(timeout=30) == 1
    finally:
        watchdog.cancel()
        if server.poll() is None:
            server.kill()
        server.communicate()


def test_a_decimal_in_a_whole_number_setting_offers_the_whole_numbers_around_it_none_preferred(
    db_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "tent-finder.yaml"
    shutil.copy(TENT, path)

    async def steps(session: Editor) -> None:
        session.open(path, path.read_text(encoding="utf-8").replace("  show: 5\n", "  show: 5,5\n"))
        (finding,) = [d for d in await session.diagnostics(1) if d.code == "Q004"]
        assert finding.message == "results, show must be a whole number, not the text '5,5'; write 5 or 6"
        assert (finding.range.start, finding.range.end) == (session.after("  show: "), session.after("  show: 5,5"))
        actions = await session.client.text_document_code_action_async(
            types.CodeActionParams(
                types.TextDocumentIdentifier(session.uri), finding.range, types.CodeActionContext(diagnostics=[finding])
            )
        )
        assert actions is not None
        offered = []
        for action in actions:
            assert isinstance(action, types.CodeAction) and action.edit and action.edit.changes
            (edit,) = action.edit.changes[session.uri]
            offered.append((action.title, edit.new_text, action.is_preferred))
        assert offered == [("Change to '5'", "5", False), ("Change to '6'", "6", False)]  # a choice, not a guess

    run(db_url, steps)


def test_a_text_missing_its_english_is_marked_on_its_own_lines_and_options_on_a_number_step_say_to_go(
    db_url: str, tmp_path: Path
) -> None:
    """The missing-locale diagnostic covers the question's text, not the indentation of the key after it; empty
    options on a number step say that it has none."""
    path = tmp_path / "tent-finder.yaml"
    text = TENT.read_text(encoding="utf-8")
    english = "      en: How many people will sleep in the tent?\n"
    assert text.count(english) == 1
    path.write_text(
        text.replace(english, "").replace("    min: 1\n    max: 6\n", "    options: []\n    min: 1\n    max: 6\n")
    )

    async def steps(session: Editor) -> None:
        session.open(path, path.read_text(encoding="utf-8"))
        found = {d.code: d for d in await session.diagnostics(1) if d.code in ("Q004", "Q015")}
        missing = found["Q015"]
        assert missing.message == "step 'persons', question has no 'en' text; add 'en: ...'"
        german = "      de: Wie viele Personen schlafen im Zelt?"
        assert missing.range.start == session.after(german, len("      "))
        assert missing.range.end == session.after(german)  # not into the line of 'short:' below
        options = found["Q004"]
        assert options.message == (
            "step 'persons' is a number step, and a number step has no options; remove the line 'options: []'"
        )
        assert options.range.start.line == options.range.end.line == session.after("    options: []").line

    run(db_url, steps)


def test_an_analysis_that_fails_is_logged_and_published_as_one_diagnostic_in_place_of_the_earlier_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A defect in the analysis (an exception from it) leaves no version without diagnostics: the editor would
    otherwise go on showing an earlier version's findings as if they held."""
    import advisor.lsp.server as module
    from advisor.audit import AuditMemo

    server = build_server(None)
    uri = (tmp_path / "questionnaires" / "tent-finder.yaml").as_uri()
    document = EditorText(uri, TENT.read_text(encoding="utf-8"), version=4)
    monkeypatch.setattr(server, "text", lambda _uri: document)

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise TypeError("unhashable type: 'list'")

    monkeypatch.setattr(module, "analyse_text", broken)
    published: list[types.PublishDiagnosticsParams] = []
    logged: list[types.LogMessageParams] = []
    monkeypatch.setattr(server, "text_document_publish_diagnostics", published.append)
    monkeypatch.setattr(server, "window_log_message", logged.append)
    server.files[uri] = module._Open(memo=AuditMemo())
    server.files[uri].wanted = 1

    asyncio.run(server._analyse_later(uri, 0.0))

    (params,) = published
    assert (params.uri, params.version) == (uri, 4)
    (failed,) = params.diagnostics
    assert (failed.range.start, failed.range.end) == (types.Position(0, 0), types.Position(0, 0))
    assert failed.severity == types.DiagnosticSeverity.Error
    assert "analysing this file failed (TypeError: unhashable type: 'list')" in failed.message
    (told,) = logged
    assert told.type == types.MessageType.Error and "TypeError: unhashable type: 'list'" in told.message
    assert server.files[uri].analysis is None
