"""What keeps the web companion safe on the internet: signed cookies, CSRF tokens bound to the session, security
headers on every response and a refusal of control characters in anything a browser sends."""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from functools import partial
from typing import Any

from fastapi.exceptions import RequestValidationError
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Script only from this server's files, never inline: the chat page's /static/chat.js, which reads the chat's state
# from this server (connect-src) and shows what is new in live regions a screen reader announces (every page works
# without it: without script the chat's frame reloads itself). Styles and images only from this server; the chat's
# live frame is the only frame, and only this server's pages may frame a page (a resume code must not show inside
# another site).
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; "
    "frame-src 'self'; form-action 'self'; frame-ancestors 'self'; base-uri 'none'"
)
# Swagger UI, when [web] api_docs is on: its files from jsDelivr, pinned by version and integrity hash (SRI).
SWAGGER_UI = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5.35.0"
SWAGGER_UI_JS = "sha384-gjRm0bEPMeTmMh5jT2cHccIwCUZSTd8YC+j0d0sXw0MdGEfScduGpSyF3ZSSLkX9"
SWAGGER_UI_CSS = "sha384-WlYgdmXYOOBWL5apwjDEZwN+U3HmXSSu5R6V5aGxEcf7z+KuRNwBhoxKVN1i3D5I"
DOCS_CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; script-src 'self' {SWAGGER_UI}/; style-src {SWAGGER_UI}/; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'self'; base-uri 'none'"
)
HSTS_SECONDS = 365 * 86400
# Files that are the same for everyone keep their own caching; everything else (pages with a resume code, the
# API's answers, errors, redirects) is never stored by a browser or a proxy.
SHARED_FILES = ("/static/", "/images/")
# Addresses whose GET uses something up: the kiosk's QR code is a one-time link. A HEAD (a link checker's, a chat
# app's preview) must not use it, so there HEAD is refused (405) rather than answered as GET.
ONE_TIME = ("/c/",)

# C0 controls but tab, line feed and carriage return; DEL; C1 controls. PostgreSQL refuses NUL in text, and none
# of them belongs in a chat line, a comment, an address or a code. Also the invisible format characters that move
# text around where it is shown: the bidirectional embeddings, overrides and isolates (U+202A-U+202E,
# U+2066-U+2069: a "Trojan source" chat line reads differently to staff than what it holds) and the line and
# paragraph separators (U+2028, U+2029: a line break in a one-line field that some screens draw and others do not).
# They are refused, not stripped: the shopper's text is stored as sent or not at all, and a keyboard types none of
# them (a line break is typed as one). The marks a right-to-left text needs (U+200E, U+200F, U+061C) and the
# zero-width joiner of emoji sequences (U+200D) stay allowed.
# Control characters, line and paragraph separators, bidi controls, and (from a JSON "\ud800" escape) a surrogate no
# text can hold: UTF-8 cannot encode it, so it could be neither stored nor sent back.
CONTROL_CHARACTERS = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
FORMAT_CHARACTERS = frozenset("\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


MACS_KEPT = 4096


def _mac(key: bytes, purpose: str, value: str) -> str:
    digest = hmac.new(key, f"{purpose}\x00{value}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


class Signer:
    """Signs values so a browser can keep them but not forge them."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 32:
            raise ValueError("the secret key needs at least 32 bytes")
        self.key = key
        # A browser sends the same cookies with every page: each signature is worked out once (bounded).
        self._mac: Callable[[str, str], str] = functools.lru_cache(maxsize=MACS_KEPT)(partial(_mac, key))

    def sign(self, value: str, purpose: str = "session") -> str:
        return f"{value}.{self._mac(purpose, value)}"

    def unsign(self, signed: str | None, purpose: str = "session", *, longest: int = 200) -> str | None:
        """The value, or None when the signature does not match (or there is none, or it is longer than `longest`:
        only a form's words kept for the next page are longer than an id)."""
        if not signed or "." not in signed or len(signed) > longest:
            return None
        value, _, mac = signed.rpartition(".")
        return value if hmac.compare_digest(mac, self._mac(purpose, value)) else None

    def csrf_token(self, nonce: str, session: str = "") -> str:
        """The form token that goes with a browser's CSRF cookie and its session cookie (double submit, signed):
        a token taken from one session's page does not work for another session."""
        return self._mac("csrf", f"{nonce}\x00{session}")

    def csrf_ok(self, nonce: str | None, token: str | None, session: str = "") -> bool:
        return bool(nonce and token) and hmac.compare_digest(self.csrf_token(str(nonce), session), str(token))


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


NO_STORE = (b"cache-control", b"no-store")


TOO_LARGE = b"Content Too Large"


class Perimeter:
    """The outermost layer of the application, around whoever answers (a page, the API, a static file, an error
    page, a redirect, Starlette's own 500): the security headers on every response, and a request body refused
    (413) as soon as it is larger than `max_body` bytes, whether its length was declared or it is streamed.

    A body within the limit is read here whole (it is a few KB) and handed on in one piece.

    HEAD is answered wherever GET is, with GET's status and headers and no body (an uptime check's HEAD /healthz):
    here once rather than on each of the pages' and the API's routes, where FastAPI would also list a second
    operation per address in the OpenAPI document. A 405's Allow says so too. Not at a one-time link (`ONE_TIME`).
    """

    def __init__(self, app: ASGIApp, *, https: bool, docs_path: str | None, max_body: int) -> None:
        self.app = app
        self.docs_path = docs_path
        self.max_body = max_body
        headers = {
            "Content-Security-Policy": CONTENT_SECURITY_POLICY,
            "X-Frame-Options": "SAMEORIGIN",  # frame-ancestors for browsers that predate it
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        }
        if https:
            headers["Strict-Transport-Security"] = f"max-age={HSTS_SECONDS}"
        # Encoded once: every response gets the same bytes (a response's own headers of these names give way).
        self.names = {name.lower().encode("latin-1") for name in headers}
        self.raw = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]
        self.docs_raw = [(b"content-security-policy", DOCS_CONTENT_SECURITY_POLICY.encode("latin-1")) if name ==
                         b"content-security-policy" else (name, value) for name, value in self.raw]  # fmt: skip
        # With no-store (every response but a shared file's): built once too, not per response.
        self.raw_no_store = [*self.raw, NO_STORE]
        self.docs_raw_no_store = [*self.docs_raw, NO_STORE]
        self.names_no_store = self.names | {NO_STORE[0]}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                docs = path == self.docs_path
                if path.startswith(SHARED_FILES) and message["status"] < 400:
                    added, replaced = self.docs_raw if docs else self.raw, self.names
                else:
                    added, replaced = self.docs_raw_no_store if docs else self.raw_no_store, self.names_no_store
                own = [(name, value) for name, value in message.get("headers", ()) if name.lower() not in replaced]
                if message["status"] == 405 and not path.startswith(ONE_TIME):
                    own = [(name, _with_head(value) if name.lower() == b"allow" else value) for name, value in own]
                message["headers"] = own + added
            await send(message)

        if scope["method"] == "GET":
            await self.app(scope, receive, send_with_headers)
            return
        if scope["method"] == "HEAD" and path.startswith(ONE_TIME):
            await send_with_headers({"type": "http.response.start", "status": 405, "headers": [
                (b"allow", b"GET"), (b"content-length", b"0")]})  # fmt: skip
            await send_with_headers({"type": "http.response.body", "body": b""})
            return
        if scope["method"] == "HEAD":

            async def send_headers_only(message: Message) -> None:
                if message["type"] == "http.response.body":
                    if message.get("more_body", False):
                        return
                    message = {"type": "http.response.body", "body": b"", "more_body": False}
                await send_with_headers(message)

            await self.app({**scope, "method": "GET"}, receive, send_headers_only)
            return
        body = await self._body(scope, receive)
        if body is None:
            await send_with_headers({"type": "http.response.start", "status": 413, "headers": [
                (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(TOO_LARGE)).encode()),
                (b"connection", b"close")]})  # fmt: skip
            await send_with_headers({"type": "http.response.body", "body": TOO_LARGE})
            return
        handed = False

        async def receive_body() -> Message:
            nonlocal handed
            if handed:
                return await receive()  # after the body: the client's disconnect
            handed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, receive_body, send_with_headers)

    async def _body(self, scope: Scope, receive: Receive) -> bytes | None:
        """The whole request body; None as soon as it is (or is declared) larger than the limit."""
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    if int(value) > self.max_body:
                        return None
                except ValueError:
                    pass  # uvicorn refuses a malformed length before it gets here
        parts, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break  # the client went away: the application sees an empty body and its disconnect
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return None
            parts.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(parts)


def _with_head(allow: bytes) -> bytes:
    """An Allow header's methods with HEAD beside GET (HEAD is answered wherever GET is)."""
    methods = [method.strip() for method in allow.split(b",")]
    return allow if b"GET" not in methods or b"HEAD" in methods else b", ".join([*methods, b"HEAD"])


def control_character_in(value: Any) -> str | None:
    """A control character in a text, or in any text of a JSON value (None when there is none)."""
    waiting = [value]
    while waiting:  # a loop, not recursion: a request may nest lists thousands deep
        item = waiting.pop()
        if isinstance(item, str):
            if found := CONTROL_CHARACTERS.search(item):
                return found.group()
        elif isinstance(item, dict):
            waiting += [*item.keys(), *item.values()]
        elif isinstance(item, list | tuple):
            waiting += item
    return None


CONTROL_CHARACTER = "control_character"  # the validation error's type


async def refuse_control_characters(request: Request) -> None:
    """A dependency of every route: a validation error (422) when the path, the query, a form field or a JSON
    text holds a control character, before any of it reaches the database."""
    texts: list[tuple[tuple[str, ...], Any]] = [(("path",), request.scope["path"])]
    if request.scope.get("query_string"):
        texts += [(("query", name), [name, value]) for name, value in request.query_params.multi_items()]
    content_type = request.headers.get("content-type", "")
    plain = True  # every text a string, or a name and a string value (not JSON)
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        texts += [(("body", name), [name, value]) for name, value in form.multi_items() if isinstance(value, str)]
    elif content_type.startswith("application/json"):
        with contextlib.suppress(ValueError, RecursionError):  # not JSON (or too deep): the route's parsing says so
            texts.append((("body",), await request.json()))
            plain = False
    if plain and not CONTROL_CHARACTERS.search("".join(_strings(texts))):
        return  # (one search over all of them: the pattern is one character, so none is found across two texts)
    for where, value in texts:
        if (found := control_character_in(value)) is not None:
            kind = ("invisible format character" if found in FORMAT_CHARACTERS else
                    "unpaired surrogate" if "\ud800" <= found <= "\udfff" else "control character")  # fmt: skip
            message = f"{kind} U+{ord(found):04X}: text must not hold control characters"
            raise RequestValidationError([{"type": CONTROL_CHARACTER, "loc": where, "msg": message}])


def _strings(texts: list[tuple[tuple[str, ...], Any]]) -> list[str]:
    """The path's, the query's and a form's texts (each a text, or a name and its value) in one list."""
    found: list[str] = []
    for _where, value in texts:
        if isinstance(value, str):
            found.append(value)
        else:
            found += value
    return found
