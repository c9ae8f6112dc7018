"""What answering needs to know, whoever runs it: the agent service or the `baton` command.

Plain values, built from settings by the caller (see `AnsweringSettings.answering_config`), so
the library reads no environment and knows no service.
"""

from dataclasses import dataclass
from typing import Literal

from pydantic import SecretStr

from baton_contracts.bot_document import AnswererChoice


@dataclass(frozen=True)
class ChatModelConfig:
    """The generative answerer's model: any OpenAI-compatible endpoint, or a local Ollama."""

    provider: Literal["openai", "ollama"]
    model: str
    base_url: str | None
    api_key: SecretStr
    timeout_seconds: float
    max_passages: int


@dataclass(frozen=True)
class AnsweringConfig:
    # Below this best dense similarity nothing in the docs is close enough to answer from.
    min_similarity: float
    # What a question naming something the docs never mention needs instead.
    named_similarity: float
    answer_chars: int
    answerer: AnswererChoice  # for bots that do not choose one
    chat_model: ChatModelConfig
    # A message whose nearest intent example is this close, and this much nearer than any
    # how-to look-alike, goes to a teammate (`intents.py`).
    intent_min_similarity: float = 0.5
    intent_margin: float = 0.17
