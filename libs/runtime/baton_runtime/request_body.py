"""The base of every request body the APIs take: unknown fields refused, and no text a
document store cannot hold."""

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

NUL = "\x00"


def holds_nul(value: Any) -> bool:
    """Whether U+0000 is in `value`'s text, nested models and collections included."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, BaseModel):
        return holds_nul(value.model_dump())
    if isinstance(value, dict):
        return any(holds_nul(key) or holds_nul(item) for key, item in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return any(holds_nul(item) for item in value)
    return False


class RequestBody(BaseModel):
    """U+0000 is valid JSON, but PostgreSQL's jsonb (under the local FerretDB) refuses it: a
    message holding one was accepted with a 202 and then never stored, and every later event
    of its partition waited behind it. Refused here with a 422 that names the field; no
    person types one, and text pasted with one is sent again without it."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any, info: ValidationInfo) -> Any:
        if holds_nul(value):
            raise ValueError(f"{info.field_name} must not contain the NUL character (U+0000)")
        return value
