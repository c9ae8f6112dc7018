"""Request and response bodies of the widget API."""

from pydantic import BaseModel, ConfigDict, Field, field_validator

from baton_events import VisitorProfile

MAX_TEXT_CHARS = 4000


class SessionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    bot_key: str = Field(min_length=1, max_length=200)
    visitor: VisitorProfile = Field(default_factory=VisitorProfile)
    page_url: str | None = Field(default=None, max_length=2000)


class SessionPublic(BaseModel):
    thread_id: str
    visitor_token: str


class MessageCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

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
