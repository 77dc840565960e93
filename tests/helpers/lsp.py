"""An editor's side of `advisor lsp`: pygls's language client over the server's stdin and stdout."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient


class Editor:
    """A client that opens and edits one file and waits for the server's diagnostics of each version."""

    def __init__(self, client: LanguageClient) -> None:
        self.client = client
        self.published: dict[int, tuple[float, list[types.Diagnostic]]] = {}
        self.changed = asyncio.Event()
        self.uri = ""
        self.version = 0
        self.text = ""

        @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def diagnostics(params: types.PublishDiagnosticsParams) -> None:
            if params.version is not None and params.uri == self.uri:
                self.published[params.version] = (time.perf_counter(), params.diagnostics)
                self.changed.set()

    async def diagnostics(self, version: int, timeout: float = 30.0) -> list[types.Diagnostic]:
        """The diagnostics published for a version of the file (waiting for them)."""
        async with asyncio.timeout(timeout):
            while version not in self.published:
                self.changed.clear()
                await self.changed.wait()
        return self.published[version][1]

    def open(self, path: Path, text: str) -> None:
        """Open a file (the one the editor works on from now on)."""
        self.uri, self.version, self.text = path.resolve().as_uri(), 1, text
        self.published = {}
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(self.uri, "yaml", self.version, text))
        )

    def replace(self, old: str, new: str) -> int:
        """Edit the file as an editor does (an incremental change of the range that changes); the new version."""
        offset = self.text.index(old)
        start = self.position(offset)
        end = self.position(offset + len(old))
        self.text = self.text[:offset] + new + self.text[offset + len(old) :]
        self.version += 1
        change = types.TextDocumentContentChangePartial(range=types.Range(start, end), text=new)
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(version=self.version, uri=self.uri), content_changes=[change]
            )
        )
        return self.version

    def position(self, offset: int) -> types.Position:
        """The LSP position of a character offset (UTF-16 code units, the protocol's default)."""
        before = self.text[:offset]
        line = before.count("\n")
        column_text = before[before.rfind("\n") + 1 :]
        return types.Position(line, len(column_text.encode("utf-16-le")) // 2)

    def after(self, needle: str, into: int | None = None) -> types.Position:
        """The position just after `needle` (or `into` characters into it)."""
        offset = self.text.index(needle)
        return self.position(offset + (len(needle) if into is None else into))

    async def complete(self, position: types.Position) -> list[types.CompletionItem]:
        result = await self.client.text_document_completion_async(
            types.CompletionParams(types.TextDocumentIdentifier(self.uri), position)
        )
        if result is None:
            return []
        return list(result.items if isinstance(result, types.CompletionList) else result)

    async def hover(self, position: types.Position) -> str:
        result = await self.client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(self.uri), position)
        )
        if result is None:
            return ""
        contents = result.contents
        return contents.value if isinstance(contents, types.MarkupContent) else str(contents)


@asynccontextmanager
async def editor(db_url: str, *command: str) -> AsyncIterator[Editor]:
    """`advisor lsp` started as an editor starts it, initialised; shut down and ended afterwards."""
    client = LanguageClient("test-editor", "1")
    session = Editor(client)
    args = command or ("-m", "advisor", "lsp", "--stdio", "--db", db_url)
    await client.start_io(sys.executable, *args)
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(
                text_document=types.TextDocumentClientCapabilities(
                    publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True)
                )
            ),
            process_id=None,
            root_uri=None,
        )
    )
    client.initialized(types.InitializedParams())
    try:
        yield session
    finally:
        await client.shutdown_async(None)
        client.exit(None)
        await client.stop()
