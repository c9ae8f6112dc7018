"""Announces every write of a bot on bots.events, after the write is stored, so the gateway
and the agent drop their cached copy of the bot at once.

The event follows the MongoDB write: a reader that evicts on it and reads again finds the new
document. If the publish fails, the write stands and the error propagates (the caller sees
it and may retry); the readers' caches still pick the change up within their TTL.
"""

from collections.abc import Iterable
from typing import Any

from faststream.kafka import KafkaBroker

from baton_events import Topics
from baton_events.bots import BotChange, bot_changed
from baton_runtime.kafka import publish_event


async def announce_bot_change(
    broker: KafkaBroker,
    topics: Topics,
    doc: dict[str, Any],
    change: BotChange,
    fields: Iterable[str] = (),
) -> None:
    """`doc` is the bot document as written; `fields` names the settings written."""
    event = bot_changed(
        bot_id=str(doc["_id"]),
        account_id=str(doc["account_id"]),
        bot_key=str(doc["bot_key"]),
        change=change,
        revision=int(doc.get("revision") or 0),
        fields=tuple(fields),
    )
    await publish_event(broker, topics.bot_events, event)
