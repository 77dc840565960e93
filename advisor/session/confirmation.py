"""An appointment's confirmation e-mail, the same from every surface: the web companion, the kiosk and the console
queue it (with the `.ics`) when e-mail is set up and the shopper's contact is an e-mail address.

A request only queues it in the mail outbox (a table of the database); a server process's sender sends it
(advisor/web/outbox.py), so a slow or broken mail server never holds a page, the kiosk or the console.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from advisor.appointments import agenda, booking
from advisor.appointments.booking import Booking
from advisor.appointments.calendar import ics
from advisor.catalog.reads import store_name
from advisor.config import Config
from advisor.handoff.codes import shown
from advisor.handoff.model import MailOutbox
from advisor.handoff.sessions import session_of
from advisor.questionnaire.model import Questionnaire
from advisor.recommend.core import category_noun
from advisor.recommend.index import CategoryIndex
from advisor.rendering.mail import AppointmentMail, appointment_message, check_address, is_address, wire_bytes

OUTBOX = MailOutbox.__table__  # type: ignore[attr-defined]
DEFAULT_SENDER = "advice@localhost"


def enqueue(
    engine: Engine, *, message: bytes, address: str, session_id: str | None, locale: str, now: datetime | None = None
) -> int:
    """Queue a mail to the one `address` (checked when the message was made); due at once. Returns its id."""
    moment = now or datetime.now(UTC)
    with engine.begin() as connection:
        values = {
            "session_id": session_id, "address": address, "message": message, "locale": locale,
            "created_at": moment, "next_attempt_at": moment, "attempts": 0,
        }  # fmt: skip
        key = connection.execute(OUTBOX.insert().values(**values)).inserted_primary_key
        assert key is not None
        return int(key[0])


def appointment_mail(
    engine: Engine, config: Config, *, questionnaires: Mapping[str, Questionnaire],
    categories: Mapping[str, CategoryIndex], appointment_id: str, locale: str, reminder: bool,
    links: Mapping[str, str] | None = None, moved_from: datetime | None = None, cancelled: bool = False,
    handed_from: str = "",
) -> AppointmentMail | None:  # fmt: skip
    """What an appointment's confirmation (with its one-time `links`, on the web companion's public address) or
    reminder says, in the form of address of its advice (du unless the questionnaire says Sie); None when the
    appointment is gone."""
    found = agenda.entry(engine, appointment_id=appointment_id, zone=config.store.zone, locale=locale)
    if found is None:
        return None
    stored = session_of(engine, found.session_id) if found.session_id else None
    questionnaire = questionnaires.get(stored.questionnaire_id) if stored is not None else None
    index = categories.get(found.category_id)
    links = links or {}
    base = config.web.public_base_url
    return AppointmentMail(
        reminder=reminder, locale=locale,
        address=questionnaire.address.get(locale, "du") if questionnaire is not None else "du",
        store_name=store_name(engine, config.store.id, locale, config.store.name), name=found.name,
        category=category_noun(index, locale) if index is not None else found.category_id,
        staff_name=found.staff_name, starts_at=found.starts_at, ends_at=found.ends_at,
        resume_code=shown(stored.resume_code) if stored is not None else "",
        held=tuple(held.name for held in found.held),
        reschedule_url=f"{base}/appointment/reschedule/{links['reschedule']}" if "reschedule" in links else "",
        cancel_url=f"{base}/appointment/cancel/{links['cancel']}" if "cancel" in links else "",
        moved_from=moved_from.astimezone(config.store.zone) if moved_from is not None else None, cancelled=cancelled,
        handed_from=handed_from,
    )  # fmt: skip


def mails_to(config: Config, contact: str, mail_set_up: bool | None = None) -> bool:
    """Whether a message about an appointment goes to `contact` by e-mail: e-mail is set up (by default the
    configuration's [smtp]; the web companion counts its dry-run folder too) and the contact is an e-mail address.
    What staff are told before a cancellation follows the same rule."""
    return (config.smtp.enabled if mail_set_up is None else mail_set_up) and is_address(contact)


def confirm_by_mail(
    engine: Engine, config: Config, booked: Booking, *, session_id: str | None, locale: str, contact: str,
    questionnaires: Mapping[str, Questionnaire], categories: Mapping[str, CategoryIndex],
    mail_set_up: bool | None = None, moved_from: datetime | None = None, cancelled: bool = False,
    handed_from: str = "",
) -> bool:  # fmt: skip
    """Queue the confirmation of a booked (or moved from `moved_from`, or handed over from the consultant
    `handed_from`, or `cancelled`) appointment with the `.ics`
    when e-mail is set up (by default: the configuration's [smtp]; the web companion counts its dry-run folder too)
    and `contact` is an e-mail address. Returns whether a mail was queued."""
    if not mails_to(config, contact, mail_set_up):
        return False
    mail = appointment_mail(
        engine, config, questionnaires=questionnaires, categories=categories, appointment_id=booked.appointment_id,
        locale=locale, reminder=False, links=booked.links, moved_from=moved_from, cancelled=cancelled,
        handed_from=handed_from,
    )  # fmt: skip
    if mail is None:
        return False
    calendar = ics(
        appointment_id=booked.appointment_id, store_name=mail.store_name, category=mail.category,
        staff_name=booked.staff_name, starts_at=booked.starts_at, ends_at=booked.ends_at,
        timezone=config.store.timezone, resume_code=mail.resume_code, held=mail.held, locale=locale,
        address=mail.address, cancel_url=mail.cancel_url, reschedule_url=mail.reschedule_url or None,
        revision=booked.revision, cancelled=cancelled,
    )  # fmt: skip
    to = check_address(contact)
    message = appointment_message(mail, to=to, sender=config.smtp.sender or DEFAULT_SENDER, ics=calendar)
    enqueue(engine, message=wire_bytes(message), address=to, session_id=session_id, locale=locale)
    return True


def cancellation_by_mail(
    engine: Engine, config: Config, appointment_id: str, *, questionnaires: Mapping[str, Questionnaire],
    categories: Mapping[str, CategoryIndex], mail_set_up: bool | None = None,
) -> bool:  # fmt: skip
    """Queue the cancellation of an appointment with the cancelled `.ics` (its calendar drops the entry), in the
    language the shopper booked in, when they gave an e-mail address (and e-mail is set up, as `confirm_by_mail`).
    The same whoever cancelled: the shopper's link, their phone, or staff. Returns whether a mail was queued."""
    found = booking.details(engine, appointment_id=appointment_id)
    entry = agenda.entry(engine, appointment_id=appointment_id, zone=config.store.zone, locale=found.locale) if (
        found is not None) else None  # fmt: skip
    if found is None or entry is None:
        return False
    ended = Booking(
        appointment_id=appointment_id, staff_name=entry.staff_name, starts_at=entry.starts_at, ends_at=entry.ends_at,
        held=(), not_held=(), links={}, revision=found.revision,
    )  # fmt: skip
    return confirm_by_mail(
        engine, config, ended, session_id=entry.session_id, locale=found.locale, contact=entry.contact,
        questionnaires=questionnaires, categories=categories, mail_set_up=mail_set_up, cancelled=True,
    )  # fmt: skip


def handover_by_mail(
    engine: Engine, config: Config, handover: booking.Handover, *, handed_from: str,
    questionnaires: Mapping[str, Questionnaire], categories: Mapping[str, CategoryIndex],
    mail_set_up: bool | None = None,
) -> bool:  # fmt: skip
    """Tell a customer whose appointment went to another consultant (their consultant's hours changed) who advises
    them now: the same time, the updated calendar entry and a fresh pair of links, in the language they booked in
    (as `confirm_by_mail`). Returns whether a mail was queued."""
    if handover.to is None:
        return False
    found = booking.details(engine, appointment_id=handover.appointment_id)
    if found is None:
        return False
    entry = agenda.entry(engine, appointment_id=handover.appointment_id, zone=config.store.zone, locale=found.locale)
    if entry is None or entry.state != "booked":
        return False
    if not mails_to(config, entry.contact, mail_set_up):
        return False
    tokens = booking.fresh_links(engine, appointment_id=handover.appointment_id)
    handed = Booking(
        appointment_id=handover.appointment_id, staff_name=entry.staff_name, starts_at=entry.starts_at,
        ends_at=entry.ends_at, held=tuple(held.sku for held in entry.held), not_held=(), links=tokens,
        revision=found.revision,
    )  # fmt: skip
    return confirm_by_mail(
        engine, config, handed, session_id=entry.session_id, locale=found.locale, contact=entry.contact,
        questionnaires=questionnaires, categories=categories, mail_set_up=mail_set_up, handed_from=handed_from,
    )  # fmt: skip
