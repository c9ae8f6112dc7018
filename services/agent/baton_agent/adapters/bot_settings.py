"""Per-bot answering settings from the `bots` collection (what the inbox's Bots page writes):
the bot's own sensitive topics and its answerer. Cached until the inbox announces a change
(`BotChanged`), so a change on the Bots page applies to the next message; a missed event
delays it by `BATON_AGENT_BOT_CACHE_SECONDS` at most."""

from dataclasses import dataclass
from typing import Any

import structlog
from pymongo import AsyncMongoClient

from baton_answering.escalation_rules import (
    DEFAULT_SENSITIVE_TOPICS,
    SensitiveTopic,
    topics_for_bot,
)
from baton_contracts.bot_document import ANSWERER_CHOICES, AnswererChoice
from baton_events.bots import BotChanged
from baton_runtime.bot_cache import BotCache

log = structlog.get_logger()
MAX_TOPICS = 100  # what the inbox accepts; more would only slow every message down


@dataclass(frozen=True)
class BotAnswering:
    sensitive_topics: tuple[SensitiveTopic, ...] = DEFAULT_SENSITIVE_TOPICS
    answerer: AnswererChoice | None = None  # None: the service's BATON_AGENT_ANSWERER


def bot_answering(bot_id: str, doc: dict[str, Any] | None) -> BotAnswering:
    """The settings of one bot document. Lenient like the gateway: a malformed value falls
    back to the default and is logged, so one bad field never stops a bot from answering."""
    if doc is None:
        return BotAnswering()
    raw_topics = doc.get("sensitive_topics") or []
    phrases = [p for p in raw_topics if isinstance(p, str)] if isinstance(raw_topics, list) else []
    if not isinstance(raw_topics, list) or len(phrases) != len(raw_topics):
        log.warning("bot_setting_malformed", bot_id=bot_id, field="sensitive_topics")
    raw_answerer = doc.get("answerer")
    answerer: AnswererChoice | None = None
    if raw_answerer in ANSWERER_CHOICES:
        answerer = raw_answerer
    elif raw_answerer is not None:
        log.warning("bot_setting_malformed", bot_id=bot_id, field="answerer")
    return BotAnswering(topics_for_bot(phrases[:MAX_TOPICS]), answerer)


class BotSettings:
    def __init__(
        self, mongo: AsyncMongoClient[dict[str, Any]], db_name: str, cache_seconds: float
    ) -> None:
        self._bots = mongo[db_name]["bots"]
        # Compiled topics are cached with the entry: the patterns are built once per refresh.
        self._cache: BotCache[str, BotAnswering] = BotCache(cache_seconds)

    async def for_bot(self, bot_id: str) -> BotAnswering:
        async def load() -> BotAnswering:
            doc = await self._bots.find_one({"_id": bot_id}, {"sensitive_topics": 1, "answerer": 1})
            return bot_answering(bot_id, doc)

        return await self._cache.get(bot_id, load)

    def forget(self, change: BotChanged) -> None:
        self._cache.drop(change.bot_id)

    def forget_all(self) -> None:
        self._cache.clear()
