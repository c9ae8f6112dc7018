from pydantic import Field, SecretStr

from baton_runtime.settings import CommonSettings


class HandoffSettings(CommonSettings):
    handoff_host: str = "127.0.0.1"
    handoff_port: int = 8500
    handoff_handback_idle_seconds: float = Field(
        default=600.0,
        gt=0,
        description="Human-owned thread idle this long returns to the AI, unless the event "
        "that made it human carries its bot's own idle time.",
    )
    handoff_recent_modes: int = Field(
        default=20_000,
        ge=0,
        description="Threads whose mode the fold keeps in memory (a few hundred bytes each), "
        "so a thread's next event reads no store; 0 reads the store for every event.",
    )
    handoff_timer_interval_seconds: float = Field(default=1.0, gt=0)
    handoff_api_token: SecretStr | None = Field(
        default=None,
        description="Bearer token of the mode read API; unset, it answers loopback clients only.",
    )
