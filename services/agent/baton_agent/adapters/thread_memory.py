"""What the agent remembers of a thread between turns (Redis): the last question it answered
and a digest of its reply, how many turns in a row showed its answers did not help, whether
an e-mail is known, and the visitor's last message held while a teammate owned the thread
(answered at the hand-back unless a teammate replied after it)."""

from dataclasses import dataclass
from typing import cast

from pydantic import ValidationError
from redis.asyncio import Redis

from baton_contracts import redis_keys
from baton_events import VisitorMessageReceived

TTL_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class ThreadMemory:
    last_message_id: str | None = None
    last_question: str | None = None
    ai_answered_last: bool = False
    unhelped_turns: int = 0
    email_known: bool = False
    last_answer: str | None = None  # unresolved.answer_digest of the last reply's text


class ThreadMemoryStore:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix

    def _key(self, thread_id: str) -> str:
        return redis_keys.agent_thread_memory(self._prefix, thread_id)

    async def load(self, thread_id: str) -> ThreadMemory:
        raw = cast(dict[str, str], await self._redis.hgetall(self._key(thread_id)))
        return ThreadMemory(
            last_message_id=raw.get("last_message_id") or None,
            last_question=raw.get("last_question") or None,
            ai_answered_last=raw.get("ai_answered_last") == "1",
            unhelped_turns=int(raw.get("unhelped_turns", "0")),
            email_known=raw.get("email_known") == "1",
            last_answer=raw.get("last_answer") or None,
        )

    async def remember_turn(
        self,
        thread_id: str,
        message_id: str,
        question: str,
        *,
        answered: bool,
        unhelped: int,
        answer: str = "",
    ) -> None:
        """`answer`: the reply's digest (baton_answering.unresolved.answer_digest)."""
        mapping = {
            "last_message_id": message_id,
            "last_question": question[:1000],
            "ai_answered_last": "1" if answered else "0",
            "unhelped_turns": str(unhelped),
            "last_answer": answer,
        }
        await self._save(thread_id, mapping)

    async def human_replied(self, thread_id: str) -> None:
        await self._save(thread_id, {"ai_answered_last": "0", "unhelped_turns": "0"})
        # The teammate replied after the held message: it is theirs to have answered.
        await self._redis.hdel(self._key(thread_id), "held_message")

    async def hold(self, message: VisitorMessageReceived) -> None:
        """The visitor wrote while a teammate owned the thread: the latest such message."""
        await self._save(message.thread_id, {"held_message": message.model_dump_json()})

    async def held(self, thread_id: str) -> VisitorMessageReceived | None:
        raw = await self._redis.hget(self._key(thread_id), "held_message")
        if not raw:
            return None
        try:
            return VisitorMessageReceived.model_validate_json(raw)
        except ValidationError:
            return None  # written by an older release: nothing to answer is better than a crash

    async def forget_held(self, thread_id: str, message_id: str) -> None:
        """Once answered. Only that message: a newer one held meanwhile stays."""
        held = await self.held(thread_id)
        if held is not None and held.message_id == message_id:
            await self._redis.hdel(self._key(thread_id), "held_message")

    async def email_known(self, thread_id: str) -> None:
        await self._save(thread_id, {"email_known": "1"})

    async def _save(self, thread_id: str, mapping: dict[str, str]) -> None:
        key = self._key(thread_id)
        # One round trip for both.
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.hset(key, mapping=mapping)  # type: ignore[arg-type]
            pipe.expire(key, TTL_SECONDS)
            await pipe.execute()
