"""Bot settings the widget edge needs (key, account, origins, widget look, pre-chat form,
identity-verification secret), read from the `bots` collection and cached until the inbox
announces a change (or the cache's TTL, the safety net, runs out)."""

import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import Any

import structlog
from pymongo import AsyncMongoClient

from baton_events.bots import BotChanged
from baton_runtime.bot_cache import BotCache

BOTS_COLLECTION = "bots"
PRECHAT_FIELDS = ("name", "email", "company")
DEFAULT_DISPLAY_NAME = "Support"
DEFAULT_ACCENT = "#3b5bdb"
_HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")

log = structlog.get_logger()


@dataclass(frozen=True)
class PrechatField:
    field: str = "name"
    required: bool = False


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
    """Lenient on the optional settings: a malformed one falls back to its default (and is
    logged) rather than taking the bot's widget down."""
    color = doc.get("accent_color")
    secret = doc.get("identity_secret")
    return Bot(
        bot_id=doc["_id"],
        bot_key=doc["bot_key"],
        account_id=doc["account_id"],
        allowed_origins=frozenset(o.rstrip("/") for o in doc.get("allowed_origins", [])),
        display_name=_text(doc.get("display_name"))
        or _text(doc.get("name"))
        or DEFAULT_DISPLAY_NAME,
        greeting=_text(doc.get("greeting"), limit=500),
        accent_color=color
        if isinstance(color, str) and _HEX_COLOR.match(color)
        else DEFAULT_ACCENT,
        prechat_fields=prechat_fields(doc.get("prechat_fields"), bot_id=str(doc["_id"])),
        identity_secret=secret if isinstance(secret, str) and secret else None,
    )


def prechat_fields(raw: Any, *, bot_id: str = "") -> tuple[PrechatField, ...]:
    """Accepts `[{"field": "email", "required": true}, ...]` or the shorthand `["name", ...]`;
    keeps the first mention of each known field, in the order given."""
    if not isinstance(raw, list):
        return ()
    fields: list[PrechatField] = []
    for entry in raw:
        name, required = (entry, False) if isinstance(entry, str) else _entry(entry)
        if name not in PRECHAT_FIELDS:
            log.warning("bot_prechat_field_ignored", bot_id=bot_id, entry=str(entry)[:100])
            continue
        if all(f.field != name for f in fields):
            fields.append(PrechatField(field=name, required=required))
    return tuple(fields)


def _entry(entry: Any) -> tuple[str | None, bool]:
    if not isinstance(entry, dict):
        return None, False
    name = entry.get("field")
    return (name if isinstance(name, str) else None), entry.get("required") is True


def _text(value: Any, limit: int = 200) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip()[:limit] or None
