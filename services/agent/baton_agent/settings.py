from pydantic import Field

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
        default=3.0, ge=0, description="How long to wait for the handoff to fold a message."
    )
