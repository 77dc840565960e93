"""The one insights subscriber: a session's domain events become the anonymous event log, the same on every
channel (the channel and store come from the event log the surface opened)."""

from __future__ import annotations

from typing import Any

from advisor.insights.events import EventLog
from advisor.insights.service import service_event_fields
from advisor.session import events as ev
from advisor.session.service import AdviceSession


def event_fields(event: ev.DomainEvent) -> dict[str, Any]:
    """The step, value and number an event is logged with (ids and numbers only)."""
    match event:
        case ev.StepShown(step_id=step_id) | ev.WentBack(step_id=step_id) | ev.Abandoned(step_id=step_id):
            return {"step_id": step_id}
        case ev.StepAnswered(step_id=step_id, value=value):
            return {"step_id": step_id, "value": value}
        case ev.ResultsShown(count=count, skus=skus):
            return {"number": count, "value": list(skus)}
        case ev.Completed(count=count):
            return {"number": count}
        case ev.RelaxationOffered(drop=drop, count=count) | ev.RelaxationApplied(drop=drop, count=count):
            return {"value": list(drop), "number": count}
        case ev.CritiqueUsed(key=key, count=count):
            return {"value": key, "number": count}
        case ev.ProductViewed(sku=sku):
            return {"value": sku}
        case ev.HandoffRequested(handoff=handoff):
            return {"value": handoff}
        case ev.Rated(grade=grade, scale=scale, about=about):
            return {"value": {"scale": scale, "about": about}, "number": float(grade)}
    return {}


class EventLogger:
    """Subscribes to advice sessions and records their events; the advice never waits for it."""

    def __init__(self, log: EventLog) -> None:
        self.log = log

    def __call__(self, session: AdviceSession, event: ev.DomainEvent) -> None:
        if not event.kind or not session.run:
            return
        if isinstance(event, ev.ServiceShown):
            fields = service_event_fields(
                flow=session.questionnaire, answers=session.state.answers, outcomes=event.outcomes, sku=event.sku
            )
        else:
            fields = event_fields(event)
        self.log.record(
            event.kind, run=session.run, questionnaire_id=session.questionnaire.id,
            questionnaire_version=session.questionnaire.version, **fields,
        )  # fmt: skip
