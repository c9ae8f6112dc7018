"""The agent's answering pipeline: question in, answer with sources and an escalation verdict out.

The Kafka handler, `baton ask` and `baton eval` all go through `Answerer.answer`, so what the
evaluation measures is what visitors get.
"""

from baton_agent.adapters.knowledge import Retriever
from baton_agent.domain import Answer, compose_answer
from baton_agent.settings import AgentSettings


class Answerer:
    def __init__(self, retriever: Retriever, settings: AgentSettings) -> None:
        self._retriever = retriever
        self._settings = settings

    async def answer(self, bot_id: str, question: str) -> Answer:
        hits = await self._retriever.search(bot_id, question, self._settings.agent_top_k)
        return compose_answer(
            hits,
            min_confidence=self._settings.agent_min_confidence,
            max_chars=self._settings.agent_answer_chars,
        )
