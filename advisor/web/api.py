"""The JSON API: a shop website or a chat bot starts, answers, resumes and reads advice sessions.

A session is addressed by a bearer token (a signed session id) returned when it is created or resumed, so no
session data travels in URLs. FastAPI publishes the OpenAPI document at /api/openapi.json.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Header, HTTPException, Request, status
from pydantic import BaseModel, Field

from advisor.engine import InvalidAnswer
from advisor.handoff import limits
from advisor.handoff.codes import InvalidCode, TooManyAttempts
from advisor.handoff.requests import HandoffError
from advisor.handoff.sessions import open_by_code
from advisor.handoff.tokens import TOKEN_LIFETIME, issue_token
from advisor.i18n import LOCALES, pick
from advisor.recommend.render import recommendation_json
from advisor.session.service import AdviceSession, SessionError
from advisor.web.clients import budget_client_of, client_of
from advisor.web.context import Opened, WebContext


class QuestionnaireOut(BaseModel):
    id: str
    title: str
    category: str
    locales: list[str]


class OptionOut(BaseModel):
    id: str
    label: str


class StepOut(BaseModel):
    id: str
    kind: str = Field(description="single, multiple, number or yes_no")
    question: str
    help: str = ""
    options: list[OptionOut] = []
    dont_care: bool = False
    min: float | None = None
    max: float | None = None
    unit: str | None = None


class QuestionnaireDetail(QuestionnaireOut):
    steps: list[StepOut]


class NewSession(BaseModel):
    questionnaire_id: str = Field(max_length=64)
    locale: str = Field(default="de", max_length=8)
    answers: dict[str, Any] = Field(default_factory=dict)


class Answers(BaseModel):
    answers: dict[str, Any] = Field(description="step id -> answer (option id, list of option ids, number, bool)")


class ResumeCode(BaseModel):
    code: str = Field(max_length=32)


class CritiqueKey(BaseModel):
    key: str = Field(max_length=128, description="a critique's key as the recommendation offers it")


class RelaxationKeys(BaseModel):
    keys: list[str] = Field(max_length=8, description="a relaxation's keys as the recommendation offers them")


class ProductSku(BaseModel):
    sku: str = Field(max_length=64)


class ProductSkus(BaseModel):
    skus: list[str] = Field(max_length=3, description="at most three products, side by side")


class SessionOut(BaseModel):
    token: str = Field(description="send as 'Authorization: Bearer <token>'")
    resume_code: str
    questionnaire_id: str
    locale: str
    answers: dict[str, Any]
    next_step: str | None = Field(description="the step to ask next; null when the results are ready")
    complete: bool
    critiques: list[dict[str, Any]] = Field(default_factory=list, description="chosen critiques ('lighter')")
    viewed: list[str] = Field(default_factory=list, description="products the shopper opened, latest last")
    compared: list[str] = Field(default_factory=list, description="products side by side")
    dropped: list[str] = Field(
        default_factory=list, description="what the current questionnaire no longer accepts of the stored session"
    )


class PhoneLink(BaseModel):
    url: str
    expires_in_seconds: int


class Problem(BaseModel):
    detail: str


class InvalidInput(BaseModel):
    detail: str | list[dict[str, Any]] = Field(
        description="what is wrong: a sentence, or a list of field errors when the request does not fit its schema"
    )


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "a request body that cannot be read (not UTF-8 JSON)"},
    401: {"model": Problem, "description": "missing or wrong bearer token"},
    404: {"model": Problem, "description": "not found"},
    422: {"model": InvalidInput, "description": "answers the questionnaire does not accept, or a malformed request"},
}


def api_router(web: WebContext) -> APIRouter:
    router = APIRouter(tags=["advice"])

    def out(opened: Opened) -> SessionOut:
        advice, snapshot = opened.session, opened.session.snapshot()
        return SessionOut(
            token=web.signer.sign(opened.record.id, "api"), resume_code=opened.record.resume_code,
            questionnaire_id=advice.questionnaire.id, locale=advice.locale, answers=dict(snapshot.answers),
            next_step=advice.state.current, complete=advice.complete,
            critiques=[dict(item) for item in snapshot.critiques], viewed=list(snapshot.viewed),
            compared=list(snapshot.compared), dropped=list(advice.dropped),
        )  # fmt: skip

    def session_for(authorization: str | None) -> Opened:
        scheme, _, token = (authorization or "").partition(" ")
        session_id = web.signer.unsign(token.strip(), "api") if scheme.lower() == "bearer" else None
        opened = web.open(session_id)
        if opened is None:
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing, wrong or expired session token")
        return opened

    def change(authorization: str | None, command: Callable[[AdviceSession], None]) -> SessionOut:
        """Apply one command to the stored session and write it (422 with the reason when it does not fit)."""
        opened = session_for(authorization)
        try:
            command(opened.session)
        except (InvalidAnswer, SessionError) as error:
            raise HTTPException(422, str(error)) from None
        web.save(opened)
        return out(opened)

    @router.get("/questionnaires", response_model=list[QuestionnaireOut])
    def questionnaires(locale: str = "de") -> list[QuestionnaireOut]:
        """The questionnaires offered here."""
        return [
            QuestionnaireOut(id=q.id, title=pick(q.title, locale), category=q.category, locales=list(q.locales))
            for q in sorted(web.offered().values(), key=lambda q: q.id)
        ]

    @router.get("/questionnaires/{questionnaire_id}", response_model=QuestionnaireDetail, responses=ERRORS)
    def questionnaire(questionnaire_id: str, locale: str = "de") -> QuestionnaireDetail:
        """A questionnaire's steps and options, to ask them in another channel."""
        found = web.offered().get(questionnaire_id)
        if found is None:
            raise HTTPException(404, f"no questionnaire {questionnaire_id!r}")
        steps = [
            StepOut(
                id=step.id,
                kind=step.kind,
                question=pick(step.question, locale),
                help=pick(step.help, locale) if step.help else "",
                options=[OptionOut(id=option.id, label=pick(option.label, locale)) for option in step.options],
                dont_care=step.dont_care,
                min=step.min,
                max=step.max,
                unit=step.unit,
            )  # fmt: skip
            for step in found.steps
        ]
        return QuestionnaireDetail(
            id=found.id, title=pick(found.title, locale), category=found.category, locales=list(found.locales),
            steps=steps,
        )  # fmt: skip

    @router.post("/sessions", response_model=SessionOut, status_code=201, responses={**ERRORS, 429: {"model": Problem}})
    def create(body: NewSession, request: Request) -> SessionOut:
        """Start an advice session (optionally with answers); its resume code opens it at a kiosk or console.

        The session is stored at once: its token and resume code name the stored session, for the calls that follow
        and for a kiosk or console. One created without answers is counted per client (429 with Retry-After beyond
        the budget); send the first answers with it and it is not.
        """
        questionnaire = web.offered().get(body.questionnaire_id)
        if questionnaire is None:
            raise HTTPException(404, f"no questionnaire {body.questionnaire_id!r}")
        if body.locale not in LOCALES or body.locale not in questionnaire.locales:
            raise HTTPException(422, f"locale must be one of {', '.join(questionnaire.locales)}")
        opened = web.start(questionnaire, body.locale)
        try:
            opened.session.set_answers(body.answers)
        except (InvalidAnswer, SessionError) as error:
            raise HTTPException(422, str(error)) from None
        if not opened.session.state.answers:  # nothing answered: stored all the same (the token names the row)
            client = budget_client_of(request, web.config.web.store_networks)
            wait = limits.spend(web.engine, limits.key("api-sessions", client), limits.EMPTY_API_SESSIONS_PER_CLIENT)
            if wait is not None:
                detail = "too many sessions without answers from this client; send the first answers with the session"
                raise HTTPException(429, detail, headers={"Retry-After": str(wait)})
        return out(web.store_now(opened))  # stored only once its answers were accepted: a refusal leaves no row

    @router.post("/sessions/resume", response_model=SessionOut, responses={**ERRORS, 429: {"model": Problem}})
    def resume(body: ResumeCode, request: Request) -> SessionOut:
        """Open a session by its resume code (rate-limited per client)."""
        try:
            stored = open_by_code(web.engine, body.code, client=client_of(request))
        except TooManyAttempts as error:
            raise HTTPException(429, str(error), headers={"Retry-After": str(error.seconds)}) from None
        except (InvalidCode, HandoffError) as error:
            raise HTTPException(404, str(error)) from None
        opened = web.open(stored.id)
        if opened is None:
            raise HTTPException(404, "this advice session cannot be continued here (its questionnaire is not offered)")
        return out(opened)

    @router.get("/session", response_model=SessionOut, responses=ERRORS)
    def read(authorization: str | None = Header(default=None)) -> SessionOut:
        """The session's answers and the next step."""
        return out(session_for(authorization))

    @router.put("/session/answers", response_model=SessionOut, responses=ERRORS)
    def answer(body: Answers, authorization: str | None = Header(default=None)) -> SessionOut:
        """Give or change answers; answers that no longer fit the path are dropped."""
        return change(authorization, lambda advice: advice.set_answers(body.answers))

    @router.post("/session/critiques", response_model=SessionOut, responses=ERRORS)
    def critique(body: CritiqueKey, authorization: str | None = Header(default=None)) -> SessionOut:
        """Choose a critique the recommendation offers ("like the first, but lighter")."""
        return change(authorization, lambda advice: advice.critique(body.key))

    @router.delete("/session/critiques", response_model=SessionOut, responses=ERRORS)
    def clear_critiques(authorization: str | None = Header(default=None)) -> SessionOut:
        """Drop the chosen critiques."""
        return change(authorization, lambda advice: advice.clear_critiques())

    @router.post("/session/relaxations", response_model=SessionOut, responses=ERRORS)
    def relax(body: RelaxationKeys, authorization: str | None = Header(default=None)) -> SessionOut:
        """Take a relaxation the recommendation offers (when nothing or too little fits)."""
        return change(authorization, lambda advice: advice.relax(body.keys))

    @router.post("/session/viewed", response_model=SessionOut, responses=ERRORS)
    def viewed(body: ProductSku, authorization: str | None = Header(default=None)) -> SessionOut:
        """The shopper opened a product (staff see it in the case)."""
        return change(authorization, lambda advice: advice.view(body.sku))

    @router.put("/session/compared", response_model=SessionOut, responses=ERRORS)
    def compared(body: ProductSkus, authorization: str | None = Header(default=None)) -> SessionOut:
        """The products side by side (at most three), in order."""

        def compare(advice: AdviceSession) -> None:
            for sku in list(advice.compared):
                advice.compare(sku, on=False)
            for sku in body.skus:
                advice.compare(sku)

        return change(authorization, compare)

    @router.get("/session/recommendation", responses=ERRORS)
    def recommendation(authorization: str | None = Header(default=None)) -> dict[str, Any]:
        """Products with reasons and trade-offs, relaxations and critiques, as the kiosk shows them.

        A service flow (help with the shopper's own product, `"kind": "service"`) recommends no products: its
        outcomes for the answers and the product come instead, in order, each with its id, kind (guide, parts,
        repair, warranty or person) and title.
        """
        opened = session_for(authorization)
        advice = opened.session
        if advice.questionnaire.is_service:
            applied = advice.outcomes()
            web.save(opened)
            return {
                "kind": "service", "questionnaire_id": advice.questionnaire.id, "product": advice.product,
                "complete": advice.complete,
                "outcomes": [{"id": item.id, "kind": item.kind, "title": pick(item.outcome.title, advice.locale)}
                             for item in applied],
            }  # fmt: skip
        if advice.index is None:
            raise HTTPException(404, f"the catalog has no category {advice.questionnaire.category!r}")
        web.shelf(opened)  # (read only when the questionnaire's filter or order reads stock)
        result = advice.recommendation()
        web.save(opened)
        return recommendation_json(advice.questionnaire, advice.state, result, advice.locale)

    @router.post("/session/phone-link", response_model=PhoneLink, responses=ERRORS)
    def phone_link(authorization: str | None = Header(default=None)) -> PhoneLink:
        """A one-time link (five minutes) that opens the session in a phone's browser."""
        opened = session_for(authorization)
        token = issue_token(
            web.engine, opened.record.id, by="api"
        )  # (it asks before it opens: a link anyone could send)
        return PhoneLink(url=web.url(f"/c/{token}"), expires_in_seconds=int(TOKEN_LIFETIME.total_seconds()))

    return router
