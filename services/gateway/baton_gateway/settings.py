from pydantic import Field

from baton_runtime.settings import CommonSettings


class GatewaySettings(CommonSettings):
    gateway_host: str = "127.0.0.1"
    gateway_port: int = 8100
    gateway_visitor_token_ttl_seconds: int = Field(default=30 * 24 * 3600, gt=0)
    gateway_max_body_bytes: int = Field(default=32_768, gt=0)
    gateway_sse_heartbeat_seconds: float = Field(default=15.0, gt=0)
    gateway_bot_cache_seconds: float = Field(
        default=60.0,
        ge=0,
        description="How long a bot's settings are kept when no change event drops them "
        "sooner (the safety net for a missed BotChanged).",
    )
    gateway_account_hours_cache_seconds: float = Field(
        default=60.0,
        ge=0,
        description="How long an account's business hours are kept before they are read "
        "again (a change in the inbox reaches widgets within this time).",
    )
    gateway_sessions_per_ip: int = Field(
        default=300, gt=0, description="Chat sessions one client address may open per window."
    )
    gateway_sessions_window_seconds: int = Field(default=600, gt=0)
    gateway_messages_per_thread: int = Field(
        default=30, gt=0, description="Messages one visitor may send per window."
    )
    gateway_messages_window_seconds: int = Field(default=60, gt=0)
    gateway_recent_handovers: int = Field(
        default=20_000,
        ge=0,
        description="Threads whose teammate and hand-back positions the projection keeps in "
        "memory (a few dozen bytes each), so delivering an AI reply reads no store; 0 reads "
        "the store for every reply.",
    )
    # The demo site: a separate origin, like a customer's site.
    demo_host: str = "127.0.0.1"
    demo_port: int = 8600
    demo_helpcenter_dir: str = "demo/helpcenter"
    demo_bot_key: str = "orbit-demo"
    gateway_public_url: str = Field(
        default="http://127.0.0.1:8100", description="Where browsers reach the gateway."
    )
