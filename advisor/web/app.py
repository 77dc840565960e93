"""`advisor serve`: the web companion as server-rendered pages (no JavaScript needed) and a JSON API.

Every page reads the session from the database (the truth for kiosk, console and phone), so a change made on
one device shows on the next page load of another. The browser holds only a signed cookie with the session id.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from advisor.config import Config
from advisor.engine import InvalidAnswer, path_of, progress
from advisor.handoff import requests as handoff
from advisor.handoff import staff
from advisor.handoff.codes import InvalidCode, LookupLimiter, TooManyAttempts, shown
from advisor.handoff.tokens import TokenError, redeem_token
from advisor.i18n import LOCALES, MESSAGES, pick, text
from advisor.insights.events import MAX_COMMENT, EventError, EventLog, give_feedback, run_of_session
from advisor.paths import sample_catalog_dir
from advisor.questionnaire.model import DONT_CARE, Questionnaire
from advisor.recommend.core import category_noun, display_answer
from advisor.recommend.index import CategoryIndex, IndexCache
from advisor.rendering.facts import price_text, product_facts
from advisor.rendering.mail import MailError, SmtpSettings, deliver, summary_message
from advisor.rendering.qr import qr_svg
from advisor.rendering.summary import build_summary, environment
from advisor.web.advice import RESULTS, Advice, AdviceError
from advisor.web.security import Signer, new_nonce

SESSION_COOKIE = "advisor_session"
CSRF_COOKIE = "advisor_csrf"
LANG_COOKIE = "advisor_lang"
STATIC = Path(__file__).resolve().parent / "static"
CHAT_REFRESH_SECONDS = 4


@dataclass
class WebContext:
    """What every request needs: the database, questionnaires, catalog index and configuration."""

    engine: Engine
    questionnaires: Callable[[], Mapping[str, Questionnaire]]
    index_cache: IndexCache
    config: Config
    signer: Signer
    limiter: LookupLimiter = field(default_factory=LookupLimiter)
    mail_dry_run: Path | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    events: EventLog | None = None  # the anonymous event log (insights)

    def log(self, advice: Advice, kind: str, **fields: Any) -> None:
        """Record an event of this web session's run (a one-way hash of the session id)."""
        if self.events is not None:
            self.events.record(
                kind, run=run_of_session(advice.stored.id), questionnaire_id=advice.questionnaire.id,
                questionnaire_version=advice.questionnaire.version, **fields,
            )  # fmt: skip

    def index_for(self, questionnaire: Questionnaire) -> CategoryIndex:
        index = self.index_cache.get().categories.get(questionnaire.category)
        if index is None:
            raise AdviceError(f"the catalog has no category {questionnaire.category!r}")
        return index

    @property
    def secure_cookies(self) -> bool:
        return self.config.web.public_base_url.startswith("https://")

    def url(self, path: str) -> str:
        return self.config.web.public_base_url + path


class Page:
    """One request's view: language, address form, CSRF token; renders templates with them."""

    def __init__(self, web: WebContext, request: Request, advice: Advice | None = None) -> None:
        self.web = web
        self.request = request
        self.advice = advice
        wanted = request.cookies.get(LANG_COOKIE)
        self.locale = advice.locale if advice else wanted if wanted in LOCALES else web.config.store.default_locale
        self.address = advice.address if advice else "du"
        self.nonce = request.cookies.get(CSRF_COOKIE) or new_nonce()

    def t(self, key: str, **params: Any) -> str:
        return text(key, self.locale, self.address, **params)

    def pick(self, texts: Mapping[str, str]) -> str:
        return pick(texts, self.locale)

    def render(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        body = environment().get_template(f"web/{template}").render(
            t=self.t, pick=self.pick, locale=self.locale, csrf=self.web.signer.csrf_token(self.nonce),
            advice=self.advice, code=shown(self.advice.stored.resume_code) if self.advice else None,
            store=self.web.config.store, DONT_CARE=DONT_CARE,
            retention_days=self.web.config.privacy.session_retention_days,
            price=lambda item: price_text(item, self.locale),
            refresh=context.pop("refresh", None), **context,
        )  # fmt: skip
        response = HTMLResponse(body, status_code=status)
        self.keep_cookies(response)
        return response

    def keep_cookies(self, response: Response) -> None:
        if CSRF_COOKIE not in self.request.cookies:
            response.set_cookie(CSRF_COOKIE, self.nonce, httponly=True, samesite="lax", secure=self.web.secure_cookies)


def _redirect(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def create_app(web: WebContext) -> FastAPI:
    """The web companion's application (pages under /, the JSON API under /api/v1)."""
    from advisor.web.api import api_router

    app = FastAPI(
        title="Nordgrat advice API",
        version="1",
        description="Start, continue and read advice sessions (the same engine and recommender as the kiosk).",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.web = web
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api_router(web), prefix="/api/v1")

    def current(request: Request) -> Advice | None:
        session_id = web.signer.unsign(request.cookies.get(SESSION_COOKIE))
        if session_id is None:
            return None
        stored = handoff.session_of(web.engine, session_id)
        if stored is None or stored.expires_at <= datetime.now(UTC):
            return None
        try:
            return Advice.of(stored, web.questionnaires())
        except AdviceError:  # its questionnaire is no longer offered: the shopper starts again
            return None

    def require(request: Request) -> Advice:
        advice = current(request)
        if advice is None:
            raise HTTPException(status_code=303, headers={"Location": "/?expired=1"})
        return advice

    def check_csrf(request: Request, token: str) -> None:
        if not web.signer.csrf_ok(request.cookies.get(CSRF_COOKIE), token):
            raise HTTPException(status_code=403, detail="csrf")

    def enter(advice_id: str) -> RedirectResponse:
        response = _redirect("/advice")
        response.set_cookie(
            SESSION_COOKIE, web.signer.sign(advice_id), httponly=True, samesite="lax", secure=web.secure_cookies,
            max_age=web.config.privacy.session_retention_days * 86400,
        )  # fmt: skip
        return response

    @app.exception_handler(HTTPException)
    def http_error(request: Request, error: HTTPException) -> Response:
        if error.status_code == 303 and error.headers:
            return RedirectResponse(error.headers["Location"], status_code=303)
        if request.url.path.startswith("/api/"):
            from fastapi.responses import JSONResponse

            return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=error.headers)
        page = Page(web, request)
        key = {403: "web.error.csrf", 404: "web.error.not_found"}.get(error.status_code, "web.error.general")
        return page.render("message.html", status=error.status_code, title=page.t(key), message="")

    @app.exception_handler(AdviceError)
    def advice_error(request: Request, _error: AdviceError) -> Response:
        page = Page(web, request)
        return page.render("message.html", status=404, title=page.t("web.error.general"), message="")

    @app.exception_handler(OperationalError)
    def database_down(request: Request, _error: OperationalError) -> Response:
        page = Page(web, request)
        return page.render("message.html", status=503, title=page.t("web.error.database"), message="")

    # -- start and continue ---------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request, expired: int = 0) -> Response:
        page = Page(web, request, current(request))
        choices = sorted(web.questionnaires().values(), key=lambda q: q.id)
        return page.render("home.html", questionnaires=choices, expired=bool(expired))

    @app.post("/lang", include_in_schema=False)
    def set_language(request: Request, locale: str = Form(...), csrf: str = Form("")) -> Response:
        check_csrf(request, csrf)
        if locale not in LOCALES:
            raise HTTPException(status_code=400, detail="unknown language")
        advice = current(request)
        back = "/advice" if advice else "/"
        if advice is not None:
            advice.locale = locale if locale in advice.questionnaire.locales else advice.locale
            advice.save(web.engine)
        response = _redirect(back)
        response.set_cookie(LANG_COOKIE, locale, samesite="lax", secure=web.secure_cookies)
        return response

    @app.post("/start", include_in_schema=False)
    def start(request: Request, questionnaire_id: str = Form(...), csrf: str = Form("")) -> Response:
        check_csrf(request, csrf)
        questionnaire = web.questionnaires().get(questionnaire_id)
        if questionnaire is None:
            raise HTTPException(status_code=404, detail="no such questionnaire")
        page = Page(web, request)
        locale = page.locale if page.locale in questionnaire.locales else questionnaire.default_locale
        first = path_of(questionnaire, {})
        stored = handoff.create_session(
            web.engine, questionnaire_id=questionnaire.id, questionnaire_version=questionnaire.version, answers={},
            locale=locale, store_id=web.config.store.id, position=first[0] if first else RESULTS, origin="web",
            lifetime=timedelta(days=web.config.privacy.session_retention_days),
        )  # fmt: skip
        advice = Advice.of(stored, web.questionnaires())
        web.log(advice, "started")
        if advice.step is not None:
            web.log(advice, "step_shown", step_id=advice.step.id)
        return enter(stored.id)

    @app.get("/c/{token}", include_in_schema=False)
    def continue_on_phone(request: Request, token: str) -> Response:
        try:
            stored = redeem_token(web.engine, token)
        except TokenError as error:
            page = Page(web, request)
            return page.render(
                "message.html", status=410 if error.reason != "unknown" else 404,
                title=page.t(f"web.token.{error.reason}"), message=page.t("web.token.hint"),
            )  # fmt: skip
        return enter(stored.id)

    @app.get("/resume", response_class=HTMLResponse, include_in_schema=False)
    def resume_form(request: Request) -> Response:
        return Page(web, request).render("resume.html", error=None)

    @app.post("/resume", include_in_schema=False)
    def resume(request: Request, code: str = Form(...), csrf: str = Form("")) -> Response:
        check_csrf(request, csrf)
        page = Page(web, request)
        client = request.client.host if request.client else "unknown"
        try:
            with web.lock:
                stored = handoff.open_by_code(web.engine, code, client=f"web:{client}", limiter=web.limiter)
        except TooManyAttempts as error:
            return page.render("resume.html", status=429, error=page.t("code.wait", seconds=error.seconds))
        except (InvalidCode, handoff.HandoffError):
            return page.render("resume.html", status=404, error=page.t("code.unknown"))
        return enter(stored.id)

    # -- the advice ---------------------------------------------------------------------------------------------

    @app.get("/advice", response_class=HTMLResponse, include_in_schema=False)
    def advice_page(request: Request, rated: int = 0) -> Response:
        advice = require(request)
        page = Page(web, request, advice)
        index = web.index_for(advice.questionnaire)
        if advice.step is None:
            result = advice.recommend(index)
            web.log(advice, "results_shown", number=result.count, value=[item.sku for item in result.products])
            return page.render(
                "results.html", result=result, noun=category_noun(index, page.locale),
                critique_keys={critique.key for critique in advice.critiques}, rated=bool(rated),
                scale=web.config.kiosk.feedback_scale,
            )  # fmt: skip
        from advisor.recommend.core import live_count

        count = live_count(
            index=index, questionnaire=advice.questionnaire, answers=advice.state.answers, critiques=advice.critiques
        )
        done = progress(advice.questionnaire, advice.state)
        return page.render(
            "question.html", step=advice.step, current=advice.state.answers.get(advice.step.id),
            progress=done, count=count, noun=category_noun(index, page.locale), first=_is_first(advice),
            unit=_unit(advice.step.unit, page.locale),
        )  # fmt: skip

    @app.post("/advice/answer", include_in_schema=False)
    async def answer(request: Request) -> Response:
        form = await request.form()
        check_csrf(request, str(form.get("csrf", "")))
        advice = require(request)
        step_id = str(form.get("step", ""))
        values = [str(value) for value in form.getlist("value")]
        changing = form.get("change") == "1"
        was_complete = advice.step is None
        try:
            if changing:
                advice.change(step_id, values)
            else:
                advice.answer(step_id, values)
        except (InvalidAnswer, AdviceError):
            page = Page(web, request, advice)
            return page.render("message.html", status=400, title=page.t("web.error.answer"), message="",
                               back="/advice")  # fmt: skip
        advice.save(web.engine)
        answer = advice.state.answers.get(step_id)
        web.log(advice, "step_answered", step_id=step_id, value=list(answer) if isinstance(answer, tuple) else answer)
        if advice.step is not None:
            web.log(advice, "step_shown", step_id=advice.step.id)
        elif not was_complete:
            web.log(advice, "completed")
        return _redirect("/advice")

    @app.post("/advice/back", include_in_schema=False)
    def back(request: Request, csrf: str = Form("")) -> Response:
        check_csrf(request, csrf)
        advice = require(request)
        if _is_first(advice):
            return _redirect("/")
        advice.back()
        advice.save(web.engine)
        web.log(advice, "back", step_id=advice.state.current)
        if advice.step is not None:
            web.log(advice, "step_shown", step_id=advice.step.id)
        return _redirect("/advice")

    @app.post("/advice/goto", include_in_schema=False)
    def go_to(request: Request, step: str = Form(...), csrf: str = Form("")) -> Response:
        check_csrf(request, csrf)
        advice = require(request)
        try:
            advice.go_to(step)
        except InvalidAnswer:
            raise HTTPException(status_code=400, detail="not on the path") from None
        advice.save(web.engine)
        return _redirect("/advice")

    @app.get("/advice/answers", response_class=HTMLResponse, include_in_schema=False)
    def answers_page(request: Request) -> Response:
        advice = require(request)
        page = Page(web, request, advice)
        rows = [
            (step_id, pick(advice.questionnaire.step(step_id).question, page.locale),
             display_answer(advice.questionnaire.step(step_id), advice.state.answers[step_id], page.locale))
            for step_id in path_of(advice.questionnaire, advice.state.answers)
            if step_id in advice.state.answers
        ]  # fmt: skip
        return page.render("answers.html", rows=rows)

    @app.post("/advice/relax", include_in_schema=False)
    async def relax(request: Request) -> Response:
        form = await request.form()
        check_csrf(request, str(form.get("csrf", "")))
        advice = require(request)
        keys = [str(key) for key in form.getlist("drop")]
        try:
            advice.relax(web.index_for(advice.questionnaire), keys)
        except AdviceError:
            return _redirect("/advice")
        advice.save(web.engine)
        web.log(advice, "relaxation_applied", value=keys)
        return _redirect("/advice")

    @app.post("/advice/critique", include_in_schema=False)
    def critique(request: Request, key: str = Form(""), csrf: str = Form("")) -> Response:
        check_csrf(request, csrf)
        advice = require(request)
        if key:
            try:
                advice.critique(web.index_for(advice.questionnaire), key)
            except AdviceError:
                return _redirect("/advice")
            web.log(advice, "critique_used", value=key)
        else:
            advice.clear_critiques()
        advice.save(web.engine)
        return _redirect("/advice")

    @app.post("/advice/restart", include_in_schema=False)
    def restart(request: Request, csrf: str = Form("")) -> Response:
        check_csrf(request, csrf)
        response = _redirect("/")
        response.delete_cookie(SESSION_COOKIE)
        return response

    @app.get("/advice/product/{sku}", response_class=HTMLResponse, include_in_schema=False)
    def product(request: Request, sku: str) -> Response:
        advice = require(request)
        index = web.index_for(advice.questionnaire)
        if sku not in index.position:
            raise HTTPException(status_code=404, detail="no such product")
        page = Page(web, request, advice)
        handoff.record_viewed(web.engine, advice.stored.id, sku)
        web.log(advice, "product_viewed", value=sku)
        item = index.products[index.position[sku]]
        facts = product_facts(index, item, page.locale, advice.stored.store_id or web.config.store.id)
        return page.render("product.html", facts=facts)

    @app.get("/images/{name}", include_in_schema=False)
    def image(name: str) -> Response:
        folder = (sample_catalog_dir() / "images").resolve()
        path = (folder / name).resolve()
        if path.parent != folder or not path.is_file():
            raise HTTPException(status_code=404, detail="no such image")
        return FileResponse(path, headers={"Cache-Control": "public, max-age=86400"})

    # -- summary ------------------------------------------------------------------------------------------------

    def summary_of(advice: Advice) -> Any:
        index = web.index_for(advice.questionnaire)
        return build_summary(
            questionnaire=advice.questionnaire, state=advice.state, recommendation=advice.recommend(index),
            index=index, locale=advice.locale, created=datetime.now(UTC),
            store_id=advice.stored.store_id or web.config.store.id, store_name=web.config.store.name,
            resume_code=advice.stored.resume_code, continue_url=web.url("/resume"),
        )  # fmt: skip

    @app.get("/advice/summary", response_class=HTMLResponse, include_in_schema=False)
    def summary(request: Request, sent: int = 0) -> Response:
        advice = require(request)
        page = Page(web, request, advice)
        return page.render("summary.html", s=summary_of(advice), sent=bool(sent), error=None,
                           mail=bool(web.config.smtp.host) or web.mail_dry_run is not None)  # fmt: skip

    @app.post("/advice/summary/email", include_in_schema=False)
    def email(request: Request, address: str = Form(...), csrf: str = Form("")) -> Response:
        check_csrf(request, csrf)
        advice = require(request)
        page = Page(web, request, advice)
        smtp = web.config.smtp
        settings = SmtpSettings(smtp.host, smtp.port, smtp.username, smtp.password, smtp.sender, smtp.starttls)
        try:
            message = summary_message(summary_of(advice), to=address, sender=smtp.sender or "advice@localhost")
            deliver(message, settings, dry_run=web.mail_dry_run)
        except MailError as error:
            return page.render("summary.html", status=400, s=summary_of(advice), sent=False, mail=True,
                               error=page.t("web.mail.failed", reason=str(error)))  # fmt: skip
        return _redirect("/advice/summary?sent=1")

    # -- chat with staff ------------------------------------------------------------------------------------------

    def open_request(advice: Advice) -> tuple[int, str, str | None] | None:
        entries = handoff.requests_of(web.engine, advice.stored.id)
        return entries[-1] if entries else None

    @app.get("/advice/chat", response_class=HTMLResponse, include_in_schema=False)
    def chat(request: Request, rated: int = 0) -> Response:
        advice = require(request)
        page = Page(web, request, advice)
        found = open_request(advice)
        available = bool(staff.available(web.engine))
        scale = web.config.kiosk.feedback_scale
        if found is None:
            return page.render("chat.html", request_id=None, state=None, staff=None, messages=[], claimed=False,
                               available=available, position=None, wait=None, refresh=None, scale=scale,
                               rated=bool(rated))  # fmt: skip
        request_id, state, claimed_by = found
        return page.render(
            "chat.html", request_id=request_id, state=state, staff=None,
            messages=handoff.messages(web.engine, request_id) if state not in handoff.OPEN_STATES else [],
            available=available, position=None, wait=None, refresh=None, claimed=claimed_by is not None,
            scale=scale, rated=bool(rated),
        )  # fmt: skip

    @app.get("/advice/chat/live", response_class=HTMLResponse, include_in_schema=False)
    def chat_live(request: Request) -> Response:
        """The chat's status and lines, in a frame that reloads itself while the request is open."""
        advice = require(request)
        page = Page(web, request, advice)
        found = open_request(advice)
        if found is None:
            return _redirect("/advice/chat")
        request_id, state, claimed_by = found
        place = next((entry.position for entry in handoff.queue(web.engine) if entry.request_id == request_id), None)
        wait = handoff.estimated_wait(web.engine)
        return page.render(
            "chat_live.html", state=state, staff=claimed_by, messages=handoff.messages(web.engine, request_id),
            position=place, wait=max(1, round(wait.total_seconds() / 60)) if wait else None,
            refresh=CHAT_REFRESH_SECONDS if state in handoff.OPEN_STATES else None,
        )  # fmt: skip

    @app.post("/advice/chat/start", include_in_schema=False)
    def chat_start(request: Request, csrf: str = Form(""), consent: str = Form("")) -> Response:
        check_csrf(request, csrf)
        advice = require(request)
        if consent != "yes":
            page = Page(web, request, advice)
            return page.render("chat.html", status=400, request_id=None, state=None, staff=None, messages=[],
                               available=True, position=None, wait=None, refresh=None, claimed=False,
                               error=page.t("web.chat.consent_needed"))  # fmt: skip
        found = open_request(advice)
        if found is None or found[1] not in handoff.OPEN_STATES:
            handoff.give_consent(web.engine, advice.stored.id)
            handoff.request_handoff(web.engine, session_id=advice.stored.id, kind="chat")
            web.log(advice, "handoff_requested", value="chat")
        return _redirect("/advice/chat")

    @app.post("/advice/chat/send", include_in_schema=False)
    def chat_send(request: Request, message: str = Form(""), csrf: str = Form("")) -> Response:
        check_csrf(request, csrf)
        advice = require(request)
        found = open_request(advice)
        if found is not None and message.strip():
            with contextlib.suppress(handoff.HandoffError):  # the chat ended meanwhile: the page says so
                handoff.post_message(web.engine, found[0], sender="shopper", text=message)
        return _redirect("/advice/chat")

    @app.post("/advice/chat/cancel", include_in_schema=False)
    def chat_cancel(request: Request, csrf: str = Form("")) -> Response:
        check_csrf(request, csrf)
        advice = require(request)
        found = open_request(advice)
        if found is not None and found[1] in handoff.OPEN_STATES:
            with contextlib.suppress(handoff.HandoffError):  # closed meanwhile
                handoff.transition(web.engine, found[0], "cancel")
        return _redirect("/advice/chat")

    @app.post("/advice/feedback", include_in_schema=False)
    def feedback(
        request: Request, grade: int = Form(...), about: str = Form("advice"), comment: str = Form(""),
        csrf: str = Form(""),
    ) -> Response:  # fmt: skip
        check_csrf(request, csrf)
        advice = require(request)
        try:
            give_feedback(
                web.engine, web.events, run=run_of_session(advice.stored.id), questionnaire_id=advice.questionnaire.id,
                grade=grade, scale=web.config.kiosk.feedback_scale, about=about, comment=comment[:MAX_COMMENT],
                channel="web", store_id=web.config.store.id,
            )  # fmt: skip
        except EventError:
            raise HTTPException(status_code=400, detail="rating") from None
        response = _redirect("/advice?rated=1" if about == "advice" else "/advice/chat?rated=1")
        return response

    @app.get("/advice/code.svg", include_in_schema=False)
    def code_qr(request: Request) -> Response:
        advice = require(request)
        svg = qr_svg(advice.stored.resume_code)
        return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "no-store"})

    @app.get("/healthz", include_in_schema=False)
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


def _unit(unit: str | None, locale: str) -> str:
    if not unit:
        return ""
    return text(f"unit.{unit}", locale) if f"unit.{unit}" in MESSAGES else unit


def _is_first(advice: Advice) -> bool:
    path = path_of(advice.questionnaire, advice.state.answers)
    return bool(path) and advice.state.current == path[0]
