"""The insights report as HTML, from the same templates as every other take-away."""

from __future__ import annotations

from typing import Any

from advisor.i18n import number
from advisor.insights.report import WITHDRAWN_WITHIN_S, Report, counted, lead_text, numeral, percent, seconds
from advisor.rendering.summary import environment

# The service section's words (advisor.insights.service gives its figures and the resolutions' names).
SERVICE_TEXTS: dict[str, dict[str, str]] = {
    "title": {"de": "Service: Probleme und wie sie gelöst wurden", "en": "Service: problems and how they were solved"},
    "runs": {"de": "Service-Beratungen", "en": "Service consultations"},
    "runs_base": {"de": "im Zeitraum, jede einmal gezählt", "en": "in the period, each counted once"},
    "flow_base": {"de": "Service-Beratungen mit diesem Fragebogen",
                  "en": "service consultations with this questionnaire"},
    "none": {"de": "Keine Service-Beratung in diesem Zeitraum.", "en": "No service consultation in this period."},
    "family": {"de": "{family}: häufigste Probleme (Beratungen)",
               "en": "{family}: most frequent problems (consultations)"},
    "solved": {"de": "So wurde gelöst (Beratungen, Anteil)", "en": "How it was solved (consultations, share)"},
    "products": {"de": "Produkte mit den meisten Problemen", "en": "Products with the most problems"},
    "product": {"de": "Produkt", "en": "Product"},
    "problems": {"de": "Probleme (Beratungen)", "en": "Problems (consultations)"},
    "note": {
        "de": "So wird gezählt: Eine Service-Beratung zählt einmal, mit den Lösungen, die ihr zuletzt gezeigt wurden. "
              "Das Problem ist die Antwort auf die Frage nach dem Problem (bei Mehrfachauswahl jede gewählte Antwort). "
              "Wie es gelöst wurde, sagt die erste gezeigte Lösung: eine Anleitung zählt als Selbsthilfe, eine "
              "Reparatur und ein Gewährleistungsfall zählen beide als Reparatur (das Geschäft sieht sich das Produkt "
              "an). Produkte erscheinen nur, wenn der Kunde sein Produkt genannt hat.",
        "en": "How it is counted: a service consultation counts once, with the outcomes it was shown last. The "
              "problem is the answer to the question about the problem (each option chosen, for a multiple choice). "
              "How it was solved follows the first outcome shown: a guide counts as self-help, a repair and a "
              "warranty claim both count as a repair (the store looks at the product either way). Products appear "
              "only when the shopper named theirs.",
    },
}  # fmt: skip


def service_text(key: str, locale: str, **params: Any) -> str:
    """One of the service section's words in the report's language."""
    message = SERVICE_TEXTS[key]
    chosen = message.get(locale) or message["en"]
    return chosen.format(**params) if params else chosen


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
            within=numeral(WITHDRAWN_WITHIN_S, report.locale),
            lead=lambda hours: lead_text(hours, report.locale),
            service=lambda key, **params: service_text(key, report.locale, **params),
        )
    )
