"""Request and response bodies of the widget API."""

import re

from pydantic import BaseModel, Field, field_validator

from baton_events import VisitorProfile
from baton_runtime.request_body import RequestBody

MAX_TEXT_CHARS = 4000
# Deliberately loose: it catches typos like a missing @, and the inbox shows what was typed.
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class SessionCreate(RequestBody):
    bot_key: str = Field(min_length=1, max_length=200)
    visitor: VisitorProfile = Field(default_factory=VisitorProfile)
    page_url: str | None = Field(default=None, max_length=2000)
    user_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="The customer's id of a signed-in user (identity verification).",
    )
    user_hash: str | None = Field(
        default=None,
        max_length=200,
        description="Hex HMAC-SHA256 of user_id under the bot's identity secret, computed by "
        "the customer's backend.",
    )


class SessionPublic(BaseModel):
    thread_id: str
    visitor_token: str


class MessageCreate(RequestBody):
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)
    client_message_id: str = Field(min_length=1, max_length=100)

    @field_validator("text")
    @classmethod
    def not_blank(cls, text: str) -> str:
        if not text.strip():
            raise ValueError("text must not be blank")
        return text


class MessageAccepted(BaseModel):
    message_id: str


class SourcePublic(BaseModel):
    title: str
    url: str


class MessagePublic(BaseModel):
    id: str
    author: str = Field(description="visitor | ai | staff")
    text: str
    sources: list[SourcePublic]
    created_at: str
    staff_name: str | None = None


class MessageList(BaseModel):
    messages: list[MessagePublic]


class PrechatFieldPublic(BaseModel):
    field: str = Field(description="name | email | company")
    label: str
    required: bool


class BotPublic(BaseModel):
    """What the widget needs to draw itself before a session exists."""

    display_name: str
    greeting: str | None
    accent_color: str
    prechat_fields: list[PrechatFieldPublic]
    identity_verification: bool = Field(description="The bot has an identity secret set")


class TypingUpdate(RequestBody):
    typing: bool


class ContactCreate(RequestBody):
    email: str = Field(min_length=3, max_length=320)

    @field_validator("email")
    @classmethod
    def looks_like_email(cls, email: str) -> str:
        email = email.strip()
        if not EMAIL_PATTERN.match(email):
            raise ValueError("not an e-mail address")
        return email
