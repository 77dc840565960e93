"""The insights report as HTML, from the same templates as every other take-away."""

from __future__ import annotations

from advisor.i18n import number, text
from advisor.insights.report import (
    WITHDRAWN_WITHIN_S,
    Report,
    changed_text,
    counted,
    lead_text,
    numeral,
    percent,
    seconds,
)
from advisor.rendering.summary import environment


def render_report(report: Report) -> str:
    """The self-contained HTML report (bar tables drawn with CSS, no scripts, nothing loaded from elsewhere)."""
    return (
        environment()
        .get_template("report/report.html")
        .render(
            r=report,
            num=lambda value: number(value, report.locale),
            percent=percent,
            seconds=seconds,
            counted=counted,
            changed=changed_text,
            within=numeral(WITHDRAWN_WITHIN_S, report.locale),
            lead=lambda hours: lead_text(hours, report.locale),
            service=lambda key, **params: text(f"report.service.{key}", report.locale, **params),
        )
    )
