"""A lean HTTP/1.1 client for the load benchmark: one keep-alive connection per shopper, cookies, form posts.

httpx costs the client more CPU per request than the servers under test spend (on a 2-core machine the client
would set the pace); this client does only what a shopper's walk needs, so the servers are what is measured.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass
class Shopper:
    """One browser: a connection kept open and its cookies."""

    url: str
    cookies: dict[str, str] = field(default_factory=dict)
    _reader: asyncio.StreamReader | None = None
    _writer: asyncio.StreamWriter | None = None

    async def _connect(self) -> None:
        parts = urlsplit(self.url)
        self._reader, self._writer = await asyncio.open_connection(parts.hostname, parts.port)

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(OSError):
                await self._writer.wait_closed()
            self._reader = self._writer = None

    async def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Response:
        for attempt in (0, 1):  # a kept-alive connection the server closed meanwhile: once more on a new one
            if self._writer is None:
                await self._connect()
            try:
                return await self._exchange(method, path, form)
            except (ConnectionError, asyncio.IncompleteReadError):
                await self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    async def _exchange(self, method: str, path: str, form: dict[str, str] | None) -> Response:
        assert self._reader is not None and self._writer is not None
        body = urlencode(form).encode() if form is not None else b""
        lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: keep-alive"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{name}={value}" for name, value in self.cookies.items()))
        if form is not None:
            lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
        self._writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        head = await self._reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers: dict[str, str] = {}
        for line in header_lines:
            if not line:
                continue
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                cookie, _, _ = value.partition(";")
                key, _, cookie_value = cookie.partition("=")
                if cookie_value and "max-age=0" not in value.lower():
                    self.cookies[key.strip()] = cookie_value.strip().strip('"')
                else:
                    self.cookies.pop(key.strip(), None)
            headers[name] = value
        length = int(headers.get("content-length", "0"))
        payload = await self._reader.readexactly(length) if length else b""
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return Response(int(status_line.split(" ", 2)[1]), headers, payload)
