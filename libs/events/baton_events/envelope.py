"""The envelope every event carries: identity, schema version, aggregate and tenant."""

import uuid
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_MAJOR = 1
SCHEMA_VERSION = f"{SCHEMA_MAJOR}.0"

# Deterministic ids let a retried publish produce the same event, which consumers drop.
_BATON_NAMESPACE = uuid.UUID("6f1c6a52-2b7e-4c0e-9a57-0c1f8d3e6b21")


def new_event_id() -> uuid.UUID:
    return uuid.uuid4()


def stable_event_id(*parts: object) -> uuid.UUID:
    """An id derived from its causes, so redelivery and retries cannot mint a second one."""
    return uuid.uuid5(_BATON_NAMESPACE, "/".join(str(part) for part in parts))


def utc_now() -> datetime:
    return datetime.now(UTC)


class EventEnvelope(BaseModel):
    """Fields shared by every event; `type` is added by each concrete event."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    event_id: uuid.UUID = Field(
        default_factory=new_event_id, description="Idempotency key: consumers drop a repeat."
    )
    version: str = Field(
        default=SCHEMA_VERSION, description="Schema version MAJOR.MINOR of this event type."
    )
    thread_id: str = Field(description="The conversation aggregate; also the Kafka key.")
    account_id: str = Field(description="The tenant that owns the thread.")
    occurred_at: datetime = Field(default_factory=utc_now)
