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
    agent_answer_chars: int = Field(default=600, ge=100)
    agent_projection_wait_seconds: float = Field(
        default=3.0, ge=0, description="How long to wait for the handoff to fold a message."
    )
