"""Per-bot answering settings from the `bots` collection (what the inbox's Bots page writes):
the bot's own sensitive topics and its answerer. Cached until the inbox announces a change
(`BotChanged`), so a change on the Bots page applies to the next message; a missed event
delays it by `BATON_AGENT_BOT_CACHE_SECONDS` at most."""

from dataclasses import dataclass
from typing import Any

import structlog
from pydantic import ValidationError
from pymongo import AsyncMongoClient

from baton_answering.escalation_rules import (
    DEFAULT_SENSITIVE_TOPICS,
    SensitiveTopic,
    topics_for_bot,
)
from baton_contracts.bot_document import BOTS_COLLECTION, AnswererChoice
from baton_contracts.bot_document import BotSettings as BotDocument
from baton_events.bots import BotChanged
from baton_runtime.bot_cache import BotCache

log = structlog.get_logger()
MAX_TOPICS = 100  # what the inbox accepts; more would only slow every message down


@dataclass(frozen=True)
class BotAnswering:
    sensitive_topics: tuple[SensitiveTopic, ...] = DEFAULT_SENSITIVE_TOPICS
    answerer: AnswererChoice | None = None  # None: the service's BATON_AGENT_ANSWERER


def bot_answering(bot_id: str, doc: dict[str, Any] | None) -> BotAnswering:
    """The answering settings of one bot document. Lenient (BotDocument.from_document): a
    malformed value falls back to the default and is logged, so one bad field never stops a
    bot from answering."""
    if doc is None:
        return BotAnswering()
    try:
        settings = BotDocument.from_document(doc, bot_id)
    except ValidationError:
        # No identity: not a bot the inbox wrote. Answer with the defaults rather than not at all.
        log.warning("bot_document_malformed", bot_id=bot_id)
        return BotAnswering()
    topics = topics_for_bot(settings.sensitive_topics[:MAX_TOPICS])
    return BotAnswering(topics, settings.answerer)


class BotSettings:
    def __init__(
        self, mongo: AsyncMongoClient[dict[str, Any]], db_name: str, cache_seconds: float
    ) -> None:
        self._bots = mongo[db_name][BOTS_COLLECTION]
        # Compiled topics are cached with the entry: the patterns are built once per refresh.
        self._cache: BotCache[str, BotAnswering] = BotCache(cache_seconds)

    async def for_bot(self, bot_id: str) -> BotAnswering:
        async def load() -> BotAnswering:
            doc = await self._bots.find_one({"_id": bot_id})
            return bot_answering(bot_id, doc)

        return await self._cache.get(bot_id, load)

    def forget(self, change: BotChanged) -> None:
        self._cache.drop(change.bot_id)

    def forget_all(self) -> None:
        self._cache.clear()
