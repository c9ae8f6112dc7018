"""What the reports read (MongoDB): an account's threads created in a period, and, for the
threads a teammate or an escalation touched, their messages in log order."""

from datetime import datetime
from typing import Any

from pymongo import ASCENDING, AsyncMongoClient

from baton_inbox.reports import ThreadFacts, ai_after_teammate, first_reply_after

REPORT_THREAD_LIMIT = 20_000
_FIELDS = {
    "created_at": 1,
    "last_visitor_text": 1,
    "escalated_at": 1,
    "escalation_reason": 1,
    "staff_replied": 1,
    "response_alert": 1,
    "ai_resumed_at": 1,
}


class ReportStore:
    def __init__(self, mongo: AsyncMongoClient[dict[str, Any]], db_name: str) -> None:
        self._threads = mongo[db_name]["inbox_threads"]
        self._messages = mongo[db_name]["inbox_messages"]

    async def ensure_indexes(self) -> None:
        await self._threads.create_index([("account_id", ASCENDING), ("created_at", ASCENDING)])

    async def thread_facts(
        self, account_id: str, start: datetime, end: datetime, bot_id: str | None
    ) -> tuple[list[ThreadFacts], bool]:
        """The facts of each thread created in [start, end), and whether the limit cut the
        list short."""
        query: dict[str, Any] = {
            "account_id": account_id,
            "created_at": {"$gte": start, "$lt": end},
        }
        if bot_id:
            query["bot_id"] = bot_id
        cursor = (
            self._threads.find(query, _FIELDS)
            .sort("created_at", ASCENDING)
            .limit(REPORT_THREAD_LIMIT + 1)
        )
        docs = [doc async for doc in cursor]
        facts = [await self._facts(doc) for doc in docs[:REPORT_THREAD_LIMIT]]
        return facts, len(docs) > REPORT_THREAD_LIMIT

    async def _facts(self, doc: dict[str, Any]) -> ThreadFacts:
        escalated_at = doc.get("escalated_at")
        staff_replied = bool(doc.get("staff_replied"))
        first_reply, over_teammate = None, 0
        if staff_replied:
            # Only threads a teammate wrote in can hold an AI message after a teammate's.
            cursor = self._messages.find(
                {"thread_id": doc["_id"]},
                {
                    "author": 1,
                    "position": 1,
                    "created_at": 1,
                    "suppressed": 1,
                    "proposal_position": 1,
                },
            ).sort("position", ASCENDING)
            messages = [message async for message in cursor]
            over_teammate = ai_after_teammate(messages, list(doc.get("ai_resumed_at") or []))
            if escalated_at is not None:
                first_reply = first_reply_after(messages, escalated_at)
        return ThreadFacts(
            created_at=doc["created_at"],
            had_visitor=doc.get("last_visitor_text") is not None,
            escalated_at=escalated_at,
            escalation_reason=doc.get("escalation_reason"),
            staff_replied=staff_replied,
            breached=doc.get("response_alert") == "breached",
            first_staff_reply_at=first_reply,
            ai_after_teammate=over_teammate,
        )
