"""Bot settings the widget edge needs (key, account, origins, widget look, pre-chat form,
identity-verification secret), read from the `bots` collection and cached until the inbox
announces a change (or the cache's TTL, the safety net, runs out)."""

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from pymongo import AsyncMongoClient

from baton_contracts.bot_document import BOTS_COLLECTION, BotSettings, PrechatField
from baton_events.bots import BotChanged
from baton_runtime.bot_cache import BotCache

DEFAULT_DISPLAY_NAME = "Support"
DEFAULT_ACCENT = "#3b5bdb"


@dataclass(frozen=True)
class Bot:
    bot_id: str
    bot_key: str
    account_id: str
    allowed_origins: frozenset[str]
    display_name: str = DEFAULT_DISPLAY_NAME
    greeting: str | None = None
    accent_color: str = DEFAULT_ACCENT
    prechat_fields: tuple[PrechatField, ...] = ()
    # Shared with the customer's backend, which signs its user ids with it (HMAC-SHA256).
    identity_secret: str | None = None

    def allows(self, origin: str | None) -> bool:
        return origin is not None and origin.rstrip("/") in self.allowed_origins

    def verifies(self, user_id: str, user_hash: str) -> bool:
        """True if `user_hash` is the hex HMAC-SHA256 of `user_id` under this bot's secret."""
        if self.identity_secret is None:
            return False
        expected = identity_hash(self.identity_secret, user_id).encode()
        return hmac.compare_digest(expected, user_hash.strip().lower().encode())


def identity_hash(secret: str, user_id: str) -> str:
    """What the customer's backend computes for each signed-in user (hex HMAC-SHA256)."""
    return hmac.new(secret.encode(), user_id.encode(), hashlib.sha256).hexdigest()


class BotDirectory:
    def __init__(
        self, mongo: AsyncMongoClient[dict[str, Any]], db_name: str, cache_seconds: float
    ) -> None:
        self._bots = mongo[db_name][BOTS_COLLECTION]
        # Keyed by (field, value): the widget asks by bot key, a visitor token names the id.
        # Unknown keys are cached too (None), so a bot created later is announced by key.
        self._cache: BotCache[tuple[str, str], Bot | None] = BotCache(cache_seconds)

    async def by_key(self, bot_key: str) -> Bot | None:
        return await self._cached("bot_key", bot_key)

    async def by_id(self, bot_id: str) -> Bot | None:
        return await self._cached("_id", bot_id)

    def forget(self, change: BotChanged) -> None:
        self._cache.drop(("_id", change.bot_id), ("bot_key", change.bot_key))

    def forget_all(self) -> None:
        self._cache.clear()

    async def _cached(self, field: str, value: str) -> Bot | None:
        async def load() -> Bot | None:
            doc = await self._bots.find_one({field: value})
            return bot_from_doc(doc) if doc else None

        return await self._cache.get((field, value), load)


def bot_from_doc(doc: dict[str, Any]) -> Bot:
    """The widget's view of one bot document, unset settings at the widget's defaults.
    Lenient (BotSettings.from_document): a malformed setting falls back to its default."""
    settings = BotSettings.from_document(doc, bot_id=str(doc.get("_id")))
    return Bot(
        bot_id=settings.bot_id,
        bot_key=settings.bot_key,
        account_id=settings.account_id,
        allowed_origins=frozenset(settings.allowed_origins),
        display_name=settings.display_name or settings.name or DEFAULT_DISPLAY_NAME,
        greeting=settings.greeting,
        accent_color=settings.accent_color or DEFAULT_ACCENT,
        prechat_fields=settings.prechat_fields,
        identity_secret=settings.identity_secret,
    )
