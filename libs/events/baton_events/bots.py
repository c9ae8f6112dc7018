"""Events of bots (topic bots.events): the inbox wrote a bot's settings.

The bot document in MongoDB stays the truth; these events only tell the services that read it
(gateway, agent) to drop their cached copy and read it again. So they name the
settings written but never carry their values: an identity secret never travels on the log.
Records are keyed by `bot_id`, so one bot's changes lie in one partition in write order.
"""

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from baton_events.envelope import SCHEMA_VERSION, new_event_id, stable_event_id, utc_now

BotChange = Literal["created", "updated", "deleted"]


class BotEventEnvelope(BaseModel):
    """Fields shared by every bot event; `type` is added by each concrete event."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    event_id: uuid.UUID = Field(
        default_factory=new_event_id, description="Idempotency key: consumers drop a repeat."
    )
    version: str = Field(
        default=SCHEMA_VERSION, description="Schema version MAJOR.MINOR of this event type."
    )
    bot_id: str = Field(description="The bot; also the Kafka key.")
    account_id: str = Field(description="The tenant that owns the bot.")
    occurred_at: datetime = Field(default_factory=utc_now)


class BotChanged(BotEventEnvelope):
    """A bot was created, its settings were written, or it was deleted. Readers drop their
    cached copy of the bot and read the `bots` collection again."""

    type: Literal["bot_changed"] = "bot_changed"
    change: BotChange
    bot_key: str = Field(description="The bot's public key: caches keyed by it drop it too.")
    revision: int = Field(
        ge=0,
        description="The bot document's revision after the write; every write adds one, so a "
        "later change of one bot always carries a higher revision.",
    )
    fields: tuple[str, ...] = Field(
        default=(), description="Names of the settings written (never their values)."
    )


def bot_changed(
    *,
    bot_id: str,
    account_id: str,
    bot_key: str,
    change: BotChange,
    revision: int,
    fields: tuple[str, ...] = (),
) -> BotChanged:
    """The event of one write; its id derives from the bot and revision, so a republished
    event is the same event."""
    return BotChanged(
        event_id=stable_event_id("bot_changed", bot_id, revision, change),
        bot_id=bot_id,
        account_id=account_id,
        bot_key=bot_key,
        change=change,
        revision=revision,
        fields=tuple(sorted(fields)),
    )


BOT_EVENT_TYPES: dict[str, type[BaseModel]] = {"bot_changed": BotChanged}
