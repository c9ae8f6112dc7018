"""The agent's answering pipeline: question in, answer with sources and an escalation verdict out.

The Kafka handler, `baton ask` and `baton eval` all go through `Answerer.answer`, so what the
evaluation measures is what visitors get.
"""

from collections.abc import Sequence

from baton_agent.adapters.knowledge import Retriever
from baton_agent.domain import Answer, Confidence, compose_answer, hand_over
from baton_agent.escalation_rules import DEFAULT_SENSITIVE_TOPICS, SensitiveTopic, detect
from baton_agent.generative import GenerativeAnswerer, build_chat_model
from baton_agent.settings import AgentSettings


class Answerer:
    """Extractive by default; with BATON_AGENT_ANSWERER=generative a chat model writes the
    answer from the same passages, and the extractive answer is its fallback."""

    def __init__(
        self,
        retriever: Retriever,
        settings: AgentSettings,
        generative: GenerativeAnswerer | None = None,
    ) -> None:
        self._retriever = retriever
        self._settings = settings
        self._confidence = Confidence(
            min_similarity=settings.agent_min_confidence,
            named_similarity=settings.agent_unknown_name_confidence,
        )
        if generative is None and settings.agent_answerer == "generative":
            generative = GenerativeAnswerer(build_chat_model(settings), settings)
        self._generative = generative

    async def answer(
        self,
        bot_id: str,
        question: str,
        *,
        sensitive_topics: Sequence[SensitiveTopic] = DEFAULT_SENSITIVE_TOPICS,
    ) -> Answer:
        # A visitor who asks for a person, or raises what only staff may handle, gets a
        # teammate straight away: quoting the docs at them would only be in the way.
        escalation = detect(question, topics=sensitive_topics)
        if escalation is not None:
            return hand_over(escalation)
        retrieval = await self._retriever.retrieve(bot_id, question)
        # Composed first in every mode: cheap, and the generative answerer's fallback.
        extractive = compose_answer(
            question,
            retrieval,
            confidence=self._confidence,
            max_chars=self._settings.agent_answer_chars,
        )
        if self._generative is None or extractive.escalate:
            return extractive
        return await self._generative.answer(question, retrieval, extractive)
