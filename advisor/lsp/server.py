"""`advisor lsp`: a language server for questionnaire files over stdio, catalog-aware.

Diagnostics come from the one analysis `advisor check` and `advisor preview` use (advisor.audit), on open
and, after a pause in typing, on change. Completion, hover, definitions and quick fixes come from
advisor.lsp.assist. The catalog is read once and read again when its version moves (looked at every
CATALOG_EVERY seconds); analyses run one at a time off the event loop, so completion never waits for them.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams, JsonRpcParseError, JsonRpcServerNotInitialized
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.workspace import TextDocument
from pygls.workspace.position_codec import ServerTextPosition, ServerTextRange

from advisor import __version__
from advisor.audit import Analysis, AuditMemo, Cancelled, analyse_text
from advisor.catalog.dictionary import Dictionary
from advisor.db.location import UnusableDatabaseUrl, database_url, sqlite_file
from advisor.lsp import assist
from advisor.paths import questionnaires_dir
from advisor.questionnaire.files import SUFFIXES
from advisor.questionnaire.findings import ERROR, Finding
from advisor.recommend.index import CatalogIndex
from advisor.urls import redacted

if TYPE_CHECKING:
    from pygls.server import ServerErrors

DEBOUNCE = 0.075  # seconds of quiet after a change before the file is analysed again
# A questionnaire names its format version or its steps at the top level (a line may end in \r\n, \r or \n).
QUESTIONNAIRE = re.compile(r"(?:\A|(?<=[\r\n]))(?:format_version|steps)[ \t]*:")
FOLDER = "questionnaires"  # a YAML file in a folder of this name is a questionnaire, whatever it holds yet
# LSP's line breaks (https://microsoft.github.io/language-server-protocol/specifications/lsp/3.17/specification/#textDocuments)
_LSP_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
CATALOG_EVERY = 2.0  # seconds between looks at the catalog's version
FIRST_ANALYSIS_WAIT = 5.0  # seconds a hover, completion or definition asked before a file's first analysis waits
TRIGGERS = ['"', "'", ":", "[", "{", ",", "-", "(", " "]
_KINDS = {
    assist.KEY: types.CompletionItemKind.Property,
    assist.VALUE: types.CompletionItemKind.Value,
    assist.ATTRIBUTE: types.CompletionItemKind.Field,
    assist.STEP: types.CompletionItemKind.Reference,
    assist.OPTION: types.CompletionItemKind.EnumMember,
    assist.FUNCTION: types.CompletionItemKind.Function,
    assist.PRODUCT: types.CompletionItemKind.Constant,
}
log = logging.getLogger(__name__)


def is_questionnaire(text: str, path: str | None) -> bool:
    """Whether a file is a questionnaire: a YAML file in a questionnaires folder (even while it is empty), or one
    that names format_version or steps at the top level; the server stays silent in other YAML files."""
    if QUESTIONNAIRE.search(text):
        return True
    if path is None:
        return False
    file = Path(path)
    if file.suffix not in SUFFIXES:
        return False
    return file.parent.name == FOLDER or file.parent.resolve() == questionnaires_dir().resolve()


class EditorText(TextDocument):
    """An open file's text as the editor has it. LSP ends a line only at \\r\\n, \\r or \\n; pygls's TextDocument
    splits lines with str.splitlines, which also ends one at U+2028, U+0085 or a form feed, so after an edit below
    such a character its copy (and every position in it) drifts from the editor's."""

    @property
    def lines(self) -> Sequence[str]:
        return tuple(_LSP_LINE.findall(self.source))


class _Protocol(LanguageServerProtocol):
    """pygls's protocol, answering a request whose parameters cannot be read with JSON-RPC's "invalid params"
    (-32602): pygls drops it unanswered, so the editor waits for ever.

    WORKAROUND for https://github.com/openlawlibrary/pygls/issues/326: the answer goes out through pygls's own
    `_send_response`, the one way to answer a request that no handler ran for. A request before `initialize` is
    answered "server not initialized" (-32002), as LSP asks, and a notification before it is dropped."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._began = False  # `initialize` has come

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcInvalidParams:
            if "id" in data and "method" in data:
                return _Unreadable(data["id"], str(data["method"]))
            raise

    def handle_message(self, message: Any) -> None:
        if isinstance(message, _Unreadable):
            error = JsonRpcInvalidParams(f"the parameters of {message.method} cannot be read")
            self._send_response(message.id, error=error.to_response_error())
            return
        method = getattr(message, "method", None)
        if method is not None and not self._began and method not in ("initialize", "exit"):
            if getattr(message, "id", None) is not None:
                early = JsonRpcServerNotInitialized(f"{method} before initialize")
                self._send_response(message.id, error=early.to_response_error())
            return
        self._began = self._began or method == "initialize"
        super().handle_message(message)


@dataclass(frozen=True)
class _Unreadable:
    """A request whose parameters do not fit its method."""

    id: int | str
    method: str


def catalog_problem(error: Exception, db_url: str | None) -> str:
    """What keeps the catalog from being read, in plain words: which database (its password hidden) and why."""
    if isinstance(error, UnusableDatabaseUrl):
        return f"cannot read the catalog: {error}"
    try:
        url = database_url(db_url)
    except UnusableDatabaseUrl:
        url = db_url or ""
    cause = getattr(error, "orig", None) or error  # SQLAlchemy's error wraps the driver's, which says it plainly
    lines = str(cause).strip().splitlines()
    reason = lines[0] if lines else type(cause).__name__
    file = sqlite_file(url)
    if file is not None and not file.parent.is_dir():
        reason = f"its folder {file.parent} does not exist"
    return f"cannot read the catalog from the database {redacted(url)}: {reason}"


@dataclass(frozen=True)
class Catalog:
    """The attribute dictionary and the products' index of one catalog version."""

    dictionary: Dictionary | None
    index: CatalogIndex | None


class CatalogSource:
    """The catalog from the database: read once, read again when its version moves."""

    def __init__(self, db_url: str | None) -> None:
        self.db_url = db_url
        self.catalog = Catalog(None, None)
        self._engine: Any = None

    def load(self) -> bool:
        """Read the catalog if it is new or changed; True when it changed."""
        from advisor.catalog.reads import catalog_version, load_dictionary
        from advisor.recommend.index import build_index

        if self._engine is None:
            from advisor.bootstrap import open_database

            self._engine = open_database(self.db_url)
        version = catalog_version(self._engine)
        if self.catalog.index is not None and self.catalog.index.version == version:
            return False
        self.catalog = Catalog(load_dictionary(self._engine), build_index(self._engine))
        return True


@dataclass
class _Open:
    """What the server keeps of an open file."""

    analysis: Analysis | None = None
    memo: AuditMemo | None = None
    pending: asyncio.Task[None] | None = None
    wanted: int = 0  # counts the analyses asked for: one under way stops when a newer one is wanted


class QuestionnaireServer(LanguageServer):
    """The questionnaire language server."""

    def __init__(self, source: CatalogSource) -> None:
        super().__init__("advisor-questionnaires", __version__, protocol_cls=_Protocol)
        self.source = source
        self.files: dict[str, _Open] = {}
        self.catalog_problem: str | None = None  # what the editor was last told keeps the catalog from being read
        self.shut_down = False  # the editor asked the server to shut down (before it exits)
        # One analysis at a time (each file's memo is not shared between threads), off the event loop.
        self.analyst = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="analysis")
        self.watching: asyncio.Task[None] | None = None

    @property
    def catalog(self) -> Catalog:
        return self.source.catalog

    def text(self, uri: str) -> TextDocument:
        """A file's text: as the editor has it when it is open, else as it is saved (empty when it is not there)."""
        document = self.workspace.get_text_document(uri)
        if isinstance(document, EditorText):
            return document
        try:
            source = document.source
        except (OSError, UnicodeDecodeError):
            source = ""
        return EditorText(uri, source, position_codec=self.workspace.position_codec)

    def keep_as_the_editor_has_it(self, uri: str) -> None:
        """Keep an opened file's text with LSP's lines: pygls applies the editor's edits to the text its workspace
        holds, so that text becomes an EditorText (before the first edit arrives)."""
        documents = self.workspace.text_documents
        opened = self.workspace.get_text_document(uri)
        for key, document in documents.items():
            if document is opened and not isinstance(document, EditorText):
                documents[key] = EditorText(
                    uri, opened.source, opened.version, opened.language_id, position_codec=opened.position_codec
                )

    def report_server_error(self, error: Exception, source: ServerErrors) -> None:
        """A message that is not JSON is answered with JSON-RPC's "parse error" (-32700); the rest as pygls does."""
        if isinstance(error, json.JSONDecodeError | UnicodeDecodeError):
            log.warning("advisor lsp: a message from the editor is not JSON: %s", error)
            # A plain mapping, through pygls's own writer: lsprotocol's converter would leave out the "id": null
            # that JSON-RPC asks for here.
            parse_error = {"code": JsonRpcParseError.CODE, "message": f"the message is not JSON: {error}"}
            self.protocol._send_data({"jsonrpc": "2.0", "id": None, "error": parse_error})
            return
        super().report_server_error(error, source)

    def knowledge(self, uri: str) -> assist.Knowledge:
        opened = self.files.get(uri)
        return assist.Knowledge(self.catalog.dictionary, self.catalog.index, opened.analysis if opened else None)

    async def analysed(self, uri: str, most: float = FIRST_ANALYSIS_WAIT) -> assist.Knowledge:
        """What is known of a file, once its first analysis is in: a hover or completion asked right after the file
        opens (an editor asks at once for the word under the mouse) waits for it, at most `most` seconds, so its
        steps and options are known as they are later, instead of nothing shown."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + most
        opened = self.files.get(uri)
        while opened is not None and opened.analysis is None and opened.pending is not None:
            task, remaining = opened.pending, deadline - loop.time()
            if task.done() or remaining <= 0:
                break
            await asyncio.wait({task}, timeout=remaining)  # (a newer edit's analysis replaces it: that one is awaited)
            opened = self.files.get(uri)
        return self.knowledge(uri)

    async def load_catalog(self) -> bool:
        """Read the catalog if it changed; True when it did. The editor is told once what keeps it from being read,
        again only when that changes, and when it can be read again."""
        try:
            changed: bool = await asyncio.get_running_loop().run_in_executor(self.analyst, self.source.load)
        except Exception as error:  # the database is away or broken: the file checks go on without the catalog
            problem = catalog_problem(error, self.source.db_url)
            if problem != self.catalog_problem:
                self.catalog_problem = problem
                log.warning("advisor lsp: %s", problem)
                message = f"advisor: {problem}. The files are checked without the catalog until it can be read."
                self.window_show_message(types.ShowMessageParams(types.MessageType.Warning, message))
            return False
        if self.catalog_problem is not None:
            self.catalog_problem = None
            message = "advisor: the catalog can be read again; the files are checked against it."
            log.info("advisor lsp: the catalog can be read again")
            self.window_show_message(types.ShowMessageParams(types.MessageType.Info, message))
        return changed

    async def watch_catalog(self) -> None:
        """Look at the catalog's version now and then; on a change, analyse every open file again."""
        while True:
            await asyncio.sleep(CATALOG_EVERY)
            if await self.load_catalog():
                for opened in self.files.values():
                    opened.memo = AuditMemo()
                for uri in list(self.files):
                    self.schedule(uri, 0.0)

    def schedule(self, uri: str, delay: float) -> None:
        """Analyse a file after `delay` seconds of quiet (a newer change starts the wait again)."""
        opened = self.files.setdefault(uri, _Open(memo=AuditMemo()))
        opened.wanted += 1
        if opened.pending is not None:
            opened.pending.cancel()
        opened.pending = asyncio.get_running_loop().create_task(self._analyse_later(uri, delay))

    async def _analyse_later(self, uri: str, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        document = self.text(uri)
        text, version = document.source, document.version
        opened = self.files.get(uri)
        if opened is None:
            return
        memo, wanted = opened.memo, opened.wanted
        if not is_questionnaire(text, document.path):
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=[])
            )
            return

        def work() -> Analysis | None:
            catalog = self.catalog  # as read by then: the catalog is read on the same thread, before this runs
            try:  # a long path walk stops once a newer text (or the file's close) wants an analysis of its own
                return analyse_text(
                    text, document.path or uri, dictionary=catalog.dictionary, catalog=catalog.index, memo=memo,
                    stop=lambda: opened.wanted != wanted or self.files.get(uri) is not opened,
                )  # fmt: skip
            except Cancelled:
                return None

        try:
            analysis = await asyncio.get_running_loop().run_in_executor(self.analyst, work)
        except Exception as error:  # a defect in the analysis: said, in place of the version's diagnostics
            if self.files.get(uri) is not opened or self.text(uri).version != version:
                return
            opened.analysis = None  # no quick fixes from an earlier version's findings, at places that moved
            self.analysis_failed(uri, version, document, error)
            return
        if analysis is None:
            return
        if self.files.get(uri) is not opened or self.text(uri).version != version:
            return  # changed (or closed) meanwhile: the newer analysis will say what holds
        opened.analysis = analysis
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=diagnostics(document, analysis))
        )

    def analysis_failed(self, uri: str, version: int | None, document: TextDocument, error: Exception) -> None:
        """An analysis that failed (a defect in advisor, not in the file) is logged and told to the editor, and
        published as the version's one diagnostic at the top of the file: the editor does not go on showing the
        findings of an earlier version as if they held."""
        reason = f"{type(error).__name__}: {error}"
        log.error("advisor lsp: analysing %s failed", document.path or uri, exc_info=error)
        message = f"advisor: analysing this file failed ({reason}); its findings cannot be shown. Please report it."
        self.window_log_message(types.LogMessageParams(types.MessageType.Error, f"{message} ({uri})"))
        failed = types.Diagnostic(
            range=_range(document, 0, 0, 0, 0), message=message, severity=types.DiagnosticSeverity.Error,
            source="advisor",
        )  # fmt: skip
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=[failed])
        )


def _range(document: TextDocument, line: int, column: int, end_line: int, end_column: int) -> types.Range:
    """A range in the client's units from 0-based lines and columns in characters."""
    return document.range_to_client_units(
        ServerTextRange(ServerTextPosition(line, column), ServerTextPosition(end_line, end_column))
    )


def _finding_range(document: TextDocument, finding: Finding) -> types.Range:
    if finding.line == 0:
        return _range(document, 0, 0, 0, 0)
    line, column = finding.line - 1, finding.column - 1
    end_line, end_column = _own_end(document.lines, line, column, finding.end_line - 1, finding.end_column - 1)
    return _range(document, line, column, end_line, end_column)


def _own_end(lines: Sequence[str], line: int, column: int, end_line: int, end_column: int) -> tuple[int, int]:
    """Where a finding's range ends on the lines of its own text: a block mapping or a folded text ends (for YAML)
    where the next key starts, so the range would run into the blank lines, comments and indentation of the
    following key's line; its end is drawn back to the end of the text's last line."""
    while line < end_line <= len(lines):
        if end_line < len(lines) and lines[end_line][:end_column].strip():
            break
        end_line -= 1
        text = lines[end_line].rstrip("\r\n")
        end_column = len(text.rstrip())
        if end_line > line and (not text.strip() or text.lstrip().startswith("#")):
            end_column = 0  # a blank line or a comment between: not the text's either
    if (end_line, end_column) <= (line, column):
        return line, column + 1
    return end_line, end_column


def diagnostics(document: TextDocument, analysis: Analysis) -> list[types.Diagnostic]:
    """The analysis's findings as LSP diagnostics (with their codes)."""
    return [
        types.Diagnostic(
            range=_finding_range(document, finding),
            message=finding.message,
            severity=types.DiagnosticSeverity.Error if finding.severity == ERROR else types.DiagnosticSeverity.Warning,
            code=finding.code,
            source="advisor",
        )
        for finding in analysis.findings
    ]


def _server_position(document: TextDocument, position: types.Position) -> tuple[int, int]:
    converted = document.position_from_client_units(position)
    return converted.line, converted.character


def _span(document: TextDocument, span: assist.Span) -> types.Range:
    return _range(document, span.line, span.start, span.end_line, span.end)


def _overlaps(a: types.Range, b: types.Range) -> bool:
    def key(position: types.Position) -> tuple[int, int]:
        return position.line, position.character

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def build_server(db_url: str | None = None) -> QuestionnaireServer:
    """The server with its features registered."""
    server = QuestionnaireServer(CatalogSource(db_url))

    @server.feature(types.INITIALIZED)
    async def initialized(ls: QuestionnaireServer, _params: types.InitializedParams) -> None:
        await ls.load_catalog()
        ls.watching = asyncio.get_running_loop().create_task(ls.watch_catalog())
        for uri in list(ls.files):
            ls.schedule(uri, 0.0)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: QuestionnaireServer, _params: None) -> None:
        ls.shut_down = True

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: QuestionnaireServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.keep_as_the_editor_has_it(params.text_document.uri)
        ls.schedule(params.text_document.uri, 0.0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: QuestionnaireServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, DEBOUNCE)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: QuestionnaireServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0.0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: QuestionnaireServer, params: types.DidCloseTextDocumentParams) -> None:
        opened = ls.files.pop(params.text_document.uri, None)
        if opened is not None and opened.pending is not None:
            opened.pending.cancel()
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
        )

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=TRIGGERS))
    async def completion(ls: QuestionnaireServer, params: types.CompletionParams) -> types.CompletionList:
        knowledge = await ls.analysed(params.text_document.uri)
        document = ls.text(params.text_document.uri)
        line, column = _server_position(document, params.position)
        found = assist.complete(document.source, line, column, knowledge)
        replace = _span(document, found.replace)
        items = [
            types.CompletionItem(
                label=item.label,
                kind=_KINDS[item.kind],
                detail=item.detail or None,
                documentation=types.MarkupContent(types.MarkupKind.Markdown, item.documentation)
                if item.documentation
                else None,
                text_edit=types.TextEdit(
                    _span(document, item.replace) if item.replace else replace, item.insert or item.label
                ),
                filter_text=item.filter,
                sort_text=f"{i:04d}",
            )
            for i, item in enumerate(found.items)
        ]
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: QuestionnaireServer, params: types.HoverParams) -> types.Hover | None:
        knowledge = await ls.analysed(params.text_document.uri)
        document = ls.text(params.text_document.uri)
        line, column = _server_position(document, params.position)
        found = assist.hover(document.source, line, column, knowledge)
        if found is None:
            return None
        return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, found.markdown), _span(document, found.span))

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    async def definition(ls: QuestionnaireServer, params: types.DefinitionParams) -> types.Location | None:
        knowledge = await ls.analysed(params.text_document.uri)
        document = ls.text(params.text_document.uri)
        line, column = _server_position(document, params.position)
        found = assist.definition(document.source, line, column, knowledge)
        return types.Location(params.text_document.uri, _span(document, found)) if found else None

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix])
    )
    def code_action(ls: QuestionnaireServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        document = ls.text(uri)
        opened = ls.files.get(uri)
        if opened is None or opened.analysis is None:
            return []
        actions = []
        for finding in opened.analysis.findings:
            where = _finding_range(document, finding)
            if not finding.fixes or not _overlaps(where, params.range):
                continue
            diagnostic = next(
                (d for d in params.context.diagnostics if d.code == finding.code and d.range == where), None
            )
            for fix in finding.fixes:
                edit = types.TextEdit(
                    _range(document, fix.line - 1, fix.column - 1, fix.end_line - 1, fix.end_column - 1),
                    fix.replacement,
                )
                actions.append(
                    types.CodeAction(
                        title=fix.title,
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[diagnostic] if diagnostic else None,
                        edit=types.WorkspaceEdit(changes={uri: [edit]}),
                        is_preferred=len(finding.fixes) == 1,  # of several (5 or 6?) the author chooses
                    )
                )
        return actions

    return server


def serve(db_url: str | None = None) -> int:
    """Run the language server on standard input and output until the editor ends it: 0 when the editor asked it
    to shut down first, 1 when it exited (or went away) without asking, as LSP says."""
    server = build_server(db_url)
    server.start_io()
    return 0 if server.shut_down else 1
