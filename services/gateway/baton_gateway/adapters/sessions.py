"""What the gateway keeps about each widget session (MongoDB): the facts the widget's UI needs
beyond messages (mode, escalation, whether an e-mail is known), and which thread belongs to
each verified user of a bot."""

import contextlib
from datetime import UTC, datetime
from typing import Any

from pymongo import AsyncMongoClient
from pymongo.errors import DuplicateKeyError

SESSIONS = "gateway_sessions"
IDENTITIES = "gateway_identities"


class WidgetSessions:
    def __init__(self, mongo: AsyncMongoClient[dict[str, Any]], db_name: str) -> None:
        self._sessions = mongo[db_name][SESSIONS]
        self._identities = mongo[db_name][IDENTITIES]

    async def create(
        self, thread_id: str, bot_id: str, *, email_known: bool, user_id: str | None
    ) -> None:
        doc = {
            "_id": thread_id,
            "bot_id": bot_id,
            "email_known": email_known,
            "user_id": user_id,
            "created_at": datetime.now(UTC),
        }
        with contextlib.suppress(DuplicateKeyError):
            await self._sessions.insert_one(doc)

    async def claim_identity(self, bot_id: str, user_id: str, thread_id: str) -> str:
        """The thread of this verified user: theirs if they have one, else `thread_id`, which
        becomes theirs. Claimed before the thread starts, so two first visits at once still
        end in one thread."""
        try:
            await self._identities.insert_one(
                {"_id": _identity_key(bot_id, user_id), "thread_id": thread_id}
            )
        except DuplicateKeyError:
            existing = await self._identities.find_one({"_id": _identity_key(bot_id, user_id)})
            if existing is not None:
                return str(existing["thread_id"])
            raise
        return thread_id

    async def release_identity(self, bot_id: str, user_id: str, thread_id: str) -> None:
        """Undo a claim whose thread never started (its event could not be published)."""
        await self._identities.delete_one(
            {"_id": _identity_key(bot_id, user_id), "thread_id": thread_id}
        )

    async def apply(self, thread_id: str, change: dict[str, Any], position: int) -> bool:
        """Fold one event's change in; an event at or before the folded position (a
        redelivery) changes nothing. One consumer handles a thread's partition, in order, so
        reading then writing does not race."""
        doc = await self._sessions.find_one({"_id": thread_id}, {"state_position": 1})
        if doc is not None and int(doc.get("state_position", -1)) >= position:
            return False
        await self._sessions.update_one(
            {"_id": thread_id}, {"$set": {**change, "state_position": position}}, upsert=True
        )
        return True

    async def leave_email(self, thread_id: str, email: str) -> None:
        await self._sessions.update_one(
            {"_id": thread_id},
            {
                "$set": {
                    "email_known": True,
                    "left_email": email,
                    "left_email_at": datetime.now(UTC),
                }
            },
            upsert=True,
        )

    async def get(self, thread_id: str) -> dict[str, Any]:
        return await self._sessions.find_one({"_id": thread_id}) or {"_id": thread_id}


def _identity_key(bot_id: str, user_id: str) -> str:
    return f"{bot_id}:{user_id}"
