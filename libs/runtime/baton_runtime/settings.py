"""Configuration every service shares. Service settings subclass it and add BATON_<SVC>_ keys."""

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from baton_runtime.secrets import refuse_placeholder


class CommonSettings(BaseSettings):
    """Defaults match the stack that `make run` starts on 127.0.0.1."""

    model_config = SettingsConfigDict(env_prefix="BATON_", extra="ignore")

    kafka_bootstrap: str = "127.0.0.1:19092"
    conversation_partitions: int = Field(
        default=6,
        ge=1,
        description="Partitions of each topic at creation. Never add partitions to an existing "
        "conversation topic (Kafka would move threads and reorder them): start a new "
        "conversation_topic_generation instead (docs/operations.md).",
    )
    conversation_topic_generation: int = Field(
        default=0,
        ge=0,
        le=8191,
        description="Generation of the conversation topic (`conversation.events.gN`). Raise it "
        "by one, with every service stopped, to move to a topic with more partitions; "
        "consumers finish the previous generation first.",
    )
    kafka_replication_factor: int = Field(
        default=1, ge=1, description="Replicas of each topic Baton creates (3 in production)."
    )
    kafka_min_insync_replicas: int | None = Field(
        default=None,
        ge=1,
        description="min.insync.replicas of the topics Baton creates; unset: the broker's.",
    )
    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    kafka_sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] = "SCRAM-SHA-512"
    kafka_sasl_username: str | None = None
    kafka_sasl_password: SecretStr | None = None
    kafka_ssl_cafile: str | None = Field(
        default=None,
        description="CA bundle that signed the brokers' certificates; unset: the system's.",
    )
    topic_prefix: str = Field(default="", description="Isolates a copy of the system (tests).")
    mongo_url: str = "mongodb://127.0.0.1:27117/"
    mongo_db: str = "baton"
    redis_url: str = "redis://127.0.0.1:16379/0"
    redis_prefix: str = Field(default="", description="Isolates Redis keys like topic_prefix.")
    redis_max_connections: int = Field(
        default=100,
        ge=2,
        description="Redis connections per process; a command past them waits for a free one.",
    )
    redis_pool_timeout_seconds: float = Field(
        default=5.0, gt=0, description="How long a command waits for a free Redis connection."
    )
    chroma_host: str = "127.0.0.1"
    chroma_port: int = 18000
    embedding_model: Literal["minilm", "bge-small"] = Field(
        default="minilm",
        description="Model of the bots' vectors (baton_retrieval.embedding_models); ingest and "
        "agent must agree, and a bot embedded by another model is refused until re-embedded "
        "(`baton reembed --all`, docs/quality.md).",
    )
    models_dir: Path = Field(
        default=Path(".baton/models"),
        description="Where `make` extracts embedding models that no PyPI package ships.",
    )
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
    consumer_batch_max_records: int = Field(
        default=100,
        ge=1,
        description="Records a conversation subscriber takes from Kafka at once; their "
        "threads are handled concurrently, each thread's events in log order. Twice this "
        "many may be in flight (fetched, not yet finished) per subscriber.",
    )
    consumer_batch_wait_ms: int = Field(
        default=500,
        ge=1,
        le=5000,
        description="How long an idle subscriber's poll waits for records before it polls "
        "again. A record that comes meanwhile is handled at once, so this adds no latency; "
        "a shorter wait only wakes idle services more often.",
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

    @field_validator("token_secret")
    @classmethod
    def _real_token_secret(cls, value: SecretStr) -> SecretStr:
        return refuse_placeholder("BATON_TOKEN_SECRET", value)
