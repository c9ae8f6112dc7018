"""Who may try a password, ask for a reset mail or sign up, and how often (docs/inbox.md).

Failed logins count per (login, client address): a stranger who knows a teammate's e-mail
only slows their own address down, never the teammate's. Past a few free failures each try
from that address waits twice as long as the last (no fixed lock-out); the login's counters
carry its session epoch, so a new password starts them all over. One address also has a
ceiling over all logins, which stops one client from trying many e-mails.
"""

from dataclasses import dataclass

from fastapi import Request

from baton_inbox.adapters.accounts import StaffUser, normalize_email
from baton_inbox.settings import InboxSettings
from baton_runtime.attempts import AttemptCheck, AttemptRule, Backoff, BackoffRule, FailedAttempts


def client_address(request: Request) -> str:
    """The peer, or what a trusted proxy says it is (BATON_FORWARDED_ALLOW_IPS)."""
    return request.client.host if request.client else "unknown"


@dataclass(frozen=True)
class LoginGuard:
    attempts: FailedAttempts
    settings: InboxSettings

    @property
    def _pair(self) -> BackoffRule:
        settings = self.settings
        return BackoffRule(
            "login-pair",
            settings.inbox_login_max_failures,
            settings.inbox_login_backoff_base_seconds,
            settings.inbox_login_backoff_max_seconds,
            settings.inbox_login_failure_memory_seconds,
        )

    @property
    def _address_ceiling(self) -> AttemptRule:
        settings = self.settings
        return AttemptRule(
            "login-ip",
            settings.inbox_login_max_failures_per_ip,
            settings.inbox_login_lockout_seconds,
        )

    @staticmethod
    def _pair_subject(email: str, staff: StaffUser | None, address: str) -> str:
        epoch = staff.session_epoch if staff else "-"
        return f"{normalize_email(email)}|{epoch}|{address}"

    async def wait(self, email: str, staff: StaffUser | None, address: str) -> int | None:
        """Seconds this client must wait before trying this login again, or None."""
        waits = [
            await Backoff(self.attempts).waiting(
                self._pair, self._pair_subject(email, staff, address)
            ),
            await self.attempts.locked_for([(self._address_ceiling, address)]),
        ]
        return max((wait for wait in waits if wait is not None), default=None)

    async def failed(self, email: str, staff: StaffUser | None, address: str) -> bool:
        """Count a failure; True when it starts this pair's first wait (tell the owner)."""
        await self.attempts.record_failure([(self._address_ceiling, address)])
        failures = await Backoff(self.attempts).record_failure(
            self._pair, self._pair_subject(email, staff, address)
        )
        return failures == self._pair.free_failures + 1

    async def succeeded(self, email: str, staff: StaffUser, address: str) -> None:
        await Backoff(self.attempts).clear(self._pair, self._pair_subject(email, staff, address))

    async def first_lock_notice(self, staff: StaffUser) -> bool:
        """True at most once an hour per login: whether to mail its owner about a lock."""
        rule = AttemptRule("lock-notice", 1, 3600)
        if await self.attempts.locked_for([(rule, staff.staff_id)]) is not None:
            return False
        await self.attempts.record_failure([(rule, staff.staff_id)])
        return True

    async def take(self, checks: list[AttemptCheck]) -> int | None:
        """Count one use against each limit; the seconds to wait when one is used up."""
        wait = await self.attempts.locked_for(checks)
        if wait is None:
            await self.attempts.record_failure(checks)
        return wait

    def signup_checks(self, email: str, address: str) -> list[AttemptCheck]:
        settings = self.settings
        window = settings.inbox_limit_window_seconds
        return [
            (AttemptRule("signup-ip", settings.inbox_signups_per_ip, window), address),
            (
                AttemptRule("signup-email", settings.inbox_signup_mails_per_email, window),
                normalize_email(email),
            ),
        ]

    def reset_checks(self, email: str, address: str) -> list[AttemptCheck]:
        settings = self.settings
        window = settings.inbox_limit_window_seconds
        return [
            (AttemptRule("reset-ip", settings.inbox_reset_requests_per_ip, window), address),
            (
                AttemptRule("reset-email", settings.inbox_reset_mails_per_email, window),
                normalize_email(email),
            ),
        ]
