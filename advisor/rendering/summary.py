"""The take-away summary: one set of Jinja2 templates for the web page, the kiosk's print/PDF and the e-mail."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import jinja2

from advisor.engine import SessionState, path_of
from advisor.handoff.codes import shown
from advisor.i18n import counted, day_text, pick, text
from advisor.questionnaire.model import Questionnaire
from advisor.recommend.core import Recommendation, answered
from advisor.recommend.explain import decide
from advisor.recommend.index import CategoryIndex, VariantInfo
from advisor.rendering.facts import ProductFacts, product_facts

TEMPLATES = Path(__file__).resolve().parent / "templates"
KINDS = {"print": "summary/print.html", "email_html": "summary/email.html", "email_text": "summary/email.txt"}


@cache
def environment() -> jinja2.Environment:
    """The one template environment: HTML is autoescaped everywhere (product text with markup shows as text)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # the templates ship with the program: no look at their files on every page
    )
    env.globals["text"] = text
    return env


class BookedAppointment(Protocol):
    """An advice's booked appointment as its summary names it (agenda.Entry, the kiosk's Booked): its start on the
    store's clock, its consultant and what is set aside for it."""

    @property
    def starts_at(self) -> datetime: ...

    @property
    def staff_name(self) -> str: ...

    @property
    def held(self) -> Sequence[object]: ...


def appointment_line(appointment: BookedAppointment, locale: str, address: str) -> str:
    """The summary's line naming the appointment its products are held for: "Your appointment: Monday, 7 Dec 2026,
    14:30 with Anna – the products are held for it." (the day and time on the store's clock, as the booking said)."""
    starts = appointment.starts_at
    when = text("web.appointment.when", locale, address, day=day_text(starts, locale, year=True),
                time=f"{starts:%H:%M}", staff=appointment.staff_name)  # fmt: skip
    if not appointment.held:
        return text("web.appointments.yours", locale, address, when=when)
    return counted("summary.appointment", len(appointment.held), locale, address, when=when)


@dataclass(frozen=True)
class SummaryItem:
    """A recommended product in the summary: its facts and why it fits."""

    facts: ProductFacts
    reasons: tuple[str, ...]
    tradeoffs: tuple[str, ...]


@dataclass(frozen=True)
class Summary:
    """What a shopper takes home: answers, recommendations with facts, where to find them, the resume code. Headed
    by what the shopper came for ("Deine Beratung: Zelt"), not by the questionnaire's name ("Zeltberater")."""

    locale: str
    address: str
    title: str
    store_name: str
    created: datetime
    answers: tuple[tuple[str, str], ...]
    items: tuple[SummaryItem, ...]  # as the results showed them: the top pick, then the alternatives group by group
    count: int  # how many products fit (the results show the best few)
    resume_code: str | None
    continue_url: str | None
    appointment: str = ""  # the advice's booked appointment, and that its products are held for it (appointment_line)

    def t(self, key: str, **params: Any) -> str:
        return text(key, self.locale, self.address, **params)

    @property
    def products_title(self) -> str:
        """The recommendations' heading, saying how many it lists of how many fit, as the results do ("Unsere
        Empfehlungen für dich: die besten 5 von 9"); just the count when it lists all of them."""
        listed = len(self.items)
        if 0 < listed < self.count:
            key = "summary.products_best_of" if listed > 1 else "summary.products_top_of"
            return self.t(key, shown=listed, count=self.count)
        return self.t("summary.products", count=self.count)

    @property
    def code(self) -> str:
        return shown(self.resume_code) if self.resume_code else ""

    @property
    def continue_link(self) -> str | None:
        """Where the e-mail's link leads: the resume page, where the shopper types the code the mail shows (no code
        in an address: nothing of a session travels in a URL but the one-time token); None where `continue_url` is
        no web address to link to (the kiosk's print shows it without "https://", as people type it)."""
        if not (self.resume_code and self.continue_url and self.continue_url.startswith(("https://", "http://"))):
            return None
        return self.continue_url

    @property
    def date(self) -> str:
        return day_text(self.created, self.locale, weekday=None, year=True)


def answer_lines(
    questionnaire: Questionnaire, answers: Mapping[str, Any], locale: str, given: Mapping[str, Any] | None = None
) -> tuple[tuple[str, str], ...]:
    """Each answered step on the path as (question, answer), in the order asked (`given`: answers the shopper had
    before dropping a wish so that something fits, AdviceSession.given)."""
    return tuple(
        (
            pick(questionnaire.step(step_id).question, locale),
            answered(
                questionnaire.step(step_id),
                answers[step_id],
                locale,
                (given or {}).get(step_id),
                service=questionnaire.is_service,
            ),
        )
        for step_id in path_of(questionnaire, answers)
        if step_id in answers
    )


def build_summary(
    *,
    questionnaire: Questionnaire,
    state: SessionState,
    recommendation: Recommendation,
    index: CategoryIndex,
    locale: str,
    created: datetime,
    store_id: str | None = None,
    store_name: str = "",
    resume_code: str | None = None,
    continue_url: str | None = None,
    fitting: Callable[[str], Sequence[VariantInfo]] | None = None,
    held: Mapping[str, int] | None = None,
    given: Mapping[str, Any] | None = None,
    appointment: BookedAppointment | None = None,
) -> Summary:
    """The take-away summary with each product's facts as the results show them: the price, specs and stock of
    its variants that fit (`fitting`, by sku: AdviceSession.fitting_variants), less what is `held` for
    appointments (booking.holds_of: what is held for this shopper said so); `given`: the answers behind wishes
    dropped (AdviceSession.given); `appointment`: the advice's booked appointment that has not ended (not a
    cancelled or past one), which the summary names as what its products are held for. The products come in the
    order the results showed them (the top pick, then the alternatives group by group: Decision.display_order), on
    the web, the kiosk's print and screen and the e-mail."""
    address = questionnaire.address.get(locale, "du")
    decision = decide(result=recommendation, index=index, questionnaire=questionnaire, answers=state.answers)
    rank = {sku: position for position, sku in enumerate(decision.display_order())}
    ordered = sorted(recommendation.products, key=lambda item: rank.get(item.sku, len(rank)))
    items = tuple(
        SummaryItem(
            product_facts(
                index, item.product, locale, store_id, fitting(item.product.sku) if fitting else None, held, address
            ),
            tuple(reason.text for reason in item.reasons),
            tuple(tradeoff.text for tradeoff in item.tradeoffs),
        )
        for item in ordered
    )
    return Summary(
        locale=locale,
        address=address,
        title=pick(index.category.one or index.category.label, locale),
        store_name=store_name,
        created=created,
        answers=answer_lines(questionnaire, state.answers, locale, given),
        items=items,
        count=recommendation.count,
        resume_code=resume_code,
        continue_url=continue_url,
        appointment=appointment_line(appointment, locale, address) if appointment is not None else "",
    )


@dataclass(frozen=True)
class ScreenLook:
    """The print summary as the kiosk's screen shows it to read there: its text size in px (the paper's is 10pt)
    and its colours (the accessibility mode's larger, high-contrast text)."""

    size: int
    text: str
    title: str
    muted: str


def render_summary(summary: Summary, kind: str, screen: ScreenLook | None = None) -> str:
    """The summary as `print` (HTML for the kiosk's printer and PDF; with `screen`, the same on the kiosk's screen in
    that look), `email_html` (its resume address a link: `mail_link`) or `email_text`."""
    if kind not in KINDS:
        raise ValueError(f"unknown summary kind {kind!r}; known: {', '.join(KINDS)}")
    template = environment().get_template(KINDS[kind])
    return template.render(s=summary, t=summary.t, screen=screen, mail_link=kind == "email_html")
