from pydantic import Field, SecretStr, field_validator

from baton_runtime.secrets import refuse_placeholder
from baton_runtime.settings import CommonSettings


class InboxSettings(CommonSettings):
    inbox_host: str = "127.0.0.1"
    inbox_port: int = 8200
    inbox_staff_token_ttl_seconds: int = Field(default=12 * 3600, gt=0)
    inbox_public_url: str = Field(
        default="http://127.0.0.1:8200",
        description="Where teammates' browsers reach the inbox; links in e-mails point here.",
    )
    inbox_cookie_secure: bool = Field(
        default=False,
        description="Mark the session cookie Secure (set it whenever the inbox is served on https).",
    )
    inbox_smtp_host: str = "127.0.0.1"
    inbox_smtp_port: int = Field(default=8025, description="8025: the local sink `make` starts.")
    inbox_smtp_username: str | None = None
    inbox_smtp_password: SecretStr | None = None
    inbox_smtp_starttls: bool = False
    inbox_smtp_tls: bool = Field(default=False, description="Implicit TLS (port 465 style).")
    inbox_smtp_timeout_seconds: float = Field(default=10.0, gt=0)
    inbox_digest_enabled: bool = True
    inbox_response_check_seconds: float = Field(
        default=15.0,
        gt=0,
        le=600,
        description="How often the inbox checks escalated threads against the account's "
        "response target (an alert can come this much after its threshold).",
    )
    inbox_digest_hour_utc: int = Field(
        default=8,
        ge=0,
        le=23,
        description="When the digest goes out for an account without business hours: this "
        "hour in the account's time zone (UTC unless its settings name one; hence the name). "
        "With business hours it goes out when the team's day begins.",
    )
    inbox_digest_window_hours: float = Field(
        default=14.0,
        gt=0,
        le=48,
        description="The hours a digest covers for an account without business hours (with "
        "them: since the previous business day began).",
    )
    inbox_mail_from: str = "Baton <no-reply@baton.localhost>"
    inbox_invite_ttl_hours: int = Field(default=72, gt=0)
    inbox_login_max_failures: int = Field(
        default=5,
        gt=0,
        description="Failed logins for one login from one client address before each further "
        "try from there waits (exponential back-off); other addresses are not affected.",
    )
    inbox_login_backoff_base_seconds: int = Field(
        default=2, gt=0, description="The first back-off wait; each further failure doubles it."
    )
    inbox_login_backoff_max_seconds: int = Field(
        default=900, gt=0, description="The longest back-off wait."
    )
    inbox_login_failure_memory_seconds: int = Field(
        default=24 * 3600,
        gt=0,
        description="A login's failures from one address are forgotten this long after the last.",
    )
    inbox_login_max_failures_per_ip: int = Field(
        default=50, gt=0, description="Failed logins from one address, any login, before it waits."
    )
    inbox_login_lockout_seconds: int = Field(
        default=900, gt=0, description="The window of the per-address ceiling, and its wait."
    )
    inbox_signups_per_ip: int = Field(
        default=5, gt=0, description="Sign-ups from one address per limit window."
    )
    inbox_signup_mails_per_email: int = Field(
        default=3, gt=0, description="Sign-up e-mails to one address per limit window."
    )
    inbox_signup_link_ttl_hours: int = Field(
        default=24, gt=0, description="How long a sign-up confirmation link works."
    )
    inbox_reset_mails_per_email: int = Field(
        default=3, gt=0, description="Password-reset e-mails to one address per limit window."
    )
    inbox_reset_requests_per_ip: int = Field(
        default=10, gt=0, description="Password-reset requests from one address per limit window."
    )
    inbox_limit_window_seconds: int = Field(
        default=3600, gt=0, description="The window of the sign-up and reset limits."
    )
    inbox_password_reset_ttl_minutes: int = Field(default=60, gt=0)
    inbox_sse_heartbeat_seconds: float = Field(default=15.0, gt=0)
    inbox_stream_backlog_limit: int = Field(
        default=2000, gt=0, description="More missed changes than this: a gap, then a reload."
    )
    inbox_presence_viewing_seconds: int = Field(default=20, gt=0)
    inbox_presence_typing_seconds: int = Field(default=6, gt=0)
    inbox_collision_window_seconds: int = Field(
        default=30, ge=0, description="Warn before sending this soon after a teammate's reply."
    )
    inbox_ingest_url: str = Field(
        default="http://127.0.0.1:8300",
        description="The ingest service's job API; the Bots page's uploads go through the inbox.",
    )
    inbox_gateway_public_url: str = Field(
        default="http://127.0.0.1:8100",
        description="Where visitors' browsers load widget.js; the embed snippet points here.",
    )
    inbox_ingest_timeout_seconds: float = Field(default=60.0, gt=0)
    ingest_api_token: SecretStr | None = Field(
        default=None,
        description="The ingest API's shared token (same variable as the ingest service's); "
        "without it the Bots page cannot read or change knowledge sources.",
    )
    inbox_allow_private_source_urls: bool = Field(
        default=False,
        description="Let the Bots page ingest URLs on loopback and private networks. Off: an "
        "admin of any account could otherwise have the ingest service read internal pages "
        "into a bot and out through its answers.",
    )

    @field_validator("ingest_api_token")
    @classmethod
    def _real_api_token(cls, value: SecretStr | None) -> SecretStr | None:
        return None if value is None else refuse_placeholder("BATON_INGEST_API_TOKEN", value)
