"""One-time links (invites, password resets, sign-up confirmations) in MongoDB.

Only a SHA-256 of each token is stored: a leaked database does not hand out working links.
Using a link is one atomic update (`used_at` from null to now), so a link works exactly once.
"""

import hashlib
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pymongo import ASCENDING, DESCENDING, AsyncMongoClient, ReturnDocument

LINKS = "inbox_links"
LinkKind = Literal["invite", "password_reset", "signup"]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class OneTimeLinks:
    def __init__(self, mongo: AsyncMongoClient[dict[str, Any]], db_name: str) -> None:
        self._links = mongo[db_name][LINKS]

    async def ensure_indexes(self) -> None:
        await self._links.create_index([("account_id", ASCENDING), ("kind", ASCENDING)])
        await self._links.create_index([("link_id", ASCENDING)], unique=True)

    async def create(
        self, kind: LinkKind, account_id: str, email: str, ttl: timedelta, **fields: Any
    ) -> tuple[str, dict[str, Any]]:
        """A new link; returns its token (only ever sent by e-mail) and its document."""
        token = secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        doc = {
            "_id": _digest(token),
            "link_id": str(uuid.uuid4()),
            "kind": kind,
            "account_id": account_id,
            "email": email,
            "created_at": now,
            "expires_at": now + ttl,
            "used_at": None,
            **fields,
        }
        await self._links.insert_one(doc)
        return token, doc

    async def peek(self, kind: LinkKind, token: str) -> dict[str, Any] | None:
        """The link if it is still usable, without using it (the accept page shows who invites)."""
        return await self._links.find_one(self._usable(kind, token))

    async def consume(self, kind: LinkKind, token: str) -> dict[str, Any] | None:
        return await self._links.find_one_and_update(
            self._usable(kind, token),
            {"$set": {"used_at": datetime.now(UTC)}},
            return_document=ReturnDocument.AFTER,
        )

    async def count_wrong_password(self, link: dict[str, Any]) -> int:
        """One more wrong password given with this link; returns how many so far."""
        doc = await self._links.find_one_and_update(
            {"_id": link["_id"], "used_at": None},
            {"$inc": {"wrong_passwords": 1}},
            return_document=ReturnDocument.AFTER,
        )
        return int(doc["wrong_passwords"]) if doc else 0

    async def release(self, link: dict[str, Any]) -> None:
        """Undo a consume whose follow-up failed, so the link still works."""
        await self._links.update_one({"_id": link["_id"]}, {"$set": {"used_at": None}})

    async def pending(self, account_id: str, kind: LinkKind) -> list[dict[str, Any]]:
        cursor = self._links.find(
            {
                "account_id": account_id,
                "kind": kind,
                "used_at": None,
                "expires_at": {"$gt": datetime.now(UTC)},
            }
        ).sort("created_at", DESCENDING)
        return [doc async for doc in cursor]

    async def revoke(self, account_id: str, link_id: str) -> bool:
        result = await self._links.delete_one(
            {"account_id": account_id, "link_id": link_id, "used_at": None}
        )
        return result.deleted_count == 1

    async def revoke_for_email(self, account_id: str, kind: LinkKind, email: str) -> None:
        """A fresh invite or reset replaces the earlier unused ones."""
        await self._links.delete_many(
            {"account_id": account_id, "kind": kind, "email": email, "used_at": None}
        )

    @staticmethod
    def _usable(kind: LinkKind, token: str) -> dict[str, Any]:
        return {
            "_id": _digest(token),
            "kind": kind,
            "used_at": None,
            "expires_at": {"$gt": datetime.now(UTC)},
        }
