"""Watches the response target of every waiting escalated thread: records when each is due,
and at 80% and at 100% of the target (business time) alerts once, on every teammate's
screen (the thread's row, a browser notification) and by e-mail to the account's alert
recipients (the owner and admins unless the settings name others)."""

import asyncio
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import structlog

from baton_contracts.business_hours import BusinessHours
from baton_inbox.adapters.account_settings import AccountSettingsStore
from baton_inbox.adapters.accounts import AccountStore
from baton_inbox.adapters.response_clock import ResponseClockStore
from baton_inbox.api.account_settings_schemas import AccountSettings
from baton_inbox.digest import REASON_LABELS
from baton_inbox.live.publisher import LivePublisher
from baton_inbox.mail.messages import response_alert_email
from baton_inbox.mail.sender import MailDeliveryError, MailSender
from baton_inbox.permissions import can_manage_team
from baton_inbox.response_clock import ResponseStage, is_news, stage_at
from baton_inbox.views import thread_view

log = structlog.get_logger()


class ResponseAlerts:
    def __init__(
        self,
        clock: ResponseClockStore,
        account_settings: AccountSettingsStore,
        accounts: AccountStore,
        live: LivePublisher,
        mail: MailSender,
        inbox_url: str,
    ) -> None:
        self._clock = clock
        self._account_settings = account_settings
        self._accounts = accounts
        self._live = live
        self._mail = mail
        self._inbox_url = inbox_url.rstrip("/")

    async def check(self, now: datetime) -> list[tuple[str, ResponseStage]]:
        """One pass over the waiting threads; returns the (thread, stage) alerts this replica
        claimed and sent."""
        chosen: dict[str, tuple[AccountSettings, BusinessHours]] = {}
        alerted: list[tuple[str, ResponseStage]] = []
        for doc in await self._clock.waiting():
            escalated_at = doc.get("escalated_at")
            if escalated_at is None:
                continue
            account_id = str(doc["account_id"])
            if account_id not in chosen:
                settings = (await self._account_settings.get(account_id)).settings
                chosen[account_id] = (settings, settings.hours())
            settings, hours = chosen[account_id]
            target = settings.response_target_seconds
            if doc.get("response_due_at") is None:
                due = hours.when_due(escalated_at, target)
                if due is not None:
                    updated = await self._clock.set_due(doc["_id"], escalated_at, due, now)
                    if updated is not None:
                        await self._show(updated, now)
            stage = stage_at(hours, escalated_at, target, now)
            if stage is None or not is_news(stage, doc.get("response_alert")):
                continue
            claimed = await self._clock.claim_stage(doc["_id"], escalated_at, stage, now)
            if claimed is None:
                continue
            await self._show(claimed, now)
            await self._mail_recipients(claimed, settings, hours.zone, stage)
            alerted.append((str(doc["_id"]), stage))
            log.info("response_target_alert", thread_id=doc["_id"], stage=stage.value)
        return alerted

    async def _show(self, thread: dict[str, Any], now: datetime) -> None:
        await self._live.meta_changed(
            str(thread["account_id"]),
            str(thread["_id"]),
            int(now.timestamp() * 1000),
            thread=thread_view(thread),
        )

    async def _mail_recipients(
        self,
        thread: dict[str, Any],
        settings: AccountSettings,
        zone: ZoneInfo,
        stage: ResponseStage,
    ) -> None:
        account_id = str(thread["account_id"])
        recipients = settings.alert_recipients or [
            member.email
            for member in await self._accounts.list_staff(account_id)
            if can_manage_team(member.role)
        ]
        visitor = thread.get("visitor") or {}
        account_name = await self._accounts.account_name(account_id)
        for recipient in recipients:
            message = response_alert_email(
                to=recipient,
                account_name=account_name,
                visitor=visitor.get("name") or visitor.get("email") or "A visitor",
                breached=stage is ResponseStage.BREACHED,
                target_minutes=round(settings.response_target_seconds / 60, 1),
                escalated_at=thread["escalated_at"]
                .astimezone(zone)
                .strftime(f"%a %H:%M ({zone.key})"),
                reason=REASON_LABELS.get(str(thread.get("escalation_reason")), "escalated"),
                last_visitor_text=str(thread.get("last_visitor_text") or ""),
                link=f"{self._inbox_url}/#thread={thread['_id']}",
            )
            try:
                await self._mail.send(message)
            except MailDeliveryError:
                # The claim stands: the alert is on every screen already, and mailing it again
                # on each pass would flood the recipients once the mail server is back.
                log.warning("response_alert_mail_failed", thread_id=thread["_id"], to=recipient)


async def run_response_alerts(alerts: ResponseAlerts, every_seconds: float) -> None:
    while True:
        try:
            await alerts.check(datetime.now(UTC))
        except Exception:
            log.exception("response_alerts_failed")
        await asyncio.sleep(every_seconds)
