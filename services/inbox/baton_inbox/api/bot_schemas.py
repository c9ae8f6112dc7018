"""The schema family of a bot on the staff API (`BotCreate`, `BotUpdate`, `BotPublic`)."""

from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, StringConstraints

from baton_contracts.bot_document import HEX_COLOR, AnswererChoice, BotSettings, PrechatFieldName
from baton_runtime.request_body import RequestBody as Strict

# Scheme, host and optional port, nothing after: what a browser sends as its Origin header.
Origin = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=300, pattern=r"^https?://[^/\s?#]+/?$"),
]
SiteAddress = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=2000, pattern=r"^https?://[^/\s?#]+"),
]
Topic = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
BotName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]


class PrechatFieldSetting(Strict):
    field: PrechatFieldName
    required: bool = False


class BotCreate(Strict):
    name: BotName
    site_address: SiteAddress | None = Field(
        default=None,
        description="The address of the site the widget goes on (any page of it); its origin "
        "becomes the bot's first allowed origin.",
    )

    def allowed_origins(self) -> list[str]:
        if self.site_address is None:
            return []
        parts = urlsplit(self.site_address)
        return [f"{parts.scheme.lower()}://{parts.netloc.lower()}"]


class BotUpdate(Strict):
    """Only the fields sent change; `greeting: null` removes the greeting."""

    name: BotName | None = None
    display_name: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None
    ) = None
    greeting: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None
    accent_color: Annotated[str, StringConstraints(pattern=HEX_COLOR.pattern)] | None = None
    allowed_origins: list[Origin] | None = Field(default=None, max_length=50)
    prechat_fields: list[PrechatFieldSetting] | None = Field(default=None, max_length=3)
    sensitive_topics: list[Topic] | None = Field(default=None, max_length=100)
    handback_idle_seconds: int | None = Field(
        default=None, ge=60, le=7 * 24 * 3600, description="Idle time before the AI takes back."
    )
    answerer: AnswererChoice | None = Field(
        default=None,
        description="extractive quotes the help docs; generative has the agent's configured "
        "chat model write the answer (extractive when no model is configured). null: the "
        "agent's default.",
    )

    def changes(self) -> dict[str, Any]:
        """The settings to store: what was sent, normalized the way every reader parses it
        (BotSettings); a None value removes the setting."""
        sent = self.model_dump(exclude_unset=True)
        for required in ("name", "allowed_origins", "prechat_fields", "sensitive_topics"):
            if required in sent and sent[required] is None:
                sent.pop(required)
        if sent.get("allowed_origins") is not None:
            sent["allowed_origins"] = sorted({o.rstrip("/") for o in sent["allowed_origins"]})
        return BotSettings.stored_values(sent)


class BotPublic(BaseModel):
    id: str
    bot_key: str
    name: str
    display_name: str | None
    greeting: str | None
    accent_color: str | None
    allowed_origins: list[str]
    prechat_fields: list[PrechatFieldSetting]
    sensitive_topics: list[str]
    handback_idle_seconds: int | None
    answerer: AnswererChoice | None
    # Never the secret itself: it is shown once, when it is generated.
    identity_verification: bool
    embed_snippet: str


class IdentitySecret(BaseModel):
    identity_secret: str
    bot: BotPublic


def bot_public(doc: dict[str, Any], gateway_public_url: str) -> BotPublic:
    """Lenient like every reader (BotSettings.from_document): a value written by hand that
    the services would ignore shows as unset."""
    bot = BotSettings.from_document(doc, bot_id=str(doc.get("_id")))
    src = f"{gateway_public_url.rstrip('/')}/widget.js"
    return BotPublic(
        **bot.model_dump(include=_SHOWN_AS_STORED),
        id=bot.bot_id,
        name=bot.name or bot.bot_key,
        identity_verification=bot.identity_secret is not None,
        embed_snippet=f'<script src="{src}" data-bot="{bot.bot_key}" async></script>',
    )


# The settings BotPublic shows as the document holds them; the rest it derives.
_SHOWN_AS_STORED = (BotPublic.model_fields.keys() & BotSettings.model_fields.keys()) - {"name"}
