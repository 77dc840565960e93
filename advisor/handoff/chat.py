"""The chat of a handoff request and the staff's notes on it (texts are never logged)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from advisor.db.prepared import reading
from advisor.handoff.model import ChatMessage
from advisor.handoff.notify import notify
from advisor.handoff.requests import (
    OPEN_STATES,
    REQUEST,
    WEB,
    Action,
    HandoffError,
    InTransaction,
    State,
    channel_of,
    taken_over,
    transition,
)
from advisor.i18n import MESSAGES
from advisor.i18n import text as message_text

CHAT = ChatMessage.__table__  # type: ignore[attr-defined]

MAX_MESSAGE = 1000
MAX_NOTES = 4000
SENDERS = ("shopper", "staff")  # who may post a line
SYSTEM = "system"  # a line nobody typed: what happened to the request (the shopper left the kiosk)
SHOPPER_LEFT = "talk.shopper_left"


@dataclass(frozen=True)
class Message:
    """A chat line as shown: who wrote it and when."""

    id: int
    sender: str
    author: str | None
    text: str
    sent_at: datetime

    def shown(self, locale: str) -> str:
        """The line as a screen in `locale` shows it (a system line is stored as a message key)."""
        if self.sender == SYSTEM and self.text in MESSAGES:
            return message_text(self.text, locale, staff=self.author or "")  # ("Ben has taken over": its author)
        return self.text


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes: they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def post_message(
    engine: Engine, request_id: int, *, sender: str, text: str, author: str | None = None, now: datetime | None = None
) -> int:
    """Add a chat line to an open request."""
    body = text.strip()
    if sender not in SENDERS:
        raise HandoffError(f"unknown sender {sender!r}")
    if not body:
        raise HandoffError("an empty message is not sent")
    if len(body) > MAX_MESSAGE:
        raise HandoffError(f"a message has at most {MAX_MESSAGE} characters", reason="too_long")
    with engine.begin() as connection:
        found = connection.execute(
            sa.select(REQUEST.c.state, REQUEST.c.claimed_by).where(REQUEST.c.id == request_id)
        ).first()
        state = found.state if found is not None else None
        if state not in OPEN_STATES:
            raise HandoffError(f"request {request_id} is {state or 'unknown'}: the chat is over", reason="chat_over")
        if sender == "staff" and found is not None:  # (a line kept through an outage, after a colleague took over)
            taken_over(request_id, state, found.claimed_by, author)
        result = connection.execute(
            CHAT.insert().values(
                request_id=request_id, sender=sender, author=author, text=body, sent_at=now or datetime.now(UTC)
            )
        )
        notify(connection, str(request_id))
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])


def shopper_left(
    engine: Engine, request_id: int, *, now: datetime | None = None, in_transaction: InTransaction | None = None
) -> bool:
    """The shopper walked away from the kiosk while staff were coming or chatting: the request is cancelled and its
    chat says so (a system line), in one transaction. False when the request had ended already, or goes on on the
    shopper's phone (they took it there with the kiosk's QR code): nothing changes."""
    if channel_of(engine, request_id) == WEB:
        return False
    moment = now or datetime.now(UTC)
    line = SHOPPER_LEFT  # stored as the message's key: each screen says it in its own language

    def say_so(connection: Connection, cancelled: int, _state: State) -> None:
        connection.execute(CHAT.insert().values(request_id=cancelled, sender=SYSTEM, text=line, sent_at=moment))
        if in_transaction is not None:
            in_transaction(connection, cancelled, _state)

    try:
        transition(engine, request_id, Action.CANCEL, now=moment, in_transaction=say_so)
    except HandoffError:
        return False
    return True


def messages(engine: Engine, request_id: int) -> list[Message]:
    """The chat of a request, in order."""
    query = sa.select(CHAT).where(CHAT.c.request_id == request_id).order_by(CHAT.c.id)
    with reading(engine) as connection:
        return [
            Message(row.id, row.sender, row.author, row.text, _aware(row.sent_at)) for row in connection.execute(query)
        ]


@dataclass(frozen=True)
class SavedNotes:
    """Notes as stored, and the end of this console's words that a merge with a colleague's had no room for (""
    when all of it is in): said to staff, never dropped without a word."""

    notes: str
    cut: str = ""


def save_notes(engine: Engine, request_id: int, notes: str, *, base: str | None = None) -> SavedNotes:
    """Staff notes on a case (not shown to the shopper; deleted with the session, HandoffError "gone" after it). A
    pasted tab is kept as a space (Tab moves on in the console's notes field; a tab character would only shift the
    notes' columns). With `base`, the notes as this console last read or stored them, nothing a colleague wrote
    meanwhile is lost: the notes stored now are `merged_notes` of both (within MAX_NOTES: what did not fit is
    returned as `cut`)."""
    if len(notes) > MAX_NOTES:
        raise HandoffError(f"notes have at most {MAX_NOTES} characters")
    mine = notes.replace("\t", " ")
    stored_notes = sa.func.coalesce(REQUEST.c.notes, "")
    with engine.begin() as connection:
        while True:  # compare and swap: again only when a colleague's notes were stored in between
            stored = connection.execute(sa.select(stored_notes).where(REQUEST.c.id == request_id)).first()
            if stored is None:  # deleted meanwhile: with its session (a customer's erasure, the purge)
                raise HandoffError(f"request {request_id} is unknown: its notes are not kept", reason="gone")
            now_stored = str(stored[0])
            whole = mine if base is None else joined_notes(base, now_stored, mine)
            kept = whole[:MAX_NOTES]
            swapped = connection.execute(
                REQUEST.update().where(REQUEST.c.id == request_id, stored_notes == now_stored).values(notes=kept)
            ).rowcount
            if swapped:
                return SavedNotes(kept, whole[MAX_NOTES:])


def merged_notes(base: str, stored: str, mine: str) -> str:
    """`joined_notes` within MAX_NOTES characters (the colleague's first)."""
    return joined_notes(base, stored, mine)[:MAX_NOTES]


def joined_notes(base: str, stored: str, mine: str) -> str:
    """Notes written on `base` at this console, while the database holds `stored` (a colleague's notes, if they
    differ from `base`): both kept. Each appended (the usual case): the stored notes and then this console's
    addition; else the stored notes, a blank line, this console's."""
    if stored in (base, mine) or mine.startswith(stored):
        return mine
    if mine == base or stored.startswith(mine):
        return stored
    if stored.startswith(base) and mine.startswith(base):
        added = mine[len(base) :]  # (on a line of its own, unless it goes on the colleague's: ", Kasse 2")
        apart = "" if stored.endswith(("\n", " ")) or added.startswith(("\n", " ", ",", ".", ";")) else "\n"
        return stored + apart + added
    return f"{stored}\n\n{mine}"


def rebased_notes(typed: str, sent: str, stored: str) -> str:
    """What a console shows after its notes `sent` were stored as `stored` (merged with a colleague's) while it has
    `typed` on screen: typed on at the end meanwhile, the merged notes with the rest; else `merged_notes`. At most
    MAX_NOTES characters."""
    if typed == sent:
        return stored
    return (stored + typed[len(sent) :])[:MAX_NOTES] if typed.startswith(sent) else merged_notes(sent, stored, typed)


def notes_of(engine: Engine, request_id: int) -> str:
    with reading(engine) as connection:
        return str(connection.execute(sa.select(REQUEST.c.notes).where(REQUEST.c.id == request_id)).scalar() or "")
