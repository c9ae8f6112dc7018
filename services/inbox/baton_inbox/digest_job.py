"""Sends each account's digest once its digest time (in the account's zone) has passed."""

import asyncio
from datetime import UTC, datetime, timedelta

import structlog

from baton_inbox.adapters.account_settings import AccountSettingsStore
from baton_inbox.adapters.accounts import AccountStore
from baton_inbox.adapters.digests import DigestStore
from baton_inbox.digest import DigestWindow, account_window, digest_email
from baton_inbox.mail.sender import MailDeliveryError, MailSender
from baton_inbox.settings import InboxSettings

log = structlog.get_logger()
CHECK_EVERY_SECONDS = 60.0
# How far back an account's digest window can start: two weeks of holidays, plus a day.
LOOKBACK = timedelta(days=15)


async def send_due_digests(
    now: datetime,
    settings: InboxSettings,
    digests: DigestStore,
    accounts: AccountStore,
    account_settings: AccountSettingsStore,
    mail: MailSender,
) -> int:
    """Send each account's due digest, if it had escalations in its window, to its digest
    recipients (every teammate unless the account names them); returns how many e-mails
    went out. Each (account, window) is claimed once, so replicas send it once."""
    sent = 0
    recent = DigestWindow(start=now - LOOKBACK, end=now)
    for account_id in await digests.accounts_with_escalations(recent):
        chosen = (await account_settings.get(account_id)).settings
        if not chosen.digest_enabled:
            continue
        hours = chosen.hours()
        window = account_window(
            hours, now, settings.inbox_digest_hour_utc, settings.inbox_digest_window_hours
        )
        if window is None or await digests.was_claimed(account_id, window):
            continue
        escalated = await digests.escalated(account_id, window)
        if not escalated or not await digests.claim(account_id, window):
            continue
        name = await accounts.account_name(account_id)
        recipients = chosen.digest_recipients or [
            teammate.email for teammate in await accounts.list_staff(account_id)
        ]
        try:
            for recipient in recipients:
                await mail.send(
                    digest_email(
                        to=recipient,
                        account_name=name,
                        window=window,
                        escalated=escalated,
                        inbox_url=settings.inbox_public_url,
                        zone=hours.zone,
                    )
                )
                sent += 1
        except MailDeliveryError:
            await digests.release(account_id, window)
            raise
        log.info("digest_sent", account_id=account_id, threads=len(escalated), window=window.key)
    return sent


async def run_digest_schedule(
    settings: InboxSettings,
    digests: DigestStore,
    accounts: AccountStore,
    account_settings: AccountSettingsStore,
    mail: MailSender,
) -> None:
    while True:
        try:
            await send_due_digests(
                datetime.now(UTC), settings, digests, accounts, account_settings, mail
            )
        except Exception:
            log.exception("digest_failed")
        await asyncio.sleep(CHECK_EVERY_SECONDS)
