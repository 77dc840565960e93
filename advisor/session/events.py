"""What happened in an advice session, as frozen domain events.

The session emits them after each command; subscribers decide what to do with them (the insights subscriber
turns them into the anonymous event log, the kiosk into a repaint). `kind` is the event log's name for the event,
or "" for events the log does not keep.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class DomainEvent:
    """Base of all session events."""

    kind: ClassVar[str] = ""


@dataclass(frozen=True)
class Started(DomainEvent):
    kind: ClassVar[str] = "started"


@dataclass(frozen=True)
class StepShown(DomainEvent):
    kind: ClassVar[str] = "step_shown"
    step_id: str


@dataclass(frozen=True)
class StepAnswered(DomainEvent):
    kind: ClassVar[str] = "step_answered"
    step_id: str
    value: Any  # option ids (a list for several), a number, yes/no or "dont_care"


@dataclass(frozen=True)
class WentBack(DomainEvent):
    kind: ClassVar[str] = "back"
    step_id: str | None


@dataclass(frozen=True)
class ResultsShown(DomainEvent):
    kind: ClassVar[str] = "results_shown"
    count: int
    skus: tuple[str, ...]


@dataclass(frozen=True)
class Completed(DomainEvent):
    """The shopper reached the results for the first time in this run."""

    kind: ClassVar[str] = "completed"
    count: int


@dataclass(frozen=True)
class RelaxationOffered(DomainEvent):
    kind: ClassVar[str] = "relaxation_offered"
    drop: tuple[str, ...]
    count: int


@dataclass(frozen=True)
class RelaxationApplied(DomainEvent):
    kind: ClassVar[str] = "relaxation_applied"
    drop: tuple[str, ...]
    count: int


@dataclass(frozen=True)
class CritiqueUsed(DomainEvent):
    kind: ClassVar[str] = "critique_used"
    key: str
    count: int


@dataclass(frozen=True)
class CritiquesCleared(DomainEvent):
    pass


@dataclass(frozen=True)
class ProductViewed(DomainEvent):
    kind: ClassVar[str] = "product_viewed"
    sku: str


@dataclass(frozen=True)
class ComparisonChanged(DomainEvent):
    skus: tuple[str, ...]


@dataclass(frozen=True)
class LocaleChanged(DomainEvent):
    locale: str


@dataclass(frozen=True)
class HandoffRequested(DomainEvent):
    kind: ClassVar[str] = "handoff_requested"
    handoff: str  # consultant, chat, phone or summary


@dataclass(frozen=True)
class ProductNamed(DomainEvent):
    """A service run's product, the shopper's own, was named ("" when it was forgotten)."""

    sku: str


@dataclass(frozen=True)
class ServiceShown(DomainEvent):
    """A service run showed its outcomes (the end of a service flow): their ids and kinds, in order."""

    kind: ClassVar[str] = "service_outcomes"
    outcomes: tuple[tuple[str, str], ...]
    sku: str | None


@dataclass(frozen=True)
class Rated(DomainEvent):
    kind: ClassVar[str] = "feedback"
    grade: int
    scale: str
    about: str  # the advice or the contact


@dataclass(frozen=True)
class Abandoned(DomainEvent):
    """The shopper left before the results, and the session was not taken elsewhere."""

    kind: ClassVar[str] = "abandoned"
    step_id: str | None


@dataclass(frozen=True)
class Rebased(DomainEvent):
    """Another device changed the stored session; this one now shows the merged result."""

    dropped: tuple[str, ...] = ()
