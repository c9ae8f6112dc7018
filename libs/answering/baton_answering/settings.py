"""The answering knobs as environment settings. The agent service and the `baton` command line
both mix them in, so one BATON_AGENT_ variable tunes what visitors get and what `baton eval`
measures alike. The names keep their `agent_` prefix: operators already set them."""

from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from baton_answering.config import AnsweringConfig, ChatModelConfig
from baton_contracts.bot_document import AnswererChoice


class AnsweringSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BATON_", extra="ignore")

    agent_min_confidence: float = Field(
        default=0.35,
        ge=0,
        le=1,
        description="Below this retrieval similarity the agent won't guess.",
    )
    agent_unknown_name_confidence: float = Field(
        default=0.6,
        ge=0,
        le=1,
        description="Similarity needed when the question names something the docs never mention.",
    )
    agent_answer_chars: int = Field(default=650, ge=100)
    agent_intent_min_similarity: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="How close a message must be to an example of a reason for a teammate "
        "(asked for a person, billing dispute, refund, ...) to be routed by meaning.",
    )
    agent_intent_margin: float = Field(
        default=0.17,
        ge=0,
        le=1,
        description="How much nearer that example must be than any how-to question example.",
    )
    agent_answerer: AnswererChoice = Field(
        default="extractive",
        description="The answerer of bots that do not choose one: extractive quotes the docs; "
        "generative asks a chat model to write the answer from the same passages (falls back "
        "to extractive when the model fails).",
    )
    agent_llm_provider: Literal["openai", "ollama"] = Field(
        default="openai", description="Any OpenAI-compatible endpoint, or a local Ollama."
    )
    agent_llm_model: str = "gpt-4o-mini"
    agent_llm_base_url: str | None = Field(
        default=None,
        description="The endpoint's base URL (…/v1); default OpenAI's, or Ollama's on 127.0.0.1.",
    )
    agent_llm_api_key: SecretStr = SecretStr("")
    agent_llm_timeout_seconds: float = Field(
        default=15.0, gt=0, description="Past this the extractive answer is sent instead."
    )
    agent_llm_max_passages: int = Field(default=6, ge=1, le=20)

    def answering_config(self) -> AnsweringConfig:
        return AnsweringConfig(
            min_similarity=self.agent_min_confidence,
            named_similarity=self.agent_unknown_name_confidence,
            answer_chars=self.agent_answer_chars,
            answerer=self.agent_answerer,
            chat_model=ChatModelConfig(
                provider=self.agent_llm_provider,
                model=self.agent_llm_model,
                base_url=self.agent_llm_base_url,
                api_key=self.agent_llm_api_key,
                timeout_seconds=self.agent_llm_timeout_seconds,
                max_passages=self.agent_llm_max_passages,
            ),
            intent_min_similarity=self.agent_intent_min_similarity,
            intent_margin=self.agent_intent_margin,
        )
