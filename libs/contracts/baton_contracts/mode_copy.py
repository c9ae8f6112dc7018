"""The handoff's hot copy of its mode projection in Redis, as the agent reads it.

`mode` is a `baton_events.ThreadMode` value ("ai", "human", "closed"); readers convert it.
"""

from typing import Any

from pydantic import BaseModel, ConfigDict


class HotMode(BaseModel):
    """The hash at `redis_keys.thread_mode`: the thread's mode, its version (one more per
    change), the idle hand-back deadline (ISO 8601, or "" when none) and the log position the
    handoff has folded up to. Redis hands every field back as text; validation converts."""

    model_config = ConfigDict(frozen=True)

    mode: str
    version: int
    deadline: str = ""
    position: int = -1

    def as_hash(self) -> dict[str, Any]:
        return self.model_dump()


class ModeVerdict(BaseModel):
    """The string at `redis_keys.mode_at_message`, "{mode}:{version}": the mode right after
    one visitor message in the log, so whether the AI may answer it."""

    model_config = ConfigDict(frozen=True)

    mode: str
    version: int

    def encode(self) -> str:
        return f"{self.mode}:{self.version}"

    @classmethod
    def decode(cls, raw: str) -> "ModeVerdict":
        mode, _, version = raw.partition(":")
        return cls(mode=mode, version=int(version or 0))
