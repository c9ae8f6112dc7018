"""A generative answerer: a LangChain chat model writes the answer from retrieved passages.

It must cite: a reply is used only when it cites passages it was given, and then links exactly
those pages. When the model is unreachable, errs, times out or cites nothing, the visitor gets
the extractive answer instead, so a model outage never leaves a question unanswered.
"""

import asyncio

import structlog
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from baton_answering.answer import Answer, hand_over, ranking_of
from baton_answering.citations import (
    NO_ANSWER,
    SYSTEM_PROMPT,
    check_reply,
    select_passages,
    user_prompt,
)
from baton_answering.config import AnsweringConfig, ChatModelConfig
from baton_answering.escalation_rules import Escalation
from baton_events import EscalationReason, SourceRef
from baton_retrieval.hybrid import Retrieval

log = structlog.get_logger()
OLLAMA_BASE_URL = "http://127.0.0.1:11434/v1"


def model_configured(config: AnsweringConfig) -> bool:
    """Whether there is a chat model to ask: the service answers generatively, or the
    operator named an endpoint, a key or Ollama, so that bots may choose it one by one."""
    chat = config.chat_model
    return (
        config.answerer == "generative"
        or chat.base_url is not None
        or chat.provider == "ollama"
        or bool(chat.api_key.get_secret_value())
    )


def build_chat_model(chat: ChatModelConfig) -> BaseChatModel:
    """An OpenAI-compatible chat endpoint; Ollama serves one under /v1."""
    # Imported here: the extractive default should not pay for loading the OpenAI client.
    from langchain_openai import ChatOpenAI

    base_url = chat.base_url
    if base_url is None and chat.provider == "ollama":
        base_url = OLLAMA_BASE_URL
    # Local servers need no key, but the OpenAI client refuses an empty one.
    api_key = chat.api_key.get_secret_value() or "unused"
    return ChatOpenAI(
        model=chat.model,
        base_url=base_url,
        api_key=api_key,
        timeout=chat.timeout_seconds,
        max_retries=0,  # the extractive fallback is the retry
        temperature=0,
    )


class GenerativeAnswerer:
    def __init__(self, model: BaseChatModel, config: AnsweringConfig) -> None:
        self._model = model
        self._timeout = config.chat_model.timeout_seconds
        self._max_passages = config.chat_model.max_passages
        self._max_chars = config.answer_chars
        self._system = SYSTEM_PROMPT.format(max_chars=self._max_chars, no_answer=NO_ANSWER)

    async def answer(self, question: str, retrieval: Retrieval, fallback: Answer) -> Answer:
        passages = select_passages(retrieval.pages, self._max_passages)
        messages = [SystemMessage(self._system), HumanMessage(user_prompt(question, passages))]
        try:
            reply = await asyncio.wait_for(self._model.ainvoke(messages), self._timeout)
        except Exception as exc:
            # Unreachable, an error status, a timeout: any of them means the extractive answer.
            log.warning("generative_fallback", cause=type(exc).__name__, detail=str(exc)[:200])
            return fallback
        checked = check_reply(str(reply.content), passages)
        if checked.no_answer:
            return hand_over(
                Escalation(EscalationReason.OUT_OF_DOCS, "model found no answer"), retrieval
            )
        if not checked.pages or not checked.text:
            log.warning("generative_fallback", cause="no_valid_citation")
            return fallback
        return Answer(
            checked.text,
            tuple(SourceRef(title=page.title, url=page.url) for page in checked.pages),
            fallback.confidence,
            False,
            None,
            tuple(page.source for page in checked.pages),
            ranking_of(retrieval),
            similarity=fallback.similarity,
            agreement=fallback.agreement,
        )
