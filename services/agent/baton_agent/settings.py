from typing import Literal

from pydantic import Field, SecretStr

from baton_contracts.bot_document import AnswererChoice
from baton_runtime.settings import CommonSettings


class AgentSettings(CommonSettings):
    agent_host: str = "127.0.0.1"
    agent_port: int = 8400
    agent_top_k: int = Field(default=6, ge=1, le=50)
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
    agent_offline_reply_expectation: str = Field(
        default="a few hours",
        description="Told to visitors when a thread escalates and no teammate is online.",
    )
    agent_projection_wait_seconds: float = Field(
        default=2.0, ge=0, description="How long to wait for the handoff to fold a message."
    )
    agent_answerer: AnswererChoice = Field(
        default="extractive",
        description="The answerer of bots that do not choose one: extractive quotes the docs; "
        "generative asks a chat model to write the answer from the same passages (falls back "
        "to extractive when the model fails).",
    )
    agent_bot_cache_seconds: float = Field(
        default=60.0,
        ge=0,
        description="How long a bot's answering settings (sensitive topics, answerer) are "
        "kept when no change event drops them sooner (the safety net for a missed "
        "BotChanged).",
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
