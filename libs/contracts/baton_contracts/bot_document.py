"""The `bots` document in MongoDB: written by the inbox only, read by gateway, agent and
inbox. `BotSettings` is its one model; every reader parses a document through
`BotSettings.from_document`, which is lenient: a hand-edited or older document with one bad
setting still gives a bot that answers, with that setting at its default."""

import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal, get_args

import structlog
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

log = structlog.get_logger()

BOTS_COLLECTION = "bots"

# How the agent writes a bot's answers; unset, the agent's BATON_AGENT_ANSWERER decides.
AnswererChoice = Literal["extractive", "generative"]
ANSWERER_CHOICES: tuple[str, ...] = get_args(AnswererChoice)

PrechatFieldName = Literal["name", "email", "company"]
PRECHAT_FIELDS: tuple[str, ...] = get_args(PrechatFieldName)

HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")

# Identity: without these a document is no bot at all, so a bad one is an error, not a default.
IDENTITY_FIELDS = frozenset({"bot_id", "account_id", "bot_key"})
_PLACEHOLDER_IDENTITY = {"_id": "-", "account_id": "-", "bot_key": "-"}


def _text(limit: int) -> BeforeValidator:
    """Stripped and cut to `limit`; a blank box means the setting is unset."""

    def clean(value: Any) -> Any:
        return (value.strip()[:limit] or None) if isinstance(value, str) else value

    return BeforeValidator(clean)


def _blank_is_unset(value: Any) -> Any:
    return (value or None) if isinstance(value, str) else value


def _hex_color(value: Any) -> Any:
    if isinstance(value, str) and not HEX_COLOR.match(value):
        raise ValueError("not a #rrggbb colour")
    return value


class PrechatField(BaseModel):
    """One question of the widget's pre-chat form."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    field: PrechatFieldName
    required: bool = False

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, raw: Any) -> Any:
        # `"email"` is short for `{"field": "email"}`; only a literal true makes it required.
        if isinstance(raw, str):
            return {"field": raw}
        if isinstance(raw, Mapping):
            return {**raw, "required": raw.get("required") is True}
        return raw


class BotSettings(BaseModel):
    """One bot as the inbox stores it. Unset settings are None or empty: each reader decides
    what unset means for it (the widget's default colour, the agent's default answerer, the
    handoff's default idle time)."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    bot_id: str = Field(alias="_id", description="The bot's id (the document's _id).")
    account_id: str = Field(description="The tenant the bot belongs to; it never changes.")
    bot_key: str = Field(description="Public key the widget's script tag names the bot by.")
    revision: int = Field(
        default=0, description="Counts the writes; BotChanged carries it to order them."
    )
    name: Annotated[str | None, _text(200)] = Field(
        default=None, description="The bot's name on the Bots page."
    )
    display_name: Annotated[str | None, _text(200)] = Field(
        default=None, description="The name the widget shows visitors; unset: the bot's name."
    )
    greeting: Annotated[str | None, _text(500)] = Field(
        default=None, description="The widget's first message; unset: none."
    )
    accent_color: Annotated[str | None, BeforeValidator(_hex_color)] = Field(
        default=None, description="The widget's #rrggbb colour; unset: the widget's own."
    )
    allowed_origins: tuple[str, ...] = Field(
        default=(),
        description="Sites (scheme://host[:port]) whose pages may open the widget; none: nowhere.",
    )
    prechat_fields: tuple[PrechatField, ...] = Field(
        default=(), description="What the widget asks before the chat, in order."
    )
    sensitive_topics: tuple[str, ...] = Field(
        default=(), description="Phrases the agent escalates, on top of the built-in topics."
    )
    handback_idle_seconds: int | None = Field(
        default=None,
        gt=0,
        description="Idle time of a human-owned thread before the AI takes it back; unset: "
        "the handoff's BATON_HANDOFF_HANDBACK_IDLE_SECONDS.",
    )
    answerer: AnswererChoice | None = Field(
        default=None, description="How the agent writes answers; unset: BATON_AGENT_ANSWERER."
    )
    identity_secret: Annotated[str | None, BeforeValidator(_blank_is_unset)] = Field(
        default=None,
        description="HMAC-SHA256 key the customer's backend signs its user ids with.",
    )

    @field_validator("allowed_origins")
    @classmethod
    def _no_trailing_slash(cls, origins: tuple[str, ...]) -> tuple[str, ...]:
        # A browser's Origin header has none; a pasted site address often has one.
        return tuple(origin.rstrip("/") for origin in origins)

    @field_validator("prechat_fields")
    @classmethod
    def _first_mention(cls, fields: tuple[PrechatField, ...]) -> tuple[PrechatField, ...]:
        kept: dict[str, PrechatField] = {}
        for field in fields:
            kept.setdefault(field.field, field)
        return tuple(kept.values())

    @classmethod
    def from_document(cls, doc: Mapping[str, Any], bot_id: str) -> "BotSettings":
        """The bot of one document, lenient on its settings: a malformed one falls back to
        its default (a list keeps its good entries) and is logged with the bot and the field.
        Raises ValidationError only for a document with no usable identity."""
        # None is how a removed setting may read back: the same as absent.
        values = {key: value for key, value in doc.items() if value is not None}
        for _ in range(len(cls.model_fields) + 1):  # each pass drops at least one bad value
            try:
                return cls.model_validate(values)
            except ValidationError as error:
                if not _drop_malformed(values, error, bot_id):
                    raise
        return cls.model_validate(values)

    @classmethod
    def stored_values(cls, settings: Mapping[str, Any]) -> dict[str, Any]:
        """Settings about to be written, as a reader will parse them back (a blank text is
        None, an origin loses its trailing slash...). None stays None: the write unsets it.
        Strict, unlike from_document: a value the model refuses raises ValidationError."""
        unknown = settings.keys() - (cls.model_fields.keys() - IDENTITY_FIELDS)
        if unknown:
            raise ValueError(f"not bot settings: {sorted(unknown)}")
        present = {key: value for key, value in settings.items() if value is not None}
        # Identity is not being written; placeholders let the settings validate on their own.
        parsed = cls.model_validate({**_PLACEHOLDER_IDENTITY, **present})
        dumped = parsed.model_dump(mode="json", include=set(present))
        return {key: dumped.get(key) for key in settings}

    def to_document(self) -> dict[str, Any]:
        """The fields to store (unset settings left out), under their document names."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


def _drop_malformed(values: dict[str, Any], error: ValidationError, bot_id: str) -> bool:
    """Removes what `error` found malformed: an entry of a list setting, or the whole setting.
    False if an identity field is at fault (nothing can stand in for it)."""
    by_alias = {field.alias or name: name for name, field in BotSettings.model_fields.items()}
    whole: set[str] = set()
    entries: dict[str, set[int]] = {}
    for problem in error.errors():
        key = str(problem["loc"][0]) if problem["loc"] else ""
        if by_alias.get(key, key) in IDENTITY_FIELDS or key not in values:
            return False
        index = problem["loc"][1] if len(problem["loc"]) > 1 else None
        if isinstance(index, int) and isinstance(values[key], list | tuple):
            entries.setdefault(key, set()).add(index)
        else:
            whole.add(key)
    for key in whole | entries.keys():
        log.warning("bot_setting_malformed", bot_id=bot_id, field=key)
        if key in whole:
            del values[key]
        else:
            values[key] = [entry for i, entry in enumerate(values[key]) if i not in entries[key]]
    return True
