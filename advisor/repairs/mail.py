"""The mail that tells a shopper their repair is ready, queued in the mail outbox (the table every server process's
sender sends from, as it sends appointment confirmations: advisor/web/outbox.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from sqlalchemy.engine import Connection

from advisor.config import Config, StoreConfig
from advisor.handoff.codes import shown
from advisor.handoff.model import MailOutbox
from advisor.i18n import text
from advisor.rendering.mail import check_address, templated_message, wire_bytes
from advisor.repairs.days import collection_text

if TYPE_CHECKING:
    from advisor.repairs.orders import Order

OUTBOX = MailOutbox.__table__  # type: ignore[attr-defined]
DEFAULT_SENDER = "advice@localhost"
PAGE = "/repair"  # the web companion's page where a shopper follows an order by its pickup code


@dataclass(frozen=True)
class MailSettings:
    """What the ready mail needs of the store's setup: who sends it, the store's name (when the catalog has none),
    the web page where the shopper follows the order and the store's opening hours (None: not said)."""

    sender: str
    store_name: str
    page_url: str
    store: StoreConfig | None = None

    @classmethod
    def of(cls, config: Config, *, mail_set_up: bool | None = None) -> MailSettings | None:
        """The settings of the configuration; None when e-mail is not set up (by default: its [smtp]; the web
        companion counts its dry-run folder too)."""
        if not (config.smtp.enabled if mail_set_up is None else mail_set_up):
            return None
        return cls(
            config.smtp.sender or DEFAULT_SENDER, config.store.name, config.web.public_base_url + PAGE, config.store
        )


@dataclass(frozen=True)
class ReadyMail:
    """What the ready mail says."""

    locale: str
    address: str  # "du" or "Sie" (German)
    name: str
    product: str
    store_name: str
    code: str  # as shown (ABCD-2345)
    page_url: str  # opens the web page with the pickup code filled in (as the kiosk's QR code does)
    collect: str = ""  # from when it can be collected: "Abholbar ab Mo 28.12., 09:30–20:00 Uhr"
    warranty: bool = False  # the statutory warranty may apply: bring the receipt

    def t(self, key: str, **params: object) -> str:
        return text(key, self.locale, self.address, **params)

    @property
    def subject(self) -> str:
        return self.t("mail.repair.subject", store=self.store_name)


def ready_message(mail: ReadyMail, *, to: str, sender: str) -> EmailMessage:
    """The ready mail (plain text and HTML) to the one address `to`."""
    return templated_message(mail, "repair", to=to, sender=sender)


def queue_ready_mail(
    connection: Connection, *, order: Order, product_name: str, store_name: str, settings: MailSettings, now: datetime
) -> None:
    """Queue the ready mail to the order's e-mail address, in the caller's transaction (due at once). It says from
    when the product can be collected (the store's hours from `now`) and leaves the cost to the service desk: no
    final cost is recorded, and the estimate is not the price."""
    assert order.contact is not None and order.contact.email
    code = shown(order.pickup_code)
    collect = collection_text(settings.store, now, order.locale, order.address) if settings.store else ""
    mail = ReadyMail(
        locale=order.locale, address=order.address, name=order.contact.name or "", product=product_name,
        store_name=store_name, code=code, page_url=f"{settings.page_url}?{urlencode({'code': order.pickup_code})}",
        collect=collect, warranty=order.warranty,
    )  # fmt: skip
    to = check_address(order.contact.email)
    message = wire_bytes(ready_message(mail, to=to, sender=settings.sender))
    connection.execute(OUTBOX.insert().values(
        session_id=None, address=to, message=message, locale=order.locale, created_at=now, next_attempt_at=now,
        attempts=0,
    ))  # fmt: skip
