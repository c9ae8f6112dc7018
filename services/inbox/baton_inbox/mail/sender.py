"""The one way the inbox sends e-mail. Invites and password resets use it; the shift digest
can plug in the same way: build an EmailMessage, hand it to `MailSender.send`."""

from email.message import EmailMessage
from typing import Protocol

import aiosmtplib
import structlog

from baton_inbox.settings import InboxSettings

log = structlog.get_logger()


class MailDeliveryError(Exception):
    """The SMTP server did not take the message."""


class MailSender(Protocol):
    async def send(self, message: EmailMessage) -> None: ...


class SmtpMailSender:
    """Any SMTP server, set by configuration; `make run` points it at the local sink."""

    def __init__(self, settings: InboxSettings) -> None:
        self._settings = settings

    @property
    def sender(self) -> str:
        return self._settings.inbox_mail_from

    async def send(self, message: EmailMessage) -> None:
        settings = self._settings
        if "From" not in message:
            message["From"] = settings.inbox_mail_from
        password = settings.inbox_smtp_password
        try:
            await aiosmtplib.send(
                message,
                hostname=settings.inbox_smtp_host,
                port=settings.inbox_smtp_port,
                username=settings.inbox_smtp_username,
                password=password.get_secret_value() if password else None,
                start_tls=settings.inbox_smtp_starttls,
                use_tls=settings.inbox_smtp_tls,
                timeout=settings.inbox_smtp_timeout_seconds,
            )
        except (aiosmtplib.SMTPException, OSError, ValueError) as exc:
            # ValueError: an address or header the mail library cannot write.
            log.warning("mail_not_sent", to=message["To"], error=str(exc))
            raise MailDeliveryError(str(exc)) from exc
        log.info("mail_sent", to=message["To"], subject=message["Subject"])
