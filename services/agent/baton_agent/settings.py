from pydantic import Field

from baton_answering.settings import AnsweringSettings
from baton_runtime.settings import CommonSettings


class AgentSettings(CommonSettings, AnsweringSettings):
    """The shared settings, the answering knobs (BATON_AGENT_ANSWERER, BATON_AGENT_LLM_...),
    and what only the service needs: its port, the handoff wait, bot caching, offline notice."""

    agent_host: str = "127.0.0.1"
    agent_port: int = 8400
    agent_top_k: int = Field(default=6, ge=1, le=50)
    agent_offline_reply_expectation: str = Field(
        default="a few hours",
        description="Told to visitors when a thread escalates and no teammate is online.",
    )
    agent_projection_wait_seconds: float = Field(
        default=2.0, ge=0, description="How long to wait for the handoff to fold a message."
    )
    agent_typing_wait_seconds: float = Field(
        default=30.0,
        ge=0,
        description="How long a visitor message waits for a teammate who is typing in its "
        "thread; when they stop without replying, the AI answers it. Still typing after this: "
        "the message is left to them.",
    )
    agent_account_hours_cache_seconds: float = Field(
        default=60.0,
        ge=0,
        description="How long an account's business hours are kept before they are read "
        "again (the offline notice follows a change in the inbox within this time).",
    )
    agent_bot_cache_seconds: float = Field(
        default=60.0,
        ge=0,
        description="How long a bot's answering settings (sensitive topics, answerer) are "
        "kept when no change event drops them sooner (the safety net for a missed "
        "BotChanged).",
    )
    agent_knowledge_handle_seconds: float = Field(
        default=2.0,
        ge=0,
        description="How long the agent keeps a bot's Chroma collection handles, whose "
        "metadata says the index revision: a re-ingest's new revision (the reload of the bot's "
        "in-memory snapshot: vectors, BM25 index, vocabulary) shows within this long.",
    )
    agent_chroma_concurrency: int = Field(
        default=4,
        ge=1,
        description="Chroma searches in flight at once per agent process; more queue here.",
    )
