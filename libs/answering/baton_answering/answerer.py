"""The answering pipeline: question in, answer with sources and an escalation verdict out.

The agent's Kafka handler, `baton ask` and `baton eval` all go through `Answerer.answer`, so
what the evaluation measures is what visitors get.
"""

from collections.abc import Sequence

import structlog

from baton_answering.answer import Answer, Confidence, compose_answer, hand_over
from baton_answering.config import AnsweringConfig
from baton_answering.escalation_rules import DEFAULT_SENSITIVE_TOPICS, SensitiveTopic, detect
from baton_answering.generative import GenerativeAnswerer, build_chat_model, model_configured
from baton_answering.intents import IntentMatcher, IntentThresholds
from baton_answering.retriever import Retriever
from baton_contracts.bot_document import AnswererChoice

log = structlog.get_logger()


class Answerer:
    """Extractive by default; a bot (or BATON_AGENT_ANSWERER for every bot) may choose
    generative, and then a chat model writes the answer from the same passages, with the
    extractive answer as its fallback."""

    def __init__(
        self,
        retriever: Retriever,
        config: AnsweringConfig,
        generative: GenerativeAnswerer | None = None,
    ) -> None:
        self._retriever = retriever
        self._config = config
        self._confidence = Confidence(
            min_similarity=config.min_similarity, named_similarity=config.named_similarity
        )
        if generative is None and model_configured(config):
            generative = GenerativeAnswerer(build_chat_model(config.chat_model), config)
        self._generative = generative
        self._intents = IntentMatcher(
            retriever.embedder,
            IntentThresholds(config.intent_min_similarity, config.intent_margin),
        )
        self._warned_no_model: set[str] = set()

    async def warm_up(self) -> None:
        """What every answer needs once per process, done before the first visitor waits."""
        await self._intents.prepare()

    async def answer(
        self,
        bot_id: str,
        question: str,
        *,
        sensitive_topics: Sequence[SensitiveTopic] = DEFAULT_SENSITIVE_TOPICS,
        answerer: AnswererChoice | None = None,
    ) -> Answer:
        """`sensitive_topics` is the whole list checked (it replaces the defaults); `answerer`
        is the bot's choice, None for the service default."""
        # A visitor who asks for a person, or raises what only staff may handle, gets a
        # teammate straight away: quoting the docs at them would only be in the way.
        escalation = detect(question, topics=sensitive_topics)
        if escalation is not None:
            return hand_over(escalation)
        # The same request in words the rules do not know: recognised by meaning, from the
        # vector retrieval needs anyway.
        vector = await self._retriever.embed_question(question)
        escalation = await self._intents.match(vector)
        if escalation is not None:
            return hand_over(escalation)
        retrieval = await self._retriever.retrieve(bot_id, question, vector)
        # Composed first in every mode: cheap, and the generative answerer's fallback.
        extractive = compose_answer(
            question,
            retrieval,
            confidence=self._confidence,
            max_chars=self._config.answer_chars,
        )
        generative = self._generative_for(bot_id, answerer or self._config.answerer)
        if generative is None or extractive.escalate:
            return extractive
        return await generative.answer(question, retrieval, extractive)

    def _generative_for(self, bot_id: str, choice: AnswererChoice) -> GenerativeAnswerer | None:
        if choice != "generative":
            return None
        if self._generative is None and bot_id not in self._warned_no_model:
            # The bot asked for a model the operator has not configured: it still answers,
            # extractively, and the log says why (once per bot, not once per message).
            self._warned_no_model.add(bot_id)
            log.warning("generative_answerer_not_configured", bot_id=bot_id, using="extractive")
        return self._generative
