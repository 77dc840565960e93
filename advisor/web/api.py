"""The JSON API: a shop website or a chat bot starts, answers, resumes and reads advice sessions.

A session is addressed by a bearer token (a signed session id) returned when it is created or resumed, so no
session data travels in URLs. FastAPI publishes the OpenAPI document at /api/openapi.json.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Header, HTTPException, Request, status
from pydantic import BaseModel, Field

from advisor import engine as flow
from advisor.handoff import requests as handoff
from advisor.handoff.codes import InvalidCode, TooManyAttempts
from advisor.handoff.tokens import TOKEN_LIFETIME, issue_token
from advisor.i18n import LOCALES, pick
from advisor.recommend.render import recommendation_json
from advisor.web.advice import Advice, AdviceError

if TYPE_CHECKING:
    from advisor.web.app import WebContext


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


class SessionOut(BaseModel):
    token: str = Field(description="send as 'Authorization: Bearer <token>'")
    resume_code: str
    questionnaire_id: str
    locale: str
    answers: dict[str, Any]
    next_step: str | None = Field(description="the step to ask next; null when the results are ready")
    complete: bool


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


def _plain(answers: Any) -> dict[str, Any]:
    return {key: list(value) if isinstance(value, tuple) else value for key, value in answers.items()}


def api_router(web: WebContext) -> APIRouter:
    router = APIRouter(tags=["advice"])

    def out(advice: Advice) -> SessionOut:
        return SessionOut(
            token=web.signer.sign(advice.stored.id, "api"), resume_code=advice.stored.resume_code,
            questionnaire_id=advice.questionnaire.id, locale=advice.locale, answers=_plain(advice.state.answers),
            next_step=advice.state.current, complete=advice.state.current is None,
        )  # fmt: skip

    def session_for(authorization: str | None) -> Advice:
        scheme, _, token = (authorization or "").partition(" ")
        session_id = web.signer.unsign(token.strip(), "api") if scheme.lower() == "bearer" else None
        stored = handoff.session_of(web.engine, session_id) if session_id else None
        if stored is None:
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing, wrong or expired session token")
        try:
            return Advice.of(stored, web.questionnaires())
        except AdviceError as error:
            raise HTTPException(status.HTTP_404_NOT_FOUND, str(error)) from None

    def apply(advice: Advice, answers: dict[str, Any]) -> None:
        merged = dict(advice.state.answers)
        for step_id, value in answers.items():
            if step_id not in advice.questionnaire.positions:
                raise HTTPException(422, f"the questionnaire has no step {step_id!r}")
            try:
                merged[step_id] = flow.check_answer(
                    advice.questionnaire.step(step_id), tuple(value) if isinstance(value, list) else value
                )
            except (flow.InvalidAnswer, TypeError) as error:
                raise HTTPException(422, str(error)) from None
        placed = flow.with_answers(advice.questionnaire, advice.state, merged)
        advice.state = flow.SessionState(
            placed.questionnaire_id, placed.answers, flow.first_unanswered(advice.questionnaire, placed.answers)
        )

    @router.get("/questionnaires", response_model=list[QuestionnaireOut])
    def questionnaires(locale: str = "de") -> list[QuestionnaireOut]:
        """The questionnaires offered here."""
        return [
            QuestionnaireOut(id=q.id, title=pick(q.title, locale), category=q.category, locales=list(q.locales))
            for q in sorted(web.questionnaires().values(), key=lambda q: q.id)
        ]

    @router.get("/questionnaires/{questionnaire_id}", response_model=QuestionnaireDetail, responses=ERRORS)
    def questionnaire(questionnaire_id: str, locale: str = "de") -> QuestionnaireDetail:
        """A questionnaire's steps and options, to ask them in another channel."""
        found = web.questionnaires().get(questionnaire_id)
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

    @router.post("/sessions", response_model=SessionOut, status_code=201, responses=ERRORS)
    def create(body: NewSession) -> SessionOut:
        """Start an advice session (optionally with answers); its resume code opens it at a kiosk or console."""
        questionnaire = web.questionnaires().get(body.questionnaire_id)
        if questionnaire is None:
            raise HTTPException(404, f"no questionnaire {body.questionnaire_id!r}")
        if body.locale not in LOCALES or body.locale not in questionnaire.locales:
            raise HTTPException(422, f"locale must be one of {', '.join(questionnaire.locales)}")
        stored = handoff.create_session(
            web.engine, questionnaire_id=questionnaire.id, questionnaire_version=questionnaire.version, answers={},
            locale=body.locale, store_id=web.config.store.id, origin="web",
            lifetime=timedelta(days=web.config.privacy.session_retention_days),
        )  # fmt: skip
        advice = Advice.of(stored, web.questionnaires())
        apply(advice, body.answers)
        advice.save(web.engine)
        return out(advice)

    @router.post("/sessions/resume", response_model=SessionOut, responses={**ERRORS, 429: {"model": Problem}})
    def resume(body: ResumeCode, request: Request) -> SessionOut:
        """Open a session by its resume code (rate-limited per client)."""
        client = request.client.host if request.client else "unknown"
        try:
            with web.lock:
                stored = handoff.open_by_code(web.engine, body.code, client=f"api:{client}", limiter=web.limiter)
        except TooManyAttempts as error:
            raise HTTPException(429, str(error), headers={"Retry-After": str(error.seconds)}) from None
        except (InvalidCode, handoff.HandoffError) as error:
            raise HTTPException(404, str(error)) from None
        try:
            return out(Advice.of(stored, web.questionnaires()))
        except AdviceError as error:
            raise HTTPException(404, str(error)) from None

    @router.get("/session", response_model=SessionOut, responses=ERRORS)
    def read(authorization: str | None = Header(default=None)) -> SessionOut:
        """The session's answers and the next step."""
        return out(session_for(authorization))

    @router.put("/session/answers", response_model=SessionOut, responses=ERRORS)
    def answer(body: Answers, authorization: str | None = Header(default=None)) -> SessionOut:
        """Give or change answers; answers that no longer fit the path are dropped."""
        advice = session_for(authorization)
        apply(advice, body.answers)
        advice.save(web.engine)
        return out(advice)

    @router.get("/session/recommendation", responses=ERRORS)
    def recommendation(authorization: str | None = Header(default=None)) -> dict[str, Any]:
        """Products with reasons and trade-offs, relaxations and critiques, as the kiosk shows them."""
        advice = session_for(authorization)
        try:
            index = web.index_for(advice.questionnaire)
        except AdviceError as error:
            raise HTTPException(404, str(error)) from None
        return recommendation_json(advice.questionnaire, advice.state, advice.recommend(index), advice.locale)

    @router.post("/session/phone-link", response_model=PhoneLink, responses=ERRORS)
    def phone_link(authorization: str | None = Header(default=None)) -> PhoneLink:
        """A one-time link (five minutes) that opens the session in a phone's browser."""
        advice = session_for(authorization)
        token = issue_token(web.engine, advice.stored.id)
        return PhoneLink(url=web.url(f"/c/{token}"), expires_in_seconds=int(TOKEN_LIFETIME.total_seconds()))

    return router
