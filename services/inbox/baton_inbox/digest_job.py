"""Sends each account's shift digest once its digest time has passed."""

import asyncio
from datetime import UTC, datetime, time

import structlog

from baton_inbox.adapters.accounts import AccountStore
from baton_inbox.adapters.digests import DigestStore
from baton_inbox.digest import digest_email, latest_window
from baton_inbox.mail.sender import MailDeliveryError, MailSender
from baton_inbox.settings import InboxSettings

log = structlog.get_logger()
CHECK_EVERY_SECONDS = 60.0


async def send_due_digests(
    now: datetime,
    settings: InboxSettings,
    digests: DigestStore,
    accounts: AccountStore,
    mail: MailSender,
) -> int:
    """Send the latest window's digest to every teammate of each account that had
    escalations in it; returns how many e-mails went out."""
    send_at = time(settings.inbox_digest_hour_utc, 0)
    window = latest_window(now, send_at, settings.inbox_digest_window_hours)
    sent = 0
    for account_id in await digests.accounts_with_escalations(window):
        if not await digests.claim(account_id, window):
            continue
        escalated = await digests.escalated(account_id, window)
        name = await accounts.account_name(account_id)
        try:
            for teammate in await accounts.list_staff(account_id):
                await mail.send(
                    digest_email(
                        to=teammate.email,
                        account_name=name,
                        window=window,
                        escalated=escalated,
                        inbox_url=settings.inbox_public_url,
                    )
                )
                sent += 1
        except MailDeliveryError:
            await digests.release(account_id, window)
            raise
        log.info("digest_sent", account_id=account_id, threads=len(escalated), window=window.key)
    return sent


async def run_digest_schedule(
    settings: InboxSettings, digests: DigestStore, accounts: AccountStore, mail: MailSender
) -> None:
    while True:
        try:
            await send_due_digests(datetime.now(UTC), settings, digests, accounts, mail)
        except Exception:
            log.exception("digest_failed")
        await asyncio.sleep(CHECK_EVERY_SECONDS)
