"""`advisor serve`: the web companion as server-rendered pages (no JavaScript needed) and a JSON API.

Every page reads the session from the database (the truth for kiosk, console and phone), so a change made on
one device shows on the next page load of another. The browser holds only a signed cookie with the session id
(before the first answer: which questionnaire it started, in which language; nothing is stored until then).
"""

from __future__ import annotations

import base64
import contextlib
import functools
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

import jinja2
import jinja2.runtime
from fastapi import Depends, FastAPI, Form, HTTPException, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import OperationalError
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from advisor.appointments import agenda, booking, links
from advisor.appointments.calendar import ics
from advisor.appointments.slots import Slot, by_part_of_day
from advisor.catalog.images import image_file
from advisor.catalog.reads import store_name
from advisor.config import staff_back_at
from advisor.db.engine import ReadinessProbe
from advisor.db.prepared import reading
from advisor.engine import InvalidAnswer, first_unanswered, path_of, whole_steps
from advisor.handoff import limits, requests, sessions, staff
from advisor.handoff.chat import MAX_MESSAGE, messages, post_message
from advisor.handoff.codes import InvalidCode, TooManyAttempts, shown
from advisor.handoff.seen import PhoneSightings
from advisor.handoff.tokens import TokenError, confirm_first, peek_token, redeem_token
from advisor.i18n import LOCALES, counted, day_text, duration, pick, rating_question, text, unit_text
from advisor.insights.events import MAX_COMMENT, leave_comment, record_cancel
from advisor.questionnaire.model import DONT_CARE, Step
from advisor.recommend.core import category_noun, product_names
from advisor.recommend.explain import (
    say_apart,
    say_dropped,
    say_group,
    say_no_match,
    say_relaxation,
    say_results_count,
    say_shared,
    say_versus_top,
    wished_directions,
)
from advisor.rendering.compare import can_compare, compare_action, compare_prices, compare_rows
from advisor.rendering.facts import price_text, product_facts, size_text
from advisor.rendering.mail import (
    MAX_ADDRESS,
    MailError,
    check_address,
    is_address,
    summary_message,
    wire_bytes,
)
from advisor.rendering.qr import qr_svg
from advisor.rendering.service import GUIDE, REPAIR, OutcomeView, outcome_views, product_anywhere
from advisor.rendering.summary import build_summary, environment
from advisor.repairs import days as repair_days
from advisor.repairs import orders as repairs
from advisor.repairs.words import cost_line
from advisor.service.find import PICTURES, Found, by_code, find, gtin_key
from advisor.service.guides import GUIDE_IMAGES, guides_path
from advisor.session import confirmation, store
from advisor.session.help import of_advice, order_repair, repairs_ordered
from advisor.session.service import AdviceSession, SessionError, answer_from_form
from advisor.web import outbox
from advisor.web.api import api_router
from advisor.web.clients import budget_client_of, client_of
from advisor.web.context import NotStored, Opened, WebContext
from advisor.web.security import (
    CONTROL_CHARACTER,
    SWAGGER_UI,
    SWAGGER_UI_CSS,
    SWAGGER_UI_JS,
    Perimeter,
    new_nonce,
    refuse_control_characters,
)
from advisor.web.waiting import run_page

SESSION_COOKIE = "advisor_session"
CSRF_COOKIE = "advisor_csrf"
LANG_COOKIE = "advisor_lang"
ARTICLE_COOKIE = "advisor_article"  # the article a scanned barcode named ("model|variant", signed)
ORDER_COOKIE = "advisor_order"  # the repair order just made (its id, signed): its confirmation survives a reload
REPAIR_COOKIE = "advisor_repair"  # the repair last looked up by its pickup code (its id, signed), for half an hour:
REPAIR_SECONDS = 1800  # its status survives a reload and the language switch, the code still in no address
BOOKED_COOKIE = "advisor_booked"  # the appointment just booked and its one-time links (signed): survives a reload
BOOKED_LONGEST = 1000  # that cookie's longest signed value: it also names up to three products not held
TYPED_COOKIE = "advisor_typed"  # a refused repair order's form and error (signed), for the page it leads back to
TYPED_SECONDS = 600
TYPED_LONGEST = 4000  # that cookie's longest signed value: the words typed, not an id
MAX_TYPED_NUMBER = 24  # a refused number shown again as typed, to correct (a numeral that long is already wrong)
SKIP_COOKIE = "advisor_skip"  # a service run whose shopper went on without naming the product (its run, signed)
STATIC = Path(__file__).resolve().parent / "static"
OPENAPI = "/api/openapi.json"
DOCS = "/api/docs"
MAX_BODY_BYTES = 64 * 1024  # the largest form or JSON body is a few KB; more is refused (413) as it arrives
CHAT_REFRESH_SECONDS = 4
# The page of a form whose address has no page of its own (a refused answer, address, code shows at the form's).
FORM_PAGES = {"/advice/answer": "/advice", "/advice/summary/email": "/advice/summary", "/advice/chat/start":
              "/advice/chat", "/advice/help/from-code": "/advice/help/find"}  # fmt: skip
MAX_BACK = 2000  # the longest own address the language button leads back to
MAX_QUERY = 100  # what the product field takes: a barcode or a few words of a name
# Where a kiosk's phone link may lead (`/c/{token}?to=`): the booking page, or the appointments booked.
PHONE_TARGETS = {"appointment": "/advice/appointment", "booked": "/advice/appointments"}
API_PREFIX = "/api/v1"


# A path and a query of only these characters read the same in the request's URL (nothing escaped, nothing left
# out): Page.here takes them from the request as they are.
PLAIN_PATH = re.compile(r"[A-Za-z0-9/._~%!$&'()*+,;=:@-]*")
PLAIN_QUERY = re.compile(rb"[A-Za-z0-9/._~%!$&'()*+,;=:@?-]*")


# A message without parameters by key, language and address (i18n.text of a fixed table: the same every time).
_TEXTS: dict[tuple[str, str, str], str] = {}


class _PageContext(jinja2.runtime.Context):
    """Jinja's template context, calling a plain function or method (`t`, `pick`, a lambda, `dict.items`) at once.

    Jinja asks every callable a template calls whether it wants the context, the evaluation context or the
    environment passed (`jinja_pass_arg`, on the callable or on its `__call__`): a plain function or method has it
    only in its own `__dict__`, and its `__call__` (a method-wrapper) and a builtin never have it. Those are called
    here as Jinja would call them; anything else (a macro, a callable object, a function marked `pass_context`) the
    way Jinja does."""

    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's names
        kind = type(__obj)
        if kind is MethodType:
            function = __obj.__func__  # type: ignore[attr-defined]
            plain = type(function) is FunctionType and "jinja_pass_arg" not in function.__dict__
        else:
            plain = (kind is FunctionType and "jinja_pass_arg" not in __obj.__dict__) or kind is BuiltinFunctionType
        if not plain:
            return super().call(__obj, *args, **kwargs)
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


@functools.cache
def _template(name: str) -> jinja2.Template:
    """A web page's template (the environment does not reload them: the same one for every page)."""
    return environment().get_template(f"web/{name}")


class Page:
    """One request's view: language, address form, CSRF token; renders templates with them."""

    def __init__(
        self, web: WebContext, request: Request, opened: Opened | None = None, *, prefer: str | None = None
    ) -> None:
        """The language is the advice's; without one the visitor's choice, else `prefer` (a mail's link opens in the
        language of its mail), else what the browser asks for."""
        self.web = web
        self.request = request
        self.opened = opened
        advice = self.advice = opened.session if opened else None
        if advice:
            self.locale = advice.locale
        else:  # (the cookie and the header read only when they decide)
            wanted = request.cookies.get(web.cookie(LANG_COOKIE))
            self.locale = (wanted if wanted in LOCALES else prefer if prefer in LOCALES else
                           preferred_locale(request.headers.get("accept-language", ""),
                                            web.config.store.default_locale))  # fmt: skip
        self.address = advice.address if advice else web.store_address(self.locale)
        self.nonce = request.cookies.get(web.cookie(CSRF_COOKIE)) or new_nonce()
        self.binding = request.cookies.get(web.cookie(SESSION_COOKIE), "")  # the session a form token is for

    def t(self, key: str, **params: Any) -> str:
        if params:
            return text(key, self.locale, self.address, **params)
        words = _TEXTS.get((key, self.locale, self.address))  # (a page says most of its texts without parameters)
        if words is None:
            words = _TEXTS[(key, self.locale, self.address)] = text(key, self.locale, self.address)
        return words

    def counted(self, key: str, count: int, **params: Any) -> str:
        return counted(key, count, self.locale, self.address, **params)

    def pick(self, texts: Mapping[str, str]) -> str:
        return pick(texts, self.locale)

    def render(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        body = _template(template).render(
            t=self.t, counted=self.counted, pick=self.pick, locale=self.locale,
            day_words=lambda day, **style: day_text(day, self.locale, **style),
            asked=lambda key, scale: rating_question(key, scale, self.locale, self.address),
            csrf=self.web.signer.csrf_token(self.nonce, self.binding),
            advice=self.advice,
            code=shown(self.opened.stored.resume_code) if self.opened and self.opened.stored else None,
            store=self.web.config.store, DONT_CARE=DONT_CARE,
            retention_days=self.web.config.privacy.session_retention_days,
            price=lambda item, variants=None: price_text(item, self.locale, variants), whole=_whole,
            refresh=context.pop("refresh", None), here=self.here(), **context,
        )  # fmt: skip
        response = HTMLResponse(body, status_code=status)
        self.keep_cookies(response)
        return response

    def here(self) -> str:
        """The page's own address, where the language button leads back to (a form's answer: its form's page)."""
        scope = self.request.scope
        path: str = scope["path"]
        raw: bytes = scope.get("query_string", b"")
        if PLAIN_PATH.fullmatch(path) and PLAIN_QUERY.fullmatch(raw):
            query = raw.decode()  # plain characters: the URL's own path and query, without building the URL
        else:
            path, query = self.request.url.path, self.request.url.query  # (what the URL escapes or leaves out)
        if self.request.method != "GET":
            return FORM_PAGES.get(path, path)
        return path + (f"?{query}" if query else "")

    def keep_cookies(self, response: Response) -> None:
        name = self.web.cookie(CSRF_COOKIE)
        if name not in self.request.cookies:
            response.set_cookie(name, self.nonce, httponly=True, samesite="lax", secure=self.web.secure_cookies)


def _expired() -> HTTPException:
    """The browser's session has expired or is gone: back to the start page, which says so."""
    return HTTPException(status_code=303, headers={"Location": "/?expired=1"})


def preferred_locale(header: str, default: str) -> str:
    """The first of our languages the browser asks for (Accept-Language "en-US,en;q=0.9,de;q=0.8": en), else the
    store's; a phone set to English gets English pages before anyone taps "English"."""
    wishes = []
    for position, part in enumerate(header.split(",")[:20]):
        language, _, weight = part.strip().partition(";q=")
        try:
            quality = float(weight) if weight else 1.0
        except ValueError:
            continue
        if quality > 0:  # q=0: "not this one"
            wishes.append((-quality, position, language.split("-")[0].strip().lower()))
    return next((language for _, _, language in sorted(wishes) if language in LOCALES), default)


def _aware_time(value: str) -> datetime | None:
    """A form's time with its zone ("2026-12-04T09:30:00+01:00"), or None."""
    try:
        moment = datetime.fromisoformat(value)
        moment.astimezone(UTC)  # a time at the calendar's very edge has no moment
    except (ValueError, OverflowError):
        return None
    return moment if moment.tzinfo is not None else None


def _taken_day(taken: booking.SlotTaken, start: datetime, zone: tzinfo) -> date:
    """The day to show with the next free times: the wished one when it was taken, else the first free one's."""
    if taken.reason == "taken":
        return start.astimezone(zone).date()
    return taken.next_slots[0].starts_at.date() if taken.next_slots else datetime.now(zone).date()


def _taken_status(taken: booking.SlotTaken) -> int:
    return 400 if taken.reason == "not_offered" else 409


def _own_page(address: str) -> bool:
    """Whether an address is a page of this server ("/advice/compare"; never "//elsewhere" or "https://…")."""
    return address.startswith("/") and not address.startswith("//") and "\\" not in address and len(address) <= MAX_BACK


def _wrong_field(reason: str, name: str) -> str:
    """The booking form's field a refused booking's reason is about (its error shows beside it)."""
    if reason == "no_contact":  # the name or the contact is missing
        return "contact" if name.strip() else "name"
    if reason.startswith(("name_", "contact_")):  # too long, or with a line break
        return reason.partition("_")[0]
    return {"bad_contact": "contact", "too_many_products": "products"}.get(reason, "time")


def _redirect(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def _address(position: str) -> str:
    """The address of a place of the advice, a step or the results (`/advice?at=step`): each question and the
    results are an entry of the browser's history, so its Back and Forward buttons walk the questions."""
    return f"/advice?at={quote(position, safe='')}"


def _where(advice: AdviceSession) -> RedirectResponse:
    return _redirect(_address(advice.position))


OPENED = "advice_opened"  # the request state's key for the session a page request worked on


class _ReleaseSession:
    """After a page's request went well, the session it worked on goes back among the process's warm sessions
    (`WebContext.release`), where the browser's next page takes it without restoring it again."""

    def __init__(self, app: ASGIApp, web: WebContext) -> None:
        self.app = app
        self.web = web

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        await self.app(scope, receive, sending)
        opened = scope.get("state", {}).get(OPENED)
        if opened is not None and status < 400:
            self.web.release(opened)


class _Companion(FastAPI):
    """FastAPI inside the perimeter (security headers, body limit), so even Starlette's own 500 carries them."""

    https = False
    docs_path: str | None = None

    def build_middleware_stack(self) -> ASGIApp:
        inner = _ReleaseSession(super().build_middleware_stack(), self.state.web)
        return Perimeter(inner, https=self.https, docs_path=self.docs_path, max_body=MAX_BODY_BYTES)


# The fields a shopper writes in words (a chat message, a comment, a name): shown again when a form could not be sent.
TYPED_FIELDS = ("message", "comment", "name", "contact", "email", "address")


async def sent_form(request: Request) -> list[tuple[str, str]] | None:
    """The fields of a page's form post, as the request's handler read them; None for a request without a form."""
    if request.method != "POST" or "form" not in request.headers.get("content-type", ""):
        return None
    try:
        form = await request.form()  # the handler's own parse (the same Request), not the body read again
    except (RuntimeError, ValueError):  # the body was read another way, or could not be parsed
        return None
    return [(name, value) for name, value in form.multi_items() if isinstance(value, str)]


def create_app(web: WebContext) -> FastAPI:
    """The web companion's application (pages under /, the JSON API under /api/v1)."""
    environment().context_class = _PageContext  # (the same rendering, a little quicker: see there)
    docs = web.config.web.api_docs
    app = _Companion(
        title="Nordgrat advice API",
        version="1",
        description="Start, continue and read advice sessions (the same engine and recommender as the kiosk).",
        docs_url=None,  # Swagger UI is served below when [web] api_docs is on, pinned and with integrity hashes
        redoc_url=None,
        openapi_url=OPENAPI if docs else None,
        dependencies=[Depends(refuse_control_characters)],
        # No OpenTelemetry spans, metrics or logs: nothing here exports them, and the check for a configured
        # provider would otherwise run on every request.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.https, app.docs_path = web.secure_cookies, DOCS if docs else None
    app.state.web = web
    # The client's address comes from X-Forwarded-For only when the peer is a configured proxy (none by default:
    # then no request's header is believed, and no layer looks at it).
    if web.config.web.forwarded_allow_ips:
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(web.config.web.forwarded_allow_ips))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    def current(request: Request, *, writing: bool = False) -> Opened | None:
        """The session of the browser's cookie: a stored one, or a start not stored yet (no answer so far).
        `writing`: see `WebContext.open`."""
        cookie = request.cookies.get(web.cookie(SESSION_COOKIE))
        opened = web.open(web.signer.unsign(cookie), writing=writing) or web.open_start(
            web.signer.unsign(cookie, "start")
        )
        if opened is not None:
            setattr(request.state, OPENED, opened)  # released (kept warm) when the request went well
        return opened

    def require(request: Request, *, writing: bool = False) -> Opened:
        """The browser's session, or a redirect to the start page saying that it has expired. `writing`: the
        request writes the session with `save`, or reads it with `read_now` before it answers."""
        opened = current(request, writing=writing)
        if opened is None:
            raise _expired()
        if opened.session.index is None:
            raise SessionError(f"the catalog has no category {opened.session.questionnaire.category!r}")
        return opened

    def read_now(opened: Opened) -> Opened:
        """A session `require(..., writing=True)` took as kept, read now for a request that writes nothing."""
        checked = web.checked(opened)
        if checked is None:
            raise _expired()
        return checked

    def check_csrf(request: Request, token: str) -> None:
        binding = request.cookies.get(web.cookie(SESSION_COOKIE), "")
        if not web.signer.csrf_ok(request.cookies.get(web.cookie(CSRF_COOKIE)), token, binding):
            raise HTTPException(status_code=403, detail="csrf")

    def enter(stored: sessions.StoredSession, to: str = "") -> RedirectResponse:
        """Into a stored session on this device: at the place it stands (or `to`)."""
        advice_id = stored.id
        response = _redirect(to or (_address(stored.position) if stored.position else "/advice"))
        response.set_cookie(
            web.cookie(SESSION_COOKIE), web.signer.sign(advice_id), httponly=True, samesite="lax",
            secure=web.secure_cookies, max_age=web.config.privacy.session_retention_days * 86400,
        )  # fmt: skip
        return response

    def keep(response: Response, opened: Opened) -> Response:
        """The session cookie for the session as it is now: its stored id, or a start not stored yet."""
        privacy = web.config.privacy
        if opened.stored is None:
            value, seconds = web.signer.sign(web.start_value(opened), "start"), privacy.web_session_idle_hours * 3600
        else:
            value, seconds = web.signer.sign(opened.stored.id), privacy.session_retention_days * 86400
        response.set_cookie(
            web.cookie(SESSION_COOKIE), value, httponly=True, samesite="lax", secure=web.secure_cookies,
            max_age=seconds,
        )  # fmt: skip
        return response

    def save(opened: Opened, response: Response) -> Response:
        """Write what the request changed; a session its first answer stores gets its cookie with the response."""
        stored = web.save(opened)
        return keep(response, stored) if opened.stored is None and stored.stored is not None else response

    walked: list[BaseRoute] = []  # the walk's routes, in the order they are registered
    api_routes: list[BaseRoute] = []  # the JSON API's (FastAPI includes its router as one route: `allowed` asks these)

    def walk(path: str, method: str = "GET") -> Callable[[Handler], Handler]:
        """A page of the shopper's walk (home, start, question, answer, relaxation, product, start over) as a plain
        Starlette route: the handler gets the request and its form. These are most of a server's requests;
        FastAPI's dependency solving around each would cost about a tenth of a millisecond more (measured). The
        rest of the pages declare their fields as FastAPI parameters; the control characters are refused here as
        for them.

        The handler runs on the event loop, and waits for the database there (`WebContext.write`, `WebContext.db`)."""

        def register(handler: Handler) -> Handler:
            async def endpoint(request: Request) -> Response:
                await refuse_control_characters(request)
                form = await request.form() if method == "POST" else FormData()
                return await run_page(handler, request, form)

            app.router.add_route(path, endpoint, methods=[method], include_in_schema=False)
            walked.append(app.router.routes[-1])
            return handler

        return register

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if error.status_code == 303 and error.headers:
            return RedirectResponse(error.headers["Location"], status_code=303)
        headers = dict(error.headers or {})
        if error.status_code == 405 and (methods := allowed(request)):
            headers["Allow"] = ", ".join(sorted(methods))  # Starlette names only the first route's at the address
        if request.url.path.startswith("/api/"):
            from fastapi.responses import JSONResponse

            return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=headers)
        opened = None
        with contextlib.suppress(OperationalError, SessionError):  # the error page, even when these fail
            opened = current(request)  # a session's pages speak its language, its errors too
        page = Page(web, request, opened)
        key = {403: "web.error.csrf", 404: "web.error.not_found"}.get(error.status_code, "web.error.general")
        response = page.render("message.html", status=error.status_code, title=page.t(key), message="")
        response.headers.update(headers)  # what the status needs said: a 405's Allow, a 429's Retry-After
        return response

    def allowed(request: Request) -> set[str]:
        """The methods of every route at the request's address (a page's GET and its form's POST are two routes;
        the API's are looked up in its own router, which FastAPI includes as one route)."""
        methods: set[str] = set()
        for route in app.router.routes:
            if route.matches(request.scope)[0] is Match.PARTIAL:  # the address, another method
                methods |= getattr(route, "methods", None) or set()
        path = request.url.path
        if path.startswith(API_PREFIX + "/"):
            for route in api_routes:
                regex = getattr(route, "path_regex", None)
                if regex is not None and regex.match(path.removeprefix(API_PREFIX)):
                    methods |= getattr(route, "methods", None) or set()
        return methods

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        if request.url.path.startswith("/api/"):
            return await request_validation_exception_handler(request, error)
        page = Page(web, request)
        control = any(item.get("type") == CONTROL_CHARACTER for item in error.errors())
        key = "web.error.control_character" if control else "web.error.general"
        return page.render("message.html", status=422, title=page.t(key), message="")

    @app.exception_handler(NotStored)
    def not_stored(_request: Request, _error: NotStored) -> Response:
        return _redirect("/advice")  # a page of the stored session (summary, chat …) before the first answer

    @app.exception_handler(store.SessionGone)
    def session_gone(request: Request, error: store.SessionGone) -> Response:
        if request.url.path.startswith("/api/"):
            return advice_error(request, error)
        return _redirect("/?expired=1")  # a write found the session expired: as a page that read it would

    @app.exception_handler(SessionError)
    def advice_error(request: Request, _error: SessionError) -> Response:
        page = Page(web, request)
        return page.render("message.html", status=404, title=page.t("web.error.general"), message="")

    @app.exception_handler(OperationalError)
    async def database_down(request: Request, _error: OperationalError) -> Response:
        if request.url.path.startswith("/api/"):  # a program reads the API: JSON, as its other errors
            from fastapi.responses import JSONResponse

            detail = "the database is unavailable right now; try again in a moment"
            return JSONResponse({"detail": detail}, status_code=503, headers={"Retry-After": "5"})
        # In the advice's language and address where the request had opened it before the database failed (a write
        # that found it locked); else as any page without an advice (the language chosen, or the browser's).
        page = Page(web, request, getattr(request.state, OPENED, None))
        kept = await sent_form(request)
        if kept is None:
            return page.render("message.html", status=503, title=page.t("web.error.database"), message="")
        # What the shopper sent (a chat message, a booking's name, an answer) is not lost: the page sends it again.
        typed = [value for name, value in kept if name in TYPED_FIELDS and value.strip()]
        return page.render(
            "message.html", status=503, title=page.t("web.error.database"), message=page.t("web.error.kept"),
            retry=(request.url.path + (f"?{request.url.query}" if request.url.query else ""), kept), typed=typed,
        )  # fmt: skip

    # -- start and continue ---------------------------------------------------------------------------------

    @walk("/")
    def home(request: Request, _form: FormData) -> Response:
        expired = _query_number(request, "expired", int)
        page = Page(web, request, current(request))
        choices = sorted(web.offered().values(), key=lambda q: q.id)
        return page.render(
            "home.html", questionnaires=[q for q in choices if not q.is_service],
            services=[q for q in choices if q.is_service], expired=bool(expired),
        )  # fmt: skip

    @app.post("/lang", include_in_schema=False)
    def set_language(request: Request, locale: str = Form(...), csrf: str = Form(""), back: str = Form("")
                     ) -> Response:  # fmt: skip
        """The other language, on the page the button was pressed on (`back`: only an address of this server)."""
        check_csrf(request, csrf)
        if locale not in LOCALES:
            raise HTTPException(status_code=400, detail="unknown language")
        opened = current(request)
        response = _redirect(back if _own_page(back) else "/advice" if opened else "/")
        if opened is not None and locale in opened.session.questionnaire.locales:
            opened.session.set_locale(locale)
            web.save(opened)
            if opened.stored is None:  # a start not stored yet keeps its language in its cookie
                keep(response, opened)
        response.set_cookie(web.cookie(LANG_COOKIE), locale, samesite="lax", secure=web.secure_cookies)
        return response

    @walk("/start", "POST")
    def start(request: Request, form: FormData) -> Response:
        check_csrf(request, _field(form, "csrf", ""))
        questionnaire = web.offered().get(_field(form, "questionnaire_id"))
        if questionnaire is None:
            raise HTTPException(status_code=404, detail="no such questionnaire")
        page = Page(web, request)
        opened = web.start(questionnaire, page.locale)  # stored at the first answer
        return keep(_where(opened.session), opened)

    @app.get("/c/{token}", include_in_schema=False)
    def continue_on_phone(request: Request, token: str, to: str = "") -> Response:
        """The one-time link of a kiosk's QR code: this advice on the phone; `?to=appointment` (the kiosk's
        "book on your phone") goes on to the booking page, any other value to the advice.

        Where `tokens.confirm_first` says so (this browser holds another advice, or the public API minted the link,
        which anyone can send) a page asks first and the link stays unused until its form is sent: a link must not
        take a browser into someone else's advice unnoticed (the sender would read what the shopper types)."""
        try:
            peeked = peek_token(web.db, token)
        except TokenError as error:
            return link_refused(request, error)
        opened = current(request)
        held = opened.stored if opened is not None else None
        answers = len(opened.session.state.answers) if opened is not None and held is not None else 0
        why = confirm_first(peeked, held_id=held.id if held else None, held_answers=answers)
        if why is None:
            return open_link(request, token, to)
        questionnaire = web.offered().get(peeked.session.questionnaire_id)
        if questionnaire is None:  # no longer offered: the advice could not be opened anyway
            return link_refused(request, TokenError("ended", "this advice is not offered here any more"))
        page = Page(web, request, opened)
        started = peeked.started_at.astimezone(web.config.store.zone)
        day = day_text(started.date(), page.locale)
        link = {"title": page.pick(questionnaire.title),
                "answers": page.counted("web.link.answers", len(peeked.session.answers)),
                "started": page.t("web.appointments.at", day=day, time=f"{started:%H:%M}")}  # fmt: skip
        mine = None
        if why == "replaces" and opened is not None:
            mine = {"title": page.pick(opened.session.questionnaire.title),
                    "answers": page.counted("web.link.answers", answers)}  # fmt: skip
        response = page.render(
            "phone_link.html", link=link, held=mine, sent=peeked.minted_by == "api",
            action=f"/c/{quote(token, safe='')}", to=to if to in PHONE_TARGETS else "",
        )  # fmt: skip
        response.headers["X-Robots-Tag"] = "noindex"  # a one-time link's page is nobody's search result
        return response

    @app.post("/c/{token}", include_in_schema=False)
    def open_on_phone(request: Request, token: str, csrf: str = Form(""), to: str = Form("")) -> Response:
        """The shopper's "Open" on the page a one-time link asked first with: the link is used up now."""
        check_csrf(request, csrf)
        return open_link(request, token, to)

    def open_link(request: Request, token: str, to: str) -> Response:
        try:
            stored = redeem_token(web.db, token)
        except TokenError as error:  # meanwhile used on another phone, or expired
            return link_refused(request, error)
        # A chat the shopper began at the kiosk goes on here: the phone opens on it (staff's next line shows there).
        chat_open = not to and requests.open_chat(web.db, stored.id) is not None
        return enter(stored, "/advice/chat" if chat_open else PHONE_TARGETS.get(to, ""))

    def link_refused(request: Request, error: TokenError) -> Response:
        page = Page(web, request)
        return page.render(
            "message.html", status=410 if error.reason != "unknown" else 404,
            title=page.t(f"web.token.{error.reason}"),
            message=page.t("web.token.hint_ended" if error.reason == "ended" else "web.token.hint"),
        )  # fmt: skip

    @app.get("/resume", response_class=HTMLResponse, include_in_schema=False)
    def resume_form(request: Request) -> Response:
        return Page(web, request).render("resume.html", error=None, typed="")

    @app.post("/resume", include_in_schema=False)
    def resume(request: Request, code: str = Form(""), csrf: str = Form("")) -> Response:
        check_csrf(request, csrf)
        page = Page(web, request)
        typed = code.strip()[:12]  # a wrong code stays in the field, to be corrected
        if not typed:  # nothing typed: said beside the field (no wrong code spent on it)
            return page.render("resume.html", status=400, error=page.t("web.code_empty"), typed="")
        try:
            stored = repairs.open_by_any_code(web.db, code, client=client_of(request))
        except TooManyAttempts as error:
            response = page.render(
                "resume.html", status=429, typed=typed,
                error=page.t("code.wait", wait=duration(error.seconds, page.locale)),
            )  # fmt: skip
            response.headers["Retry-After"] = str(error.seconds)
            return response
        except (InvalidCode, requests.HandoffError):
            return page.render("resume.html", status=404, error=page.t("code.unknown_any"), typed=typed)
        if isinstance(stored, repairs.Order):  # her repair's pickup code: its status, as the repair page shows it
            return order_shown_at("/repair/status", stored, REPAIR_COOKIE, "repair", REPAIR_SECONDS)
        return enter(stored)

    # -- the advice ---------------------------------------------------------------------------------------------

    @walk("/advice")
    def advice_page(request: Request, _form: FormData) -> Response:
        rated, number = _query_number(request, "rated", int), _query_number(request, "number", float)
        opened = require(request)
        advice = opened.session
        at = request.query_params.get("at")
        if at and advice.visit(at):  # the browser's Back or Forward to another question of the walk
            web.save(opened)
        if at and at != advice.position:  # an address the walk is not at (a question past the first unanswered
            return _redirect(_address(advice.position))  # one, or one the answers have left): where it is
        page = Page(web, request, opened)
        assert advice.index is not None
        noun = category_noun(advice.index, page.locale)
        service = advice.questionnaire.is_service
        if service and advice.step is None:
            return refused_order(request, opened)
        if service and not advice.product and not advice.state.answers and not skipped(request, opened):
            return find_page(request, opened)
        web.shelf(opened, results=advice.step is None)  # (read only when the counts or results depend on it)
        if advice.step is None:
            result = advice.recommendation()
            web.save(opened)  # reaching the results completes the run (and what was offered is kept)
            decision = advice.decision()
            index, locale = advice.index, page.locale
            bookable = booking.offered(web.config, advice.questionnaire.category)
            items = {item.sku: item for item in result.products}
            return page.render(
                "results.html", result=result, noun=noun, critique_keys={c.key for c in advice.critiques},
                no_match=say_no_match(result, index, locale, advice.address) if result.count == 0 else "",
                offers=[say_relaxation(relaxation, index, locale, advice.address, questionnaire=advice.questionnaire,
                                       answers=advice.state.answers) for relaxation in result.relaxations],
                count_line=say_results_count(result, index, locale, advice.address),
                dropped=say_dropped(advice.questionnaire, advice.state.answers, advice.given(), locale, advice.address),
                rated=bool(rated) or "advice" in advice.rated, scale=web.config.kiosk.feedback_scale,
                compared=advice.compared, bookable=bookable, booked=next_booked(page, opened) if bookable else "",
                compare_ready=can_compare(len(advice.compared)), compare_label=compare_action(len(advice.compared),
                                                                                              locale),
                sizes={item.sku: size_text(found, locale, advice.address) for item in result.products
                       if (found := advice.size_advice(item.sku)) is not None},
                shared=say_shared(decision, result, advice.questionnaire, advice.state.answers, index, locale,
                                  advice.address),
                standouts={item.sku: say_apart(decision, item, index, locale, advice.address)
                           for item in result.products[:1]},  # (the page says them of the top pick)
                groups=[(say_group(gain, cost, index, locale),
                         [(items[a.sku], say_versus_top(a, index, locale)) for a in alternatives])
                        for (gain, cost), alternatives in decision.groups()],
            )  # fmt: skip
        return question_page(page, opened, number=_within(advice.step, number))

    def question_page(page: Page, opened: Opened, *, number: float | None = None, error: str = "",
                      status: int = 200, changing: bool = False, typed: str = "") -> Response:  # fmt: skip
        """The step the advice stands at; with `error`, what was wrong with the answer just sent, beside it (and on
        a number question what was `typed` in its field, to correct rather than type again)."""
        advice = opened.session
        step = advice.step  # (looked up once: the page changes nothing of the advice)
        assert step is not None and advice.index is not None
        return page.render(
            "question.html", status=status, step=step, current=advice.state.answers.get(step.id),
            progress=advice.progress(), count=(count := advice.live_count()),
            noun=category_noun(advice.index, page.locale, count),
            first=advice.is_first_step(), unit=unit_text(step.unit, page.locale), number=number,
            owned=advice.owned() if advice.questionnaire.is_service else None, error=error, whole_steps=whole_steps,
            typed=typed[:MAX_TYPED_NUMBER] if error else "",
            nudge_words=lambda field: _nudge_words(step, str(field), page),
            dropped=advice.dropped_note(step.id, page.locale),
            changing=changing or page.request.query_params.get("change") == "1",
        )  # fmt: skip

    def page_error(request: Request, opened: Opened, step_id: str = "", *, changing: bool = False,
                   typed: str = "") -> Response:  # fmt: skip
        """An answer the question cannot take: the question again with a hint (still changing that answer, when it
        was), or (another step's answer) a message leading back to it."""
        page = Page(web, request, opened)
        step = opened.session.step
        if step is not None and step.id == step_id:
            return question_page(page, opened, error=answer_hint(step, page), status=400, changing=changing,
                                 typed=typed if step.kind == "number" else "")  # fmt: skip
        return page.render("message.html", status=400, title=page.t("web.error.answer"), message="", back="/advice")

    def answer_hint(step: Step, page: Page) -> str:
        if step.kind == "multiple":
            return page.t("web.error.choose" if not step.dont_care else "web.error.choose_or_skip")
        if step.kind == "number" and step.min is not None and step.max is not None:
            key = "web.error.whole_number" if whole_steps(step) else "web.error.number"
            unit = unit_text(step.unit, page.locale)
            return page.t(key, low=_whole(step.min), high=_whole(step.max), unit=f" {unit}" if unit else "")
        return page.t("web.error.answer")

    @walk("/advice/answer", "POST")
    def answer(request: Request, form: FormData) -> Response:
        check_csrf(request, _field(form, "csrf", ""))
        opened = require(request, writing=True)  # one statement: the answer's conditional write
        step_id = str(form.get("step", ""))
        values = [str(value) for value in form.getlist("value")]
        nudge = str(form.get("nudge", ""))
        if nudge in ("-1", "1"):  # − or + on a number question: show the next value, answer nothing yet
            now = read_now(opened).session
            changing = "&change=1" if form.get("change") == "1" else ""
            shown = f"{_address(now.position)}&number={_nudged(now.step, values, int(nudge))}{changing}"
            # at the button pressed (its id the fragment), not the page's top: a second press is a key away
            return _redirect(f"{shown}#{'more' if nudge == '1' else 'less'}")
        advice = opened.session
        try:
            value = answer_from_form(advice.questionnaire.step(step_id), values)
            if form.get("change") == "1":
                advice.change_answer(step_id, value)
            else:
                advice.answer(step_id, value)
        except (InvalidAnswer, SessionError, KeyError):
            return page_error(request, read_now(opened), step_id, changing=form.get("change") == "1",
                              typed=values[0].strip() if values else "")  # fmt: skip
        return save(opened, _where(advice))

    @app.post("/advice/back", include_in_schema=False)
    def back(request: Request, csrf: str = Form("")) -> Response:
        check_csrf(request, csrf)
        opened = require(request)
        if opened.session.is_first_step():
            return _redirect("/advice/help/find" if opened.session.questionnaire.is_service else "/")
        opened.session.back()
        web.save(opened)
        return _where(opened.session)

    @app.post("/advice/goto", include_in_schema=False)
    def go_to(request: Request, step: str = Form(...), csrf: str = Form("")) -> Response:
        check_csrf(request, csrf)
        opened = require(request)
        try:
            opened.session.go_to(step)
        except (InvalidAnswer, SessionError):
            raise HTTPException(status_code=400, detail="not on the path") from None
        web.save(opened)
        return _redirect(f"{_address(opened.session.position)}&change=1")  # its answer goes back to the results

    @app.get("/advice/answers", response_class=HTMLResponse, include_in_schema=False)
    def answers_page(request: Request) -> Response:
        opened = require(request)
        advice = opened.session
        page = Page(web, request, opened)
        rows = [
            (step_id, pick(advice.questionnaire.step(step_id).question, page.locale),
             advice.answer_text(step_id, page.locale))
            for step_id in path_of(advice.questionnaire, advice.state.answers)
            if step_id in advice.state.answers
        ]  # fmt: skip
        return page.render("answers.html", rows=rows)

    @walk("/advice/relax", "POST")
    def relax(request: Request, form: FormData) -> Response:
        check_csrf(request, _field(form, "csrf", ""))
        opened = require(request)
        with contextlib.suppress(SessionError):  # no longer offered (another device changed the answers)
            opened.session.relax([str(key) for key in form.getlist("drop")])
            web.save(opened)
        return _redirect("/advice")

    @app.post("/advice/critique", include_in_schema=False)
    def critique(request: Request, key: str = Form(""), csrf: str = Form("")) -> Response:
        check_csrf(request, csrf)
        opened = require(request)
        with contextlib.suppress(SessionError):  # no longer offered
            if key:
                opened.session.critique(key)
            else:
                opened.session.clear_critiques()
            web.save(opened)
        return _redirect("/advice")

    @app.post("/advice/compare", include_in_schema=False)
    def compare(
        request: Request, sku: str = Form(...), on: str = Form("1"), back: str = Form(""), csrf: str = Form("")
    ) -> Response:
        check_csrf(request, csrf)
        opened = require(request)
        with contextlib.suppress(SessionError):  # unknown product, or already three
            opened.session.compare(sku, on == "1")
            web.save(opened)
        if back == "product" and opened.session.index is not None and sku in opened.session.index.position:
            return _redirect(f"/advice/product/{quote(sku, safe='')}#compare")  # the product page, at its button
        if back == "compare":
            return _redirect("/advice/compare")
        # back at the product just chosen, not the page's top (its id quoted as Jinja's urlencode quotes it)
        return _redirect(f"/advice#p-{quote(sku, safe='/')}")

    @app.get("/advice/compare", response_class=HTMLResponse, include_in_schema=False)
    def compare_page(request: Request, all: int = 0) -> Response:  # noqa: A002 - the query parameter's name
        opened = require(request)
        advice = opened.session
        index = advice.index
        assert index is not None
        page = Page(web, request, opened)
        products = [index.products[index.position[sku]] for sku in advice.compared if sku in index.position]
        held = web.shelf(opened, shown=True)
        fitting = [advice.fitting_variants(product.sku) for product in products]  # as the kiosk: the long version's
        rows = compare_rows(index, products, page.locale, only_differences=not all, variants=fitting,
                            store_id=opened.store_id or web.config.store.id, held=held, address=page.address,
                            wished=wished_directions(advice.questionnaire, advice.state.answers),
                            store_named=_store_names(web, page.locale))  # fmt: skip
        prices = compare_prices(index, products, page.locale, variants=fitting)  # once, in each product's heading
        # (one product alone is nothing to compare: the page asks for another, as the kiosk's button does)
        misses = advice.compared_misses(page.locale)  # (ticked before the answers changed)
        return page.render("compare.html", products=products, prices=prices, rows=rows, show_all=bool(all),
                           misses=misses, compare_ready=can_compare(len(products)),
                           compare_label=compare_action(len(products), page.locale))  # fmt: skip

    @walk("/advice/restart", "POST")
    def restart(request: Request, form: FormData) -> Response:
        check_csrf(request, _field(form, "csrf", ""))
        opened = current(request)
        if opened is not None:  # the old session ends for every device: its cookie, a link or code open nothing
            found = open_request(opened)
            if found is not None and found[1] in requests.OPEN_STATES:  # nobody waits for a shopper who left
                with contextlib.suppress(requests.HandoffError):
                    web.write(requests.transition, found[0], requests.Action.CANCEL, in_transaction=record_cancel)
            web.end(opened)
        response = _redirect("/")
        response.delete_cookie(web.cookie(SESSION_COOKIE), secure=web.secure_cookies, httponly=True)
        return response

    @walk("/advice/product/{sku}")
    def product(request: Request, _form: FormData) -> Response:
        sku = request.path_params["sku"]
        opened = require(request)
        advice = opened.session
        index = advice.index
        assert index is not None
        if sku not in index.position:
            raise HTTPException(status_code=404, detail="no such product")
        page = Page(web, request, opened)
        advice.view(sku)
        web.save(opened)
        item = index.products[index.position[sku]]
        held = web.shelf(opened, shown=True)  # set aside for appointments: not on the shelf (for this shopper: theirs)
        facts = product_facts(index, item, page.locale, opened.store_id or web.config.store.id,
                              advice.fitting_variants(sku), held, page.address,
                              store_named=_store_names(web, page.locale))  # fmt: skip
        compared = None if advice.questionnaire.is_service else advice.compared  # no comparison in help with a product
        # Opened from the comparison (?from=compare) while it still holds products: Back returns there, as at the kiosk
        back = (
            "/advice/compare"
            if request.query_params.get("from") == "compare" and compared and (can_compare(len(compared)))
            else "/advice"
        )
        return page.render("product.html", facts=facts, fit=advice.fit(sku), compared=compared, back=back)

    @app.get("/images/{name}", include_in_schema=False)
    def image(name: str) -> Response:
        path = image_file(f"images/{name}")
        if path is None:
            raise HTTPException(status_code=404, detail="no such image")
        return FileResponse(path, headers={"Cache-Control": "public, max-age=86400"})

    # -- help with my product (service flows) -------------------------------------------------------------------

    def skip_key(opened: Opened) -> str:
        """What the skip cookie names: the run (the same before and after the session is stored), else the stored
        session."""
        return opened.session.run or (opened.stored.id if opened.stored is not None else "")

    def skipped(request: Request, opened: Opened) -> bool:
        """Whether the shopper went on without naming the product, in this very run (a signed cookie: before the
        first answer nothing is stored, and after it the answers say that the product page was passed)."""
        key = skip_key(opened)
        return bool(key) and web.signer.unsign(request.cookies.get(web.cookie(SKIP_COOKIE)), "skip") == key

    def service_run(request: Request) -> Opened:
        opened = require(request)
        if not opened.session.questionnaire.is_service:
            raise HTTPException(status_code=404, detail="this advice recommends products; it names none of yours")
        return opened

    def find_page(
        request: Request, opened: Opened, *, query: str = "", found: Sequence[Found] = (), message: str | None = None,
        from_code: str | None = None, code_error: str | None = None, status: int = 200,
    ) -> Response:  # fmt: skip
        """Which product does the shopper have: a field for a scanner or words, what it found, a past advice's
        products, the category's pictures."""
        page = Page(web, request, opened)
        index = opened.session.index
        assert index is not None
        return page.render(
            "help_find.html", status=status, query=query, found=found, message=message, from_code=from_code,
            code_error=code_error, owned=opened.session.owned(), pictures=index.products[:PICTURES],
            noun=category_noun(index, page.locale),
        )  # fmt: skip

    def chosen(opened: Opened, sku: str) -> Response:
        """The shopper's product is named: on to the questions (or back to the outcomes when they were shown)."""
        opened.session.set_product(sku)  # SessionError for a product of another category
        response = _redirect("/advice")
        if opened.stored is None:  # the run's first input: kept from now on, as an answer would be
            return keep(response, web.store_now(opened))
        return save(opened, response)

    @app.get("/advice/help/find", response_class=HTMLResponse, include_in_schema=False)
    def help_find(request: Request, q: str = "") -> Response:
        opened = service_run(request)
        query = q.strip()[:MAX_QUERY]
        if not query:
            return find_page(request, opened)
        index = opened.session.index
        assert index is not None
        found = find(index, query)
        message = None
        if not found:
            page = Page(web, request, opened)
            key = "help.find.code_unknown" if gtin_key(query) is not None else "help.find.none"
            message = page.t(key, code=query, query=query, category=category_noun(index, page.locale))
        return find_page(request, opened, query=query, found=found, message=message)

    @app.post("/advice/help/find", include_in_schema=False)
    def help_search(request: Request, q: str = Form(""), csrf: str = Form("")) -> Response:
        """What the field sent: a barcode (a scanner types it and Enter) or a sku names the product at once;
        words show what they find."""
        check_csrf(request, csrf)
        opened = service_run(request)
        query = q.strip()[:MAX_QUERY]
        index = opened.session.index
        assert index is not None
        hit = by_code(index, query) if query else None
        if hit is not None:
            response = chosen(opened, hit.sku)
            if hit.variant is not None:  # the very article (size, colour) goes with a repair order
                response.set_cookie(
                    web.cookie(ARTICLE_COOKIE), web.signer.sign(f"{hit.sku}|{hit.variant.sku}", "article"),
                    httponly=True, samesite="lax", secure=web.secure_cookies,
                    max_age=web.config.privacy.web_session_idle_hours * 3600,
                )  # fmt: skip
            return response
        return _redirect(f"/advice/help/find?q={quote(query)}" if query else "/advice/help/find")

    @app.post("/advice/help/product", include_in_schema=False)
    def help_product(request: Request, sku: str = Form(...), csrf: str = Form("")) -> Response:
        check_csrf(request, csrf)
        return chosen(service_run(request), sku)

    @app.post("/advice/help/skip", include_in_schema=False)
    def help_skip(request: Request, csrf: str = Form("")) -> Response:
        """On without naming the product (a product named before is forgotten)."""
        check_csrf(request, csrf)
        opened = service_run(request)
        response: Response = _redirect("/advice")
        if opened.session.product:
            opened.session.set_product("")
            response = save(opened, response)
        response.set_cookie(
            web.cookie(SKIP_COOKIE), web.signer.sign(skip_key(opened), "skip"), httponly=True, samesite="lax",
            secure=web.secure_cookies, max_age=web.config.privacy.web_session_idle_hours * 3600,
        )  # fmt: skip
        return response

    @app.post("/advice/help/from-code", include_in_schema=False)
    def help_from_code(request: Request, code: str = Form(""), csrf: str = Form("")) -> Response:
        """The products of an earlier advice, by its resume code (wrong codes limited as on /resume)."""
        check_csrf(request, csrf)
        opened = service_run(request)
        page = Page(web, request, opened)
        try:
            stored = sessions.open_by_code(web.db, code, client=client_of(request))
        except TooManyAttempts as error:
            wait = page.t("code.wait", wait=duration(error.seconds, page.locale))
            response = find_page(request, opened, code_error=wait, status=429)
            response.headers["Retry-After"] = str(error.seconds)
            return response
        except (InvalidCode, requests.HandoffError):
            return find_page(request, opened, code_error=page.t("code.unknown"), status=404)
        record = store.read(web.db, stored.id)
        index = opened.session.index
        assert index is not None
        found = of_advice(index, record, web.offered()) if record is not None else []
        said = shown(stored.resume_code)
        if not found:
            none = page.t("web.help.code_none", code=said, category=category_noun(index, page.locale))
            return find_page(request, opened, code_error=none)
        return find_page(request, opened, found=found, from_code=said)

    def outcomes_page(
        request: Request, opened: Opened, *, status: int = 200, error: tuple[str, dict[str, str]] | None = None,
        typed: Mapping[str, Any] | None = None,  # what the form held: texts, and the guides ticked as tried
    ) -> Response:  # fmt: skip
        """A service run's end: what the shopper can do, as cards (never a recommendation)."""
        advice = opened.session
        page = Page(web, request, opened)
        views = outcomes_of(opened, page.locale)
        web.save(opened)  # reaching the outcomes completes the run (and they are logged once)
        bookable = booking.offered(web.config, advice.questionnaire.category)
        # a repair ordered before (Back, or a return later): said with its pickup code, not offered as if new
        ordered = repairs_ordered(web.db, advice, [view.id for view in views if view.kind == REPAIR])
        return page.render(
            "help_outcomes.html", status=status, views=views, owned=advice.owned(), error=error, typed=typed or {},
            ordered={outcome: shown(code) for outcome, code in ordered.items()},
            guide_image=guide_image_url, bookable=bookable, booked=next_booked(page, opened) if bookable else "",
            max_name=repairs.MAX_NAME, max_phone=repairs.MAX_PHONE, mail=web.mails,
        )  # fmt: skip

    def refused_order(request: Request, opened: Opened) -> Response:
        """The outcomes; after a refused repair order once more with the order's form as it was sent and the error
        (the refusal's cookie is read once: a reload shows the page as it is)."""
        name = web.cookie(TYPED_COOKIE)
        kept = web.signer.unsign(request.cookies.get(name), "typed", longest=TYPED_LONGEST)
        if kept is None:
            return outcomes_page(request, opened)
        refusal = json.loads(base64.urlsafe_b64decode(kept))
        if refusal["run"] != skip_key(opened):  # another advice's form
            return outcomes_page(request, opened)
        outcome, said = refusal["error"]
        response = outcomes_page(request, opened, status=400, typed=refusal["typed"], error=(outcome, said))
        response.delete_cookie(name, secure=web.secure_cookies, httponly=True)
        return response

    def outcomes_of(opened: Opened, locale: str) -> tuple[OutcomeView, ...]:
        advice = opened.session
        return outcome_views(advice.outcomes(), catalog=advice.catalog, store_id=opened.store_id or web.config.store.id,
                             locale=locale, address=advice.address,
                             store_named=_store_names(web, locale))  # fmt: skip

    @app.post("/advice/help/order", response_class=HTMLResponse, include_in_schema=False)
    def help_order(
        request: Request, outcome: str = Form(""), consent: str = Form(""), name: str = Form(""),
        email: str = Form(""), phone: str = Form(""), csrf: str = Form(""),
        tried: Annotated[list[str] | None, Form()] = None,
    ) -> Response:  # fmt: skip
        """Order a repair the outcomes offer: the product, the answers and the guides the shopper ticked as already
        tried go to the workshop. Each order draws on the client's budget of repair orders (the workshop's list is
        not for one connection to fill); over it, the form comes back as it was sent with why (429)."""
        check_csrf(request, csrf)
        opened = service_run(request)
        advice = opened.session
        page = Page(web, request, opened)
        ticked = set(tried or ())
        typed = {"outcome": outcome, "name": name[:repairs.MAX_NAME], "email": email[:MAX_ADDRESS],
                 "phone": phone[:repairs.MAX_PHONE], "consent": consent, "tried": sorted(ticked)}  # fmt: skip

        def refused(field: str, message: str, *more: tuple[str, str]) -> Response:
            """Back to the form (post, redirect: a reload sends nothing), scrolled to the first field refused, with
            what was typed and each error beside the field it is about."""
            said = dict([(field, message), *more])
            kept = json.dumps({"run": skip_key(opened), "typed": typed, "error": [outcome, said]},
                              ensure_ascii=False)  # fmt: skip
            anchor = f"-{field}" if field in ("email", "phone", "consent") else ""
            response = _redirect(f"/advice#order-{quote(outcome, safe='')}{anchor}")
            response.set_cookie(
                web.cookie(TYPED_COOKIE), web.signer.sign(base64.urlsafe_b64encode(kept.encode()).decode(), "typed"),
                httponly=True, samesite="lax", secure=web.secure_cookies, max_age=TYPED_SECONDS,
            )  # fmt: skip
            return response

        if advice.step is not None:
            return _redirect("/advice")
        views = outcomes_of(opened, page.locale)
        if not any(view.id == outcome and view.kind == REPAIR for view in views):
            raise HTTPException(status_code=404, detail="no such repair")
        if not advice.product:
            return refused("product", page.t("help.order.no_product"))
        agreed = consent == "yes"
        # A contact typed is kept only with consent: without it the shopper is asked, so nobody waits for news that
        # never comes. An order with no contact typed needs none.
        if not agreed and any(value.strip() for value in (name, email, phone)):
            return refused("consent", page.t("help.order.consent_needed"))
        orders = limits.key("repairs", budget_client_of(request, web.config.web.store_networks))
        moment = datetime.now(UTC)
        again = outcome in repairs_ordered(web.db, advice, [outcome])  # sent twice: the order made before, no new one
        wait = None if again else limits.spend(web.db, orders, limits.REPAIR_ORDERS_PER_CLIENT, now=moment)
        if wait is not None:  # the form as it was sent, the reason in its card (a page, not a redirect: 429)
            said = {"form": page.t("help.order.limit", wait=duration(wait, page.locale))}
            response = outcomes_page(request, opened, status=429, typed=typed, error=(outcome, said))
            response.headers["Retry-After"] = str(wait)
            return response
        ordered = again  # (nothing counted to give back)
        try:
            article = (web.signer.unsign(request.cookies.get(web.cookie(ARTICLE_COOKIE)), "article") or "").split("|")
            variant = article[1] if len(article) == 2 and article[0] == advice.product else None
            order = order_repair(
                web.db, advice, outcome, store_id=opened.store_id or web.config.store.id, consent=agreed,
                variant_sku=variant,
                name=name.strip() or None, email=email.strip() or None, phone=phone.strip() or None,
                tried=[view.id for view in views if view.kind == GUIDE and view.id in ticked],
                workshop_locale=web.config.store.default_locale,  # staff read the problem in the store's language
            )  # fmt: skip
            ordered = True
        except repairs.ContactProblem as problem:
            first, *more = ((field, page.t(key)) for field, key in problem.problems)
            return refused(*first, *more)
        except repairs.RepairError as error:
            return refused("form", page.t("help.order.failed", reason=str(error)))
        finally:
            if not ordered:  # refused or failed: no order made, nothing counted
                limits.refund(web.db, orders, limits.REPAIR_ORDERS_PER_CLIENT, now=moment)
        web.save(opened)
        # Post, then redirect: reloading the confirmation shows it again and never orders twice.
        return order_shown_at("/advice/help/ordered", order, ORDER_COOKIE, "order",
                              web.config.privacy.web_session_idle_hours * 3600)  # fmt: skip

    def order_shown_at(path: str, order: repairs.Order, cookie: str, purpose: str, seconds: int) -> Response:
        """Post, then redirect to `path`, which shows `order` again on a reload (its id signed in `cookie`)."""
        response = _redirect(path)
        response.set_cookie(
            web.cookie(cookie), web.signer.sign(str(order.id), purpose), httponly=True, samesite="lax",
            secure=web.secure_cookies, max_age=seconds,
        )  # fmt: skip
        return response

    def order_kept(request: Request, cookie: str, purpose: str) -> repairs.Order | None:
        """The order `order_shown_at` keeps in `cookie` (None: none, or its signature does not match)."""
        order_id = web.signer.unsign(request.cookies.get(web.cookie(cookie)), purpose)
        return repairs.order_of(web.db, int(order_id)) if order_id and order_id.isdigit() else None

    @app.get("/advice/help/ordered", response_class=HTMLResponse, include_in_schema=False)
    def help_ordered(request: Request) -> Response:
        """The repair just ordered: its pickup code big, and how to follow it."""
        order = order_kept(request, ORDER_COOKIE, "order")
        if order is None:
            return _redirect("/advice")
        page = Page(web, request, current(request))
        owned = product_anywhere(web.index_cache.get(), order.product_sku)
        return page.render("help_order_done.html", order=order, pickup=shown(order.pickup_code),
                           product=pick(owned.name, page.locale) if owned else "", mail=web.mails)  # fmt: skip

    def guide_image_url(path: Path | None) -> str | None:
        """A guide step's picture as the page links it (None when it is not in the guides' picture folder)."""
        if path is None:
            return None
        folder = guides_path().parent / GUIDE_IMAGES
        return f"/guide-images/{quote(path.name)}" if path.parent == folder else None

    @app.get("/guide-images/{name}", include_in_schema=False)
    def guide_image(name: str) -> Response:
        """A guide step's picture: only an SVG in the guides' picture folder (nothing above or beside it)."""
        folder = (guides_path().parent / GUIDE_IMAGES).resolve()
        path = (folder / name).resolve()
        if path.parent != folder or path.suffix != ".svg" or not path.is_file():
            raise HTTPException(status_code=404, detail="no such picture")
        return FileResponse(path, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"})

    # -- summary ------------------------------------------------------------------------------------------------

    def summary_of(opened: Opened) -> Any:
        advice = opened.session
        assert advice.index is not None
        store_id = opened.record.store_id or web.config.store.id
        held = web.shelf(opened, shown=True)  # (before the recommendation: what is set aside is not on the shelf)
        return build_summary(
            questionnaire=advice.questionnaire, state=advice.state, recommendation=advice.recommendation(),
            index=advice.index, locale=advice.locale, created=datetime.now(web.config.store.zone),
            store_id=store_id, store_name=store_name(web.db, store_id, advice.locale, web.config.store.name),
            resume_code=opened.record.resume_code,
            continue_url=web.url("/resume") if web.config.web.reachable_from_phones else None,
            fitting=advice.fitting_variants, held=held, given=advice.given(),
            appointment=next(iter(upcoming(opened, advice.locale, states=("booked",))), None),
        )  # fmt: skip

    @app.get("/advice/summary", response_class=HTMLResponse, include_in_schema=False)
    def summary(request: Request, sent: int = 0) -> Response:
        opened = require(request)
        if opened.session.questionnaire.is_service:
            return _redirect("/advice")  # a service run has outcomes, not a shortlist to sum up
        page = Page(web, request, opened)
        return page.render("summary.html", s=summary_of(opened), sent=bool(sent), error=None,
                           mail=web.mails)  # fmt: skip

    @app.post("/advice/summary/email", include_in_schema=False)
    def email(request: Request, address: str = Form(""), csrf: str = Form("")) -> Response:  # "": the form's error
        check_csrf(request, csrf)
        opened = require(request)
        if opened.session.questionnaire.is_service:
            return _redirect("/advice")
        page = Page(web, request, opened)

        def refused(status: int, error: str, wrong: str = "") -> HTMLResponse:
            """The summary once more, its form with the address as typed and the error beside it (its field has the
            focus: the page opens there, not at the top); `wrong` the field the error is about. Without e-mail set up
            (a page from before), the error alone: no form to send again."""
            return page.render("summary.html", status=status, s=summary_of(opened), sent=False, mail=web.mails,
                               error=error, typed=address[:MAX_ADDRESS], wrong=wrong)  # fmt: skip

        if not web.config.smtp.enabled and web.mail_dry_run is None:
            return refused(503, page.t("web.mail.off"))
        try:
            to = check_address(address)  # exactly one address: nothing else reaches the queue
        except MailError:
            return refused(400, page.t("web.mail.invalid"), wrong="address")
        client = budget_client_of(request, web.config.web.store_networks)
        wait = outbox.spend_allowance(web.db, session_id=opened.record.id, client=client)
        if wait is not None:
            response = refused(429, page.t("web.mail.wait", wait=duration(wait, page.locale)))
            response.headers["Retry-After"] = str(wait)
            return response
        message = summary_message(summary_of(opened), to=to, sender=web.config.smtp.sender or "advice@localhost")
        outbox.enqueue(web.db, message=wire_bytes(message), address=to, session_id=opened.record.id, locale=page.locale)
        return _redirect("/advice/summary?sent=1#mail-sent")  # the notice (focused), not the top of a long page

    # -- booked appointments --------------------------------------------------------------------------------------

    def booking_page(
        request: Request, opened: Opened, *, day: date | None, status: int = 200, error: str | None = None,
        next_slots: tuple[Slot, ...] = (), typed: Mapping[str, Any] | None = None, wrong: str = "time",
    ) -> Response:  # fmt: skip
        """The days, free times and the form for `day` (None: not chosen, the first day with a free time, and why
        it is not today when it is not); with `error`, what was wrong beside the field `wrong` (time, name,
        contact, products, consent; "limit": no more bookings from this client for now, with when the store's team
        is there), and what the refused form held (`typed`) filled in again."""
        page = Page(web, request, opened)
        advice = opened.session
        category = advice.questionnaire.category
        if not booking.offered(web.config, category):
            return page.render("message.html", status=404, title=page.t("web.appointment.none"), message="",
                               back="/advice")  # fmt: skip
        zone = web.config.store.zone
        today = datetime.now(zone).date()
        days, shown = booking.days_to_show(web.config, today, day)
        later = ""
        if day is not None and today <= day != shown and web.config.store.hours_on(day) is None:
            # a closed day asked for: said so, with the first free times after it (not silently today's)
            shown = booking.first_day_after(web.db, config=web.config, category_id=category, day=day, days=days)
            later = page.t("booking.closed_day", day=day_text(day, page.locale))
        elif day is None:
            shown = booking.first_day_with_times(web.db, config=web.config, category_id=category, days=days)
            if words := booking.first_day_words(today, days[0], shown):
                later = page.t(words, day=day_text(shown, page.locale))
        day = shown
        slots = booking.slots_on(web.db, config=web.config, category_id=category, day=day)
        none_free = not slots and booking.nothing_free(web.db, config=web.config, category_id=category)
        if none_free:  # said once, not "no time is free on this day" on each day tried
            later = page.t("booking.none_free", days=web.config.appointments.horizon_days)
        service = advice.questionnaire.is_service
        # every answer given: the shortlist, whichever page the shopper looked at last (Back to a question keeps it)
        answered = first_unanswered(advice.questionnaire, advice.state.answers) is None
        shortlist = advice.recommendation().products if answered and not service else ()
        return page.render(
            "appointment.html", status=status, day=day, days=days, slots=slots, error=error, next_slots=next_slots,
            parts=by_part_of_day(slots), remind=booking.reminds_on(web.config, day), shortlist=shortlist,
            max_products=booking.MAX_HOLDS, booked=next_booked(page, opened), typed=typed or {},
            wrong=wrong if error else "", later=later, none_free=none_free, max_name=booking.MAX_NAME,
            max_contact=MAX_ADDRESS,
            hours=staff_hours(page) if wrong == "limit" else "",
        )  # fmt: skip

    @app.get("/advice/appointment", response_class=HTMLResponse, include_in_schema=False)
    def appointment_form(request: Request, day: date | None = None) -> Response:
        return booking_page(request, require(request), day=day)

    @app.post("/advice/appointment", include_in_schema=False)
    def book_appointment(
        request: Request, csrf: str = Form(""), starts_at: str = Form(""), name: str = Form(""),
        contact: str = Form(""), consent: str = Form(""), remind: str = Form(""),
        products: Annotated[list[str] | None, Form()] = None,
    ) -> Response:  # fmt: skip
        """Book the time chosen; an advice that has booked one already moves it there (or, at the same time, keeps it
        with the name and contact sent now). A new appointment draws on the client's budget of bookings, and a
        confirmation mail on the advice's and the client's budget of mails (over it, the booking holds and the page
        says no mail went out)."""
        check_csrf(request, csrf)
        opened = require(request)
        page = Page(web, request, opened)
        zone = web.config.store.zone
        typed = {"starts_at": starts_at, "name": name, "contact": contact, "consent": consent, "remind": remind,
                 "products": set(products or ())}  # fmt: skip
        start = _aware_time(starts_at)
        if start is None:
            today = datetime.now(zone).date()
            return booking_page(request, opened, day=today, status=400, error=page.t("web.appointment.no_time"),
                                typed=typed)  # fmt: skip
        day = start.astimezone(zone).date()
        if consent != "yes":
            return booking_page(request, opened, day=day, status=400, error=page.t("web.appointment.consent_needed"),
                                typed=typed, wrong="consent")  # fmt: skip
        category = opened.session.questionnaire.category
        client = budget_client_of(request, web.config.web.store_networks)
        bookings = limits.key("bookings", client)
        spent: datetime | None = None  # when a new appointment was counted against the client's budget
        stored = opened.stored
        if stored is None or booking.booked_for(web.db, session_id=stored.id, category_id=category) is None:
            spent = datetime.now(UTC)  # (before the consent stores the session: a refusal stores nothing)
            wait = limits.spend(web.db, bookings, limits.BOOKINGS_PER_CLIENT, now=spent)
            if wait is not None:
                said = page.t("web.appointment.limit", wait=duration(wait, page.locale))
                response = booking_page(request, opened, day=day, status=429, error=said, typed=typed, wrong="limit")
                response.headers["Retry-After"] = str(wait)
                return response
        made = False  # whether the booking made a new appointment (else the count is given back)
        try:
            opened = web.give_consent(opened)
            done = booking.book(
                web.db, config=web.config, category_id=category, starts_at=start, name=name, contact=contact,
                locale=page.locale, channel="web", session_id=opened.record.id, products=products or [],
                remind=remind == "yes",
            )  # fmt: skip
            made = done.new
        except booking.SlotTaken as taken:
            return booking_page(
                request, opened, day=_taken_day(taken, start, zone), status=_taken_status(taken), error=str(taken),
                next_slots=taken.next_slots, typed=typed | {"starts_at": ""},  # that time is gone: another one
            )  # fmt: skip
        except booking.BookingError as error:
            return booking_page(request, opened, day=day, status=400, error=str(error), typed=typed,
                                wrong=_wrong_field(error.reason, name))  # fmt: skip
        finally:
            if spent is not None and not made:  # moved, sent again, refused or failed: no new appointment
                limits.refund(web.db, bookings, limits.BOOKINGS_PER_CLIENT, now=spent)
        if done.repeated:  # the form sent twice: the booking made before, its confirmation already on its way
            mailed = "1" if web.mails and is_address(contact) else "0"
        elif web.mails and is_address(contact):  # booked, confirmed anew to a corrected address, or moved here
            mailed = mail_confirmation(done, opened.record.id, page.locale, contact, client=client)
        else:
            mailed = "0"
        return booked_shown(opened, done, mailed, moved=done.moved_from is not None)

    def booked_shown(opened: Opened, done: booking.Booking, mailed: str, *, moved: bool) -> Response:
        """Post, then redirect to the booking's confirmation: reloading it shows it again (with its one-time links)
        and never books twice. The links are stored only hashed, so the browser keeps them, signed, for this
        confirmation."""
        kept = "|".join((done.appointment_id, str(done.revision), done.links["reschedule"], done.links["cancel"],
                         mailed, ",".join(done.not_held), "1" if moved else "0"))  # fmt: skip
        response = keep(_redirect("/advice/appointment/booked"), opened)
        response.set_cookie(
            web.cookie(BOOKED_COOKIE), web.signer.sign(kept, "booked"), httponly=True, samesite="lax",
            secure=web.secure_cookies, max_age=web.config.privacy.web_session_idle_hours * 3600,
        )  # fmt: skip
        return response

    @app.get("/advice/appointment/booked", response_class=HTMLResponse, include_in_schema=False)
    def appointment_booked(request: Request) -> Response:
        """The appointment just booked: when, with whom, what is set aside, the calendar file and the one-time
        links (as long as it is booked as it was: after a move or a cancellation its links no longer work)."""
        opened = require(request)
        kept = web.signer.unsign(request.cookies.get(web.cookie(BOOKED_COOKIE)), "booked", longest=BOOKED_LONGEST)
        parts = kept.split("|") if kept else []
        if len(parts) != 7 or opened.stored is None:
            return _redirect("/advice/appointments")
        appointment_id, revision, reschedule, cancel, mailed, not_held, moved = parts
        found = booking.details(web.db, appointment_id=appointment_id)
        page = Page(web, request, opened)
        entry = agenda.entry(web.db, appointment_id=appointment_id, zone=web.config.store.zone, locale=page.locale)
        if (found is None or entry is None or found.session_id != opened.stored.id or found.state != "booked"
                or str(found.revision) != revision):  # fmt: skip
            return _redirect("/advice/appointments")
        index = opened.session.index
        assert index is not None
        return page.render(
            "appointment_done.html", booked=entry, held=", ".join(held.name for held in entry.held),
            not_held=product_names(index, [sku for sku in not_held.split(",") if sku], page.locale),
            cancel_url=f"/appointment/cancel/{cancel}",  # on the site: its own address (the mail's are absolute)
            reschedule_url=f"/appointment/reschedule/{reschedule}", mailed=mailed == "1", moved=moved == "1",
            mail_limit=mailed == "limit",
        )  # fmt: skip

    def mail_confirmation(done: booking.Booking, session_id: str, locale: str, contact: str, *, client: str) -> str:
        """Queue a booking's confirmation to the address its form named, on the advice's and the client's budget of
        mails (the summary's): "1" queued, "limit" not, as the budget is spent (the booking holds all the same: its
        page shows the time, the calendar file and the links), "0" not, as the appointment is gone."""
        moment = datetime.now(UTC)
        if outbox.spend_allowance(web.db, session_id=session_id, client=client, now=moment) is not None:
            return "limit"
        if confirm_by_mail(done, session_id, locale, contact, moved_from=done.moved_from):
            return "1"
        outbox.refund_allowance(web.db, session_id=session_id, client=client, now=moment)
        return "0"

    def confirm_by_mail(done: booking.Booking, session_id: str | None, locale: str, contact: str, *,
                        moved_from: datetime | None = None, cancelled: bool = False) -> bool:  # fmt: skip
        """Queue the confirmation with the `.ics` when e-mail is set up (or written to the dry-run folder) and the
        contact is an e-mail address (the same confirmation as the kiosk's and the console's); of a move, it names
        the time before (`moved_from`)."""
        return confirmation.confirm_by_mail(
            web.db, web.config, done, session_id=session_id, locale=locale, contact=contact,
            questionnaires=web.offered(), categories=web.index_cache.get().categories,
            mail_set_up=web.mails, moved_from=moved_from,
            cancelled=cancelled,
        )  # fmt: skip

    def cancellation_by_mail(appointment_id: str) -> None:
        """Queue the cancellation with the cancelled `.ics`, in the shopper's booking language (as staff's)."""
        confirmation.cancellation_by_mail(
            web.db, web.config, appointment_id, questionnaires=web.offered(),
            categories=web.index_cache.get().categories,
            mail_set_up=web.mails,
        )  # fmt: skip

    @app.get("/advice/appointment/{appointment_id}.ics", include_in_schema=False)
    def appointment_ics(request: Request, appointment_id: str) -> Response:
        opened = require(request)
        found = booking.details(web.db, appointment_id=appointment_id)
        if found is None or opened.stored is None or found.session_id != opened.stored.id:
            raise HTTPException(status_code=404)
        page = Page(web, request, opened)
        assert opened.session.index is not None
        listed = agenda.entry(web.db, appointment_id=appointment_id, zone=web.config.store.zone, locale=page.locale)
        held = tuple(product.name for product in listed.held) if listed is not None else ()  # names, as the mail's
        body = ics(
            appointment_id=found.appointment_id,
            store_name=store_name(web.db, web.config.store.id, page.locale, web.config.store.name),
            category=category_noun(opened.session.index, page.locale), staff_name=found.staff_name,
            starts_at=found.starts_at, ends_at=found.ends_at, timezone=web.config.store.timezone,
            resume_code=shown(opened.record.resume_code), held=held, locale=page.locale, address=page.address,
            revision=found.revision, cancelled=found.state == "cancelled",
        )  # fmt: skip
        return Response(body, media_type="text/calendar", headers={
            "Content-Disposition": 'attachment; filename="appointment.ics"', "Cache-Control": "no-store"})  # fmt: skip

    # -- the appointments of the advice (the shopper's phone, from the kiosk's QR code or the results) -----------

    def upcoming(opened: Opened, locale: str, states: tuple[str, ...] = ("booked", "checked_in")) -> list[agenda.Entry]:
        """The advice session's appointments in `states` (booked, or checked in today) that have not ended, in time
        order (none before the advice is stored)."""
        if opened.stored is None:
            return []
        return agenda.upcoming(web.db, session_id=opened.stored.id, zone=web.config.store.zone, locale=locale,
                               states=states)  # fmt: skip

    def next_booked(page: Page, opened: Opened) -> str:
        """When the advice's next appointment starts ("Freitag, 04.12., 09:30 Uhr"), or "" when none is booked."""
        booked = upcoming(opened, page.locale)
        if not booked:
            return ""
        first = booked[0].starts_at
        return page.t("web.appointments.at", day=day_text(first, page.locale), time=f"{first:%H:%M}")

    def when_text(page: Page, entry: agenda.Entry) -> str:
        """The appointment's day, time and consultant ("Freitag, 04.12.2026, 09:30 Uhr mit Anna")."""
        day = day_text(entry.starts_at, page.locale, year=True)
        return page.t("web.appointment.when", day=day, time=f"{entry.starts_at:%H:%M}", staff=entry.staff_name)

    def own_appointment(request: Request, opened: Opened, appointment_id: str) -> agenda.Entry | Response:
        """This advice's booked appointment with this id, or the page that says it is not (or no longer) booked."""
        found = agenda.entry(web.db, appointment_id=appointment_id, zone=web.config.store.zone,
                             locale=opened.session.locale)  # fmt: skip
        if found is None or opened.stored is None or found.session_id != opened.stored.id or found.state != "booked":
            page = Page(web, request, opened)
            return page.render("message.html", status=404, title=page.t("appointment.error.not_booked"), message="",
                               back="/advice/appointments")  # fmt: skip
        return found

    @app.get("/advice/appointments", response_class=HTMLResponse, include_in_schema=False)
    def appointments_page(request: Request, moved: str = "", cancelled: str = "") -> Response:
        """The appointments booked for this advice: when, with whom, what is set aside; the calendar entry, and
        moving or cancelling without the e-mail's links (the session is the shopper's); one checked in too late for its
        consultant says the team comes (as the kiosk), one missed says so and offers a new booking."""
        from advisor.session.arrival import came_late

        opened = require(request)
        page = Page(web, request, opened)
        booked = upcoming(opened, page.locale)
        missed = None  # the last one marked as not turned up, when none is booked since: said, with a new booking
        if not booked and opened.stored is not None:
            missed = agenda.missed(web.db, session_id=opened.stored.id, zone=web.config.store.zone, locale=page.locale)
        return page.render(
            "appointments.html", booked=[(entry, when_text(page, entry)) for entry in booked],
            missed=page.t("web.appointments.at", day=day_text(missed.starts_at, page.locale),
                          time=f"{missed.starts_at:%H:%M}") if missed is not None else "",
            late=[entry.appointment_id for entry in booked if came_late(web.db, entry)],
            bookable=booking.offered(web.config, opened.session.questionnaire.category),
            moved=moved in ("1", "mailed"), mailed=moved == "mailed", cancelled=cancelled == "1",
        )  # fmt: skip

    def move_page(
        request: Request, opened: Opened, entry: agenda.Entry, *, day: date | None = None, status: int = 200,
        error: str | None = None, next_slots: tuple[Slot, ...] = (),
    ) -> Response:  # fmt: skip
        return times_page(
            Page(web, request, opened), action=f"/advice/appointment/{entry.appointment_id}/move",
            back="/advice/appointments", category_id=entry.category_id, appointment_id=entry.appointment_id,
            current=entry.starts_at, staff_name=entry.staff_name, day=day, status=status, error=error,
            next_slots=next_slots,
        )  # fmt: skip

    @app.get("/advice/appointment/{appointment_id}/move", response_class=HTMLResponse, include_in_schema=False)
    def move_form(request: Request, appointment_id: str, day: date | None = None) -> Response:
        opened = require(request)
        found = own_appointment(request, opened, appointment_id)
        return found if isinstance(found, Response) else move_page(request, opened, found, day=day)

    @app.post("/advice/appointment/{appointment_id}/move", response_class=HTMLResponse, include_in_schema=False)
    def move_appointment(request: Request, appointment_id: str, csrf: str = Form(""), starts_at: str = Form("")
                         ) -> Response:  # fmt: skip
        check_csrf(request, csrf)
        opened = require(request)
        found = own_appointment(request, opened, appointment_id)
        if isinstance(found, Response):
            return found
        page = Page(web, request, opened)
        start = _aware_time(starts_at)
        if start is None:
            return move_page(request, opened, found, status=400, error=page.t("web.appointment.no_time"))
        assert opened.stored is not None
        try:
            moved = booking.reschedule_for_session(
                web.db, config=web.config, appointment_id=appointment_id, session_id=opened.stored.id,
                starts_at=start, locale=page.locale,
            )  # fmt: skip
        except booking.SlotTaken as taken:
            return move_page(
                request, opened, found, day=_taken_day(taken, start, web.config.store.zone),
                status=_taken_status(taken), error=str(taken), next_slots=taken.next_slots,
            )  # fmt: skip
        except booking.BookingError as error:
            return page.render("message.html", status=410, title=str(error), message="", back="/advice/appointments")
        # the new time and the one it had, fresh links: mailed, else shown (the links saved before work no more)
        if confirm_by_mail(moved, opened.stored.id, page.locale, found.contact, moved_from=found.starts_at):
            return _redirect("/advice/appointments?moved=mailed")
        return booked_shown(opened, moved, "0", moved=True)

    @app.get("/advice/appointment/{appointment_id}/cancel", response_class=HTMLResponse, include_in_schema=False)
    def cancel_own_form(request: Request, appointment_id: str) -> Response:
        opened = require(request)
        found = own_appointment(request, opened, appointment_id)
        if isinstance(found, Response):
            return found
        page = Page(web, request, opened)
        return page.render("appointment_cancel.html", action=f"/advice/appointment/{appointment_id}/cancel",
                           back="/advice/appointments", when=when_text(page, found), cancelled=False)  # fmt: skip

    @app.post("/advice/appointment/{appointment_id}/cancel", response_class=HTMLResponse, include_in_schema=False)
    def cancel_own(request: Request, appointment_id: str, csrf: str = Form("")) -> Response:
        check_csrf(request, csrf)
        opened = require(request)
        if opened.stored is None or not booking.cancel_for_session(
            web.db, appointment_id=appointment_id, session_id=opened.stored.id
        ):
            page = Page(web, request, opened)
            return page.render("message.html", status=410, title=page.t("appointment.error.not_booked"), message="",
                               back="/advice/appointments")  # fmt: skip
        cancellation_by_mail(appointment_id)
        return _redirect("/advice/appointments?cancelled=1")

    def times_page(
        page: Page, *, action: str, back: str, category_id: str, appointment_id: str, current: datetime,
        staff_name: str, day: date | None, status: int, error: str | None, next_slots: tuple[Slot, ...],
    ) -> Response:  # fmt: skip
        """The days and free times to move an appointment to, posting to `action`: its own day and the days near it
        are listed, and its own day is shown unless another one is asked for."""
        zone = web.config.store.zone
        today = datetime.now(zone).date()
        current = current.astimezone(zone)
        days, day = booking.days_to_show(web.config, today, day, booked=current.date())
        slots = booking.slots_on(web.db, config=web.config, category_id=category_id, day=day,
                                 skip_appointment=appointment_id)  # fmt: skip
        return page.render(
            "appointment_reschedule.html", status=status, action=action, back=back, day=day, days=days, slots=slots,
            parts=by_part_of_day(slots),
            error=error, next_slots=next_slots, current=current, staff=staff_name, moved=None,
        )  # fmt: skip

    # -- moving and cancelling with the one-time links (the e-mail's) --------------------------------------------

    def link_gone(request: Request, token: str, purpose: str) -> HTMLResponse:
        """A one-time link that no longer works, and why: one a move replaced says so, with the time it moved to
        (410, in the language of the booking); any other was used, or its appointment is cancelled or over."""
        with reading(web.db) as connection:
            appointment_id = links.replaced(connection, token=token, purpose=purpose)
        found = booking.details(web.db, appointment_id=appointment_id) if appointment_id is not None else None
        page = Page(web, request, prefer=found.locale if found is not None else None)
        title = page.t("appointment.error.link_used")
        if found is not None and found.state == "booked" and found.ends_at > datetime.now(UTC):
            starts = found.starts_at.astimezone(web.config.store.zone)
            title = page.t("appointment.error.link_moved", day=day_text(starts, page.locale), time=f"{starts:%H:%M}")
        return page.render("message.html", status=410, title=title, message="")

    def reschedule_page(
        request: Request, token: str, *, day: date | None = None, status: int = 200, error: str | None = None,
        next_slots: tuple[Slot, ...] = (),
    ) -> Response:  # fmt: skip
        found = booking.booked_by_link(web.db, token=token, purpose="reschedule")
        if found is None:
            return link_gone(request, token, "reschedule")
        page = Page(web, request, prefer=found.locale)
        return times_page(
            page, action=f"/appointment/reschedule/{token}", back="/", category_id=found.category_id,
            appointment_id=found.appointment_id, current=found.starts_at, staff_name=found.staff_name, day=day,
            status=status, error=error, next_slots=next_slots,
        )  # fmt: skip

    @app.get("/appointment/reschedule/{token}", response_class=HTMLResponse, include_in_schema=False)
    def reschedule_form(request: Request, token: str, day: date | None = None) -> Response:
        # Like cancelling: a link previewer's GET only shows the times; the form's POST moves.
        return reschedule_page(request, token, day=day)

    @app.post("/appointment/reschedule/{token}", response_class=HTMLResponse, include_in_schema=False)
    def reschedule_appointment(
        request: Request, token: str, csrf: str = Form(""), starts_at: str = Form("")
    ) -> Response:
        check_csrf(request, csrf)
        before = booking.booked_by_link(web.db, token=token, purpose="reschedule")
        page = Page(web, request, prefer=before.locale if before is not None else None)
        start = _aware_time(starts_at)
        if start is None:
            return reschedule_page(request, token, status=400, error=page.t("web.appointment.no_time"))
        try:
            moved = booking.reschedule_by_link(web.db, config=web.config, token=token, starts_at=start,
                                               locale=page.locale)  # fmt: skip
        except booking.SlotTaken as taken:
            return reschedule_page(
                request, token, day=_taken_day(taken, start, web.config.store.zone), status=_taken_status(taken),
                error=str(taken), next_slots=taken.next_slots,
            )  # fmt: skip
        except booking.BookingError as error:
            if error.reason == "link_used":  # moved meanwhile (another tab, the store): said so, when it was
                return link_gone(request, token, "reschedule")
            return page.render("message.html", status=410, title=str(error), message="")
        entry = agenda.entry(web.db, appointment_id=moved.appointment_id, zone=web.config.store.zone,
                             locale=page.locale)  # fmt: skip
        mailed = entry is not None and confirm_by_mail(  # in the language the shopper booked in, as the first one
            moved,
            entry.session_id,
            before.locale if before else page.locale,
            entry.contact,
            moved_from=before.starts_at if before else None,
        )
        return page.render(
            "appointment_reschedule.html", back="/", moved=moved, mailed=mailed,
            cancel_url=f"/appointment/cancel/{moved.links['cancel']}",  # on the site: its own address
            reschedule_url=f"/appointment/reschedule/{moved.links['reschedule']}",
        )  # fmt: skip

    @app.get("/appointment/cancel/{token}", response_class=HTMLResponse, include_in_schema=False)
    def cancel_form(request: Request, token: str) -> Response:
        # A link previewer that fetches the page must not cancel: only the form's POST does.
        found = booking.booked_by_link(web.db, token=token, purpose="cancel")
        if found is None:  # used, replaced by a move, or the appointment is over or cancelled: said before asking
            return link_gone(request, token, "cancel")
        page = Page(web, request, prefer=found.locale)
        starts = found.starts_at.astimezone(web.config.store.zone)
        when = page.t("web.appointment.when", day=day_text(starts, page.locale, year=True), time=f"{starts:%H:%M}",
                      staff=found.staff_name)  # fmt: skip
        return page.render("appointment_cancel.html", action=f"/appointment/cancel/{token}", back="/",
                           cancelled=False, when=when)  # fmt: skip

    @app.post("/appointment/cancel/{token}", response_class=HTMLResponse, include_in_schema=False)
    def cancel_appointment(request: Request, token: str, csrf: str = Form("")) -> Response:
        check_csrf(request, csrf)
        found = booking.booked_by_link(web.db, token=token, purpose="cancel")
        page = Page(web, request, prefer=found.locale if found is not None else None)
        try:
            cancelled = booking.cancel_by_link(web.db, token=token, locale=page.locale)
        except booking.BookingError:
            return link_gone(request, token, "cancel")
        cancellation_by_mail(cancelled)
        return page.render("appointment_cancel.html", back="/", cancelled=True)

    # -- repair orders -------------------------------------------------------------------------------------------

    def repair_view(page: Page, order: repairs.Order) -> dict[str, Any]:
        """What the repair page shows of an order: its timeline on the store's clock, the product and the store."""
        zone = web.config.store.zone

        def day(moment: datetime) -> str:  # "05.12.2026", "5 Dec 2026": as every date the shopper reads
            return day_text(moment.astimezone(zone).date(), page.locale, weekday=None, year=True)

        def when(moment: datetime) -> str:
            return page.t("web.repair.at", date=day(moment), time=moment.astimezone(zone).strftime("%H:%M"))

        steps = [
            {"label": page.t(f"repair.state.{step.state}"), "when": when(step.at) if step.at else "",
             "kind": "current" if step.current else "done" if step.at else "ahead"}
            for step in repairs.timeline(order)
        ]  # fmt: skip
        waiting = order.state in (repairs.State.RECEIVED, repairs.State.DIAGNOSED, repairs.State.IN_REPAIR)
        names = repairs.product_names(web.db, [order.product_sku], page.locale)
        store = web.config.store
        ready_at = next((change.at for change in order.history if change.state == repairs.State.READY), None)
        ready = order.state == repairs.State.READY and ready_at is not None
        return {
            "product": names.get(order.product_sku, order.product_sku),
            "store": store_name(web.db, order.store_id, page.locale, web.config.store.name),
            "code": shown(order.pickup_code), "steps": steps,
            "expected": repair_days.expected_text(order, store, page.locale) if waiting else "",
            "registered": order.state == repairs.State.REGISTERED, "days": order.turnaround_days,
            "cost": cost_line(order.cost_cents, page.locale, warranty=order.warranty), "final": order.final,
            "warranty": order.warranty and not order.final, "ready": ready,
            "collect": repair_days.collection_text(store, ready_at, page.locale, page.address) if ready_at else "",
            "unrepaired": order.state == repairs.State.RETURNED_UNREPAIRED,
            "cancelled": order.state == repairs.State.CANCELLED,  # struck: the product was never brought in
        }  # fmt: skip

    @app.get("/repair", response_class=HTMLResponse, include_in_schema=False)
    def repair_form(request: Request, code: str = "") -> Response:
        """The form; `?code=` fills it in (a link from a confirmation): the look-up itself stays a POST."""
        typed = code.strip()[:12] if all(char.isalnum() or char in "- " for char in code) else ""
        return Page(web, request).render("repair.html", repair=None, error=None, typed=typed)

    @app.post("/repair", response_class=HTMLResponse, include_in_schema=False)
    def repair_status(request: Request, code: str = Form(""), csrf: str = Form("")) -> Response:
        """The order behind a typed pickup code (by POST: the code stays out of addresses and logs); wrong codes
        are limited as resume codes are."""
        check_csrf(request, csrf)
        page = Page(web, request)
        try:
            order = repairs.open_by_pickup_code(web.db, code, client=client_of(request))
        except TooManyAttempts as error:
            wait = page.t("code.wait", wait=duration(error.seconds, page.locale))
            response = page.render("repair.html", status=429, repair=None, error=wait)
            response.headers["Retry-After"] = str(error.seconds)
            return response
        except (InvalidCode, repairs.RepairError):
            return page.render("repair.html", status=404, repair=None, error=page.t("web.repair.unknown"))
        # (post, then redirect: a reload or the other language shows it again)
        return order_shown_at("/repair/status", order, REPAIR_COOKIE, "repair", REPAIR_SECONDS)

    @app.get("/repair/status", response_class=HTMLResponse, include_in_schema=False)
    def repair_looked_up(request: Request) -> Response:
        """The repair just looked up by its pickup code (the form again once that is past)."""
        order = order_kept(request, REPAIR_COOKIE, "repair")
        if order is None:
            return _redirect("/repair")
        page = Page(web, request)
        page.address = order.address
        return page.render("repair.html", repair=repair_view(page, order), error=None)

    # -- chat with staff ------------------------------------------------------------------------------------------

    def open_request(opened: Opened) -> tuple[int, str, str | None] | None:
        if opened.stored is None:
            return None
        entries = requests.requests_of(web.db, opened.stored.id)
        return entries[-1] if entries else None

    @app.get("/advice/chat", response_class=HTMLResponse, include_in_schema=False)
    def chat(request: Request, rated: int = 0) -> Response:
        return chat_page(request, require(request), rated=bool(rated))

    def chat_page(
        request: Request, opened: Opened, *, rated: bool = False, status: int = 200, error: str = "",
        typed: str = "", wait: int | None = None,
    ) -> Response:  # fmt: skip
        """The chat: the form to ask for it, or the open request's live frame and the line to send; with `error`
        (a refused request or line) above it, the line the shopper `typed` still in its field, and `wait` as the
        Retry-After of a limit."""
        page = Page(web, request, opened)
        found = open_request(opened)
        available = bool(staff.available(web.db))
        scale = web.config.kiosk.feedback_scale
        bookable = booking.offered(web.config, opened.session.questionnaire.category)  # nobody there: book
        booked = next_booked(page, opened) if bookable and not available else ""  # (or the appointment booked)
        summary = not opened.session.questionnaire.is_service and opened.stored is not None  # a shortlist, stored
        nobody = {} if available else {"hours": staff_hours(page), "summary": summary}
        shown = {"scale": scale, "rated": rated, "bookable": bookable, "booked": booked, "nobody": nobody,
                 "error": error, "typed": typed, "position": None, "wait": None, "refresh": None,
                 "staff": None}  # fmt: skip
        if found is None:
            response = page.render("chat.html", status=status, request_id=None, state=None, messages=[],
                                   claimed=False, available=available, **shown)  # fmt: skip
        else:
            request_id, state, claimed_by = found
            response = page.render(
                "chat.html", status=status, request_id=request_id, state=state,
                messages=messages(web.db, request_id) if state not in requests.OPEN_STATES else [],
                available=available, claimed=claimed_by is not None, **shown,
            )  # fmt: skip
        if wait is not None:
            response.headers["Retry-After"] = str(wait)
        return response

    def staff_hours(page: Page) -> str:
        """When the store's team is there, from the opening hours: until when today, or when it is back."""
        now = datetime.now(UTC)
        back = staff_back_at(web.config, now)
        if back is None:
            return ""
        zone = web.config.store.zone
        today = now.astimezone(zone).date()
        if back == now:
            span = web.config.store.opening_hours.span(today.weekday())
            closes = span[1] if span is not None else 24 * 60
            return page.t("web.chat.open_until", time=f"{closes // 60:02d}:{closes % 60:02d}")
        days = (back.date() - today).days
        when = page.t(f"talk.back.{'today' if days == 0 else 'tomorrow' if days == 1 else 'day'}",
                      day=page.t(f"weekday.{back.weekday()}"), time=f"{back:%H:%M}")  # fmt: skip
        return page.t("web.chat.back_at", when=when)

    sightings = PhoneSightings()  # when the phones' chat pages last wrote that they are there (every 30 s at most)

    @app.get("/advice/chat/live", response_class=HTMLResponse, include_in_schema=False)
    def chat_live(request: Request) -> Response:
        """The chat's status and lines, in a frame that reloads itself while the request is open. A colleague who
        signed out leaves the chat waiting for the next one: it says so (and, with nobody at a console, when the team
        is back), not that they are still there."""
        opened = require(request)
        page = Page(web, request, opened)
        found = open_request(opened)
        if found is None:
            return _redirect("/advice/chat")
        from advisor.session.watch import request_view

        view = request_view(
            web.db, found[0], None, store_id=None, chat=True, unclaimed_after=web.config.privacy.unclaimed_after
        )
        if view.open:  # the phone is there: the console says when it went quiet (a tab closed mid-chat)
            with contextlib.suppress(OperationalError):  # (a busy database: the next poll tells it)
                sightings.seen(web.db, found[0])
        return page.render(
            "chat_live.html", state=view.state, staff=view.claimed_by, messages=view.messages,
            position=view.position, wait=max(1, round(view.wait.total_seconds() / 60)) if view.wait else None,
            refresh=CHAT_REFRESH_SECONDS if view.open else None,
            nobody=view.state == requests.State.REQUESTED and not staff.available(web.db),
            left_by=view.left_by, back=staff_hours(page) if view.team_away else "",  # (the colleague signed out)
        )  # fmt: skip

    @app.post("/advice/chat/start", include_in_schema=False)
    def chat_start(request: Request, csrf: str = Form(""), consent: str = Form("")) -> Response:
        """Ask the staff for a chat; each new request draws on the client's budget of chats (staff's queue is not
        for one connection to fill), and over it the page says when to try again and when the team is in the store."""
        check_csrf(request, csrf)
        opened = require(request)
        if consent != "yes":
            page = Page(web, request, opened)
            return page.render("chat.html", status=400, request_id=None, state=None, staff=None, messages=[],
                               available=True, position=None, wait=None, refresh=None, claimed=False,
                               error=page.t("web.chat.consent_needed"))  # fmt: skip
        found = open_request(opened)
        if found is None or found[1] not in requests.OPEN_STATES:
            chats = limits.key("chats", budget_client_of(request, web.config.web.store_networks))
            moment = datetime.now(UTC)
            wait = limits.spend(web.db, chats, limits.CHATS_PER_CLIENT, now=moment)
            if wait is not None:  # (before the consent stores the session: a refusal stores nothing)
                page = Page(web, request, opened)
                said = " ".join(part for part in (page.t("web.chat.limit", wait=duration(wait, page.locale)),
                                                  staff_hours(page)) if part)  # fmt: skip
                return chat_page(request, opened, status=429, error=said, wait=wait)
            try:
                opened = web.give_consent(opened)  # stored now when the shopper asks before answering anything
                requests.request_handoff(web.db, session_id=opened.record.id, kind="chat", channel="web")
            except BaseException:
                limits.refund(web.db, chats, limits.CHATS_PER_CLIENT, now=moment)
                raise
            opened.session.request_handoff("chat")
            web.save(opened)
        return keep(_redirect("/advice/chat"), opened)

    @app.post("/advice/chat/send", include_in_schema=False)
    def chat_send(request: Request, message: str = Form(""), csrf: str = Form("")) -> Response:
        """Send a chat line. One too long, or more than a person types in a minute, is refused with the chat page
        saying why and the line still in its field (nothing typed is lost); one sent after the chat ended is dropped
        (the page says the chat is over)."""
        check_csrf(request, csrf)
        opened = require(request)
        found = open_request(opened)
        if found is None or not message.strip():
            return _redirect("/advice/chat")
        page = Page(web, request, opened)
        if len(message.strip()) > MAX_MESSAGE:
            return chat_page(request, opened, status=400, typed=message,
                             error=page.t("web.chat.too_long", count=MAX_MESSAGE))  # fmt: skip
        lines, moment = limits.key("chat-lines", f"session:{opened.record.id}"), datetime.now(UTC)
        wait = limits.spend(web.db, lines, limits.CHAT_MESSAGES_PER_SESSION, now=moment)
        if wait is not None:
            return chat_page(request, opened, status=429, typed=message, wait=wait,
                             error=page.t("web.chat.too_fast", wait=duration(wait, page.locale)))  # fmt: skip
        try:
            post_message(web.db, found[0], sender="shopper", text=message)
        except requests.HandoffError:  # the chat ended meanwhile: the page says so
            limits.refund(web.db, lines, limits.CHAT_MESSAGES_PER_SESSION, now=moment)
        return _redirect("/advice/chat")

    @app.post("/advice/chat/cancel", include_in_schema=False)
    def chat_cancel(request: Request, csrf: str = Form("")) -> Response:
        check_csrf(request, csrf)
        opened = require(request)
        found = open_request(opened)
        if found is not None and found[1] in requests.OPEN_STATES:
            with contextlib.suppress(requests.HandoffError):  # closed meanwhile
                requests.transition(web.db, found[0], requests.Action.CANCEL, in_transaction=record_cancel)
        return _redirect("/advice/chat")

    def had_contact(opened: Opened) -> bool:
        """Whether someone from the team took one of the advice's requests (what the contact rating is about)."""
        if opened.stored is None:
            return False
        return any(claimed_by is not None for _id, _state, claimed_by in requests.requests_of(web.db, opened.stored.id))

    @app.post("/advice/feedback", include_in_schema=False)
    def feedback(
        request: Request, grade: int = Form(...), about: str = Form("advice"), comment: str = Form(""),
        csrf: str = Form(""),
    ) -> Response:  # fmt: skip
        """Rate the advice, or the contact with staff (only after a chat staff took), with an optional comment: one
        per advice and subject. A second one changes nothing, as the rating it goes with (the comments are kept
        apart from the sessions, so one cannot be found again to replace it)."""
        check_csrf(request, csrf)
        opened = require(request)
        if about == "contact" and not had_contact(opened):
            raise HTTPException(status_code=400, detail="rating")  # nobody from the team was there to rate
        first = about not in opened.session.rated
        try:
            opened.session.rate(grade, scale=web.config.kiosk.feedback_scale, about=about)
        except SessionError:
            raise HTTPException(status_code=400, detail="rating") from None
        web.save(opened)
        if first:
            leave_comment(
                web.db, questionnaire_id=opened.session.questionnaire.id, grade=grade,
                scale=web.config.kiosk.feedback_scale, about=about, comment=comment[:MAX_COMMENT],
                zone=web.config.store.zone,
            )  # fmt: skip
        # back at the rating, its thanks in view (not the top of a long page)
        response = _redirect("/advice?rated=1#feedback" if about == "advice" else "/advice/chat?rated=1#feedback")
        return response

    @app.get("/advice/code.svg", include_in_schema=False)
    def code_qr(request: Request) -> Response:
        opened = require(request)
        svg = qr_svg(opened.record.resume_code)
        return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "no-store"})

    @app.get("/healthz", include_in_schema=False)
    def health() -> dict[str, str]:
        """Liveness: the process answers (no database: a database outage is no reason to restart it)."""
        return {"status": "ok"}

    readiness = ReadinessProbe(web.engine)

    @app.get("/readyz", include_in_schema=False)
    async def ready() -> Response:
        """Readiness: the database answers (`SELECT 1` within 1 s, the answer kept for 2 s); 503 while it does not."""
        from fastapi.responses import JSONResponse

        if await readiness.ready():
            return JSONResponse({"status": "ready"})
        return JSONResponse({"status": "database unreachable"}, status_code=503, headers={"Retry-After": "5"})

    if docs:

        @app.get(DOCS, response_class=HTMLResponse, include_in_schema=False)
        def api_docs() -> Response:
            """Swagger UI: its files pinned with integrity hashes, its start in a file (no inline script)."""
            page = environment().get_template("web/api_docs.html")
            return HTMLResponse(page.render(swagger=SWAGGER_UI, js=SWAGGER_UI_JS, css=SWAGGER_UI_CSS, openapi=OPENAPI))

    api = api_router(web)
    api_routes.extend(api.routes)
    app.include_router(api, prefix=API_PREFIX)  # after the pages: a page's request meets its route first
    # The walk's routes first: they answer most requests, and the router tries the routes in order. No other route
    # has an address of theirs (nor one that their patterns match), so each request still finds the same route.
    rest = [route for route in app.router.routes if route not in walked]
    app.router.routes[:] = [*walked, *rest]
    return app


Number = TypeVar("Number", int, float)
Handler = Callable[[Request, FormData], Response]


def _field(form: FormData, name: str, default: str | None = None) -> str:
    """A text field of a walk page's form; one it needs that is missing (`default` None) is refused (422) as
    FastAPI refuses a missing `Form(...)` parameter."""
    value = form.get(name, default)
    if value is None:
        raise RequestValidationError([{"type": "missing", "loc": ("body", name), "msg": "Field required"}])
    return str(value)


def _query_number(request: Request, name: str, kind: Callable[[str], Number]) -> Number | None:
    """A number of the query string (None when it has none); one that is not a number is refused (422) as FastAPI
    refuses a declared parameter. The most frequent pages read theirs so: FastAPI's declared query parameters cost
    about 0.1 ms a request."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        number = kind(raw)
        if isinstance(number, float) and _not_a_number(number, raw):
            raise ValueError(raw)
        return number
    except ValueError:
        raise RequestValidationError(
            [{"type": "number_parsing", "loc": ("query", name), "msg": "not a number", "input": raw}]
        ) from None


def _whole(value: Any) -> Any:
    """2 rather than 2.0 on a page."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _not_a_number(value: float, raw: str) -> bool:
    """Whether what float() made of `raw` is no number: "nan", "inf" and "infinity" are words it takes (a page would
    show value="nan"), while a numeral too large for a float ("1e400", read as inf) is a number far out of range."""
    return math.isnan(value) or (math.isinf(value) and not any(character.isdigit() for character in raw))


def _within(step: Step | None, value: float | None) -> Any:
    """The number shown in a number question's field: `value` within the step's range, and a whole number when the
    step counts in whole ones (None when there is none to show, as for a numeral too large for a float on a step
    without that bound)."""
    if step is None or step.kind != "number" or value is None:
        return None
    low = step.min if step.min is not None else value
    high = step.max if step.max is not None else value
    shown = min(max(value, low), high)
    if not math.isfinite(shown):
        return None
    if whole_steps(step) and not float(shown).is_integer():  # 2.5 people: the nearest whole number (a whole minimum)
        nearest = math.floor(shown + 0.5)
        shown = min(nearest, math.floor(step.max)) if step.max is not None else nearest
    return _whole(shown)


def _store_names(web: WebContext, locale: str) -> Callable[[str], str | None]:
    """A page's names of the other stores (facts.StoreNamed: where a product or part out of stock here is), each read
    once per page however many lines name it."""
    return functools.cache(lambda store_id: repairs.store_name(web.db, store_id, locale))


def _nudge_words(step: Step | None, field: str, page: Page) -> dict[str, str]:
    """What − and + on a number question are called, the number each leads to with its unit ("Mehr: 4 Personen"),
    and `now`, what the field holds said so ("Jetzt: 3 Personen"; "" when it holds no number)."""
    from advisor.i18n import number as numeral  # (`number` is the name of many a local here)

    def said(value: Any) -> str:
        if value is None or value == "":
            return ""
        unit = unit_text(step.unit if step else None, page.locale, one=value == 1)
        return f"{numeral(value, page.locale, digits=3)} {unit}".strip()

    try:
        held = float(field.replace(",", "."))
    except ValueError:
        held = math.nan
    # what the field holds, said only when the question takes it: a refused "9" or "2,5" is not announced as the answer
    now = said(_whole(held)) if math.isfinite(held) and _within(step, held) == held else ""

    def leads(led: Any, direction: int) -> bool:
        """Whether − (`direction` -1) or + (1) leads the way it is called from what the field holds (with no number
        held: from the default, either way)."""
        if not isinstance(led, int | float) or led == held:
            return False
        return not math.isfinite(held) or (led - held) * direction > 0

    # a button names the number it leads to only when it leads that way: at a bound (the number the field holds) or
    # beside a refused 9 (+ lands on 6, less), its plain name ("Mehr")
    less, more = (said(led) if leads(led := _nudged(step, [field], direction), direction) else ""
                  for direction in (-1, 1))  # fmt: skip
    return {"less": page.t("web.less", value=less) if less else page.t("web.less.plain"),
            "more": page.t("web.more", value=more) if more else page.t("web.more.plain"),
            "now": page.t("web.number_now", value=now) if now else ""}  # fmt: skip


def _nudged(step: Step | None, values: list[str], direction: int) -> Any:
    """The number one step up or down from what the field holds (within the step's range; from a number between
    whole steps, the whole number next to it)."""
    if step is None or step.kind != "number":
        return ""
    try:
        current = float(values[0].replace(",", ".")) if values and values[0] != DONT_CARE else None
    except ValueError:
        current = None
    if current is not None and not math.isfinite(current):
        current = None  # "nan", "inf" (or a numeral too large to nudge): from the default, as for no number at all
    if current is None:
        current = step.default if step.default is not None else step.min or 0
    if whole_steps(step) and not float(current).is_integer():  # from a refused 2.5: + to 3, − to 2
        return _within(step, math.ceil(current) if direction > 0 else math.floor(current))
    return _within(step, current + direction * (step.step or 1))
