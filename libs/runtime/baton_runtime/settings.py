"""Configuration every service shares. Service settings subclass it and add BATON_<SVC>_ keys."""

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class CommonSettings(BaseSettings):
    """Defaults match the stack that `make run` starts on 127.0.0.1."""

    model_config = SettingsConfigDict(env_prefix="BATON_", extra="ignore")

    kafka_bootstrap: str = "127.0.0.1:19092"
    conversation_partitions: int = Field(default=6, ge=1)
    topic_prefix: str = Field(default="", description="Isolates a copy of the system (tests).")
    mongo_url: str = "mongodb://127.0.0.1:27117/"
    mongo_db: str = "baton"
    redis_url: str = "redis://127.0.0.1:16379/0"
    redis_prefix: str = Field(default="", description="Isolates Redis keys like topic_prefix.")
    chroma_host: str = "127.0.0.1"
    chroma_port: int = 18000
    token_secret: SecretStr = Field(
        description="Signs visitor and staff tokens. `make` generates one into .baton/local.env."
    )
    instance_id: str | None = Field(
        default=None,
        description="Stable per-replica id: enables Kafka static membership. Off by default: "
        "in the SIGKILL race test a restarted aiokafka static member stopped consuming.",
    )
    kafka_session_timeout_ms: int = Field(
        default=6_000, ge=6_000, description="A dead consumer's partitions move after this."
    )
    forwarded_allow_ips: str = Field(
        default="",
        description="Proxies whose X-Forwarded-For / -Proto are believed, comma-separated "
        "addresses or networks (uvicorn's forwarded_allow_ips; `*` trusts anyone). Empty: "
        "none, the peer address counts for the per-address limits.",
    )
    api_docs: bool = Field(
        default=False,
        description="Serve /docs and /openapi.json on the internal services (handoff, agent, "
        "ingest): for local development only.",
    )
    log_json: bool = True
    log_level: str = "INFO"
    dependency_timeout_seconds: float = Field(
        default=120.0, description="How long a starting service waits for Kafka, Mongo, Redis."
    )
