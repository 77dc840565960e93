"""The insights report as HTML, from the same templates as every other take-away."""

from __future__ import annotations

from advisor.insights.report import Report
from advisor.rendering.summary import environment


def render_report(report: Report) -> str:
    """The self-contained HTML report (inline SVG charts, no scripts, nothing loaded from elsewhere)."""
    return environment().get_template("report/report.html").render(r=report)
