"""The schema family of a bot on the staff API (`BotCreate`, `BotUpdate`, `BotPublic`)."""

from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from baton_contracts.bot_document import ANSWERER_CHOICES, AnswererChoice

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


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PrechatFieldSetting(Strict):
    field: Literal["name", "email", "company"]
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
    accent_color: Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")] | None = None
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
        """The settings to store: what was sent, normalized the way the gateway reads them."""
        sent = self.model_dump(exclude_unset=True)
        for required in ("name", "allowed_origins", "prechat_fields", "sensitive_topics"):
            if required in sent and sent[required] is None:
                sent.pop(required)
        if sent.get("allowed_origins") is not None:
            sent["allowed_origins"] = sorted({o.rstrip("/") for o in sent["allowed_origins"]})
        if sent.get("prechat_fields") is not None:
            fields = [f for i, f in enumerate(sent["prechat_fields"]) if _first(sent, i)]
            sent["prechat_fields"] = fields
        for text in ("display_name", "greeting"):
            if text in sent and not sent[text]:
                sent[text] = None  # an emptied box removes the setting
        return sent


def _first(sent: dict[str, Any], index: int) -> bool:
    names = [f["field"] for f in sent["prechat_fields"]]
    return names.index(names[index]) == index


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
    src = f"{gateway_public_url.rstrip('/')}/widget.js"
    return BotPublic(
        id=doc["_id"],
        bot_key=doc["bot_key"],
        name=doc.get("name") or doc["bot_key"],
        display_name=doc.get("display_name"),
        greeting=doc.get("greeting"),
        accent_color=doc.get("accent_color"),
        allowed_origins=list(doc.get("allowed_origins", [])),
        prechat_fields=_prechat(doc.get("prechat_fields")),
        sensitive_topics=list(doc.get("sensitive_topics", [])),
        handback_idle_seconds=doc.get("handback_idle_seconds"),
        # Lenient like the agent: a value written by hand that it would ignore shows as unset.
        answerer=doc["answerer"] if doc.get("answerer") in ANSWERER_CHOICES else None,
        identity_verification=bool(doc.get("identity_secret")),
        embed_snippet=f'<script src="{src}" data-bot="{doc["bot_key"]}" async></script>',
    )


def _prechat(raw: Any) -> list[PrechatFieldSetting]:
    """Lenient like the gateway: the shorthand `["name"]` and unknown entries (skipped) too."""
    fields = []
    for entry in raw if isinstance(raw, list) else []:
        candidate = {"field": entry} if isinstance(entry, str) else entry
        try:
            fields.append(PrechatFieldSetting.model_validate(candidate))
        except ValueError:
            continue
    return fields
