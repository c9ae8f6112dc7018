from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# Deliberately loose: the invite or reset e-mail itself is the real check of an address.
Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
    ),
]
NewPassword = Annotated[str, StringConstraints(min_length=8, max_length=200)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginRequest(Strict):
    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=200)


class LoginResponse(BaseModel):
    token: str
    staff_id: str
    name: str


class StaffPublic(BaseModel):
    id: str
    email: str
    name: str
    role: str


class StaffList(BaseModel):
    staff: list[StaffPublic]


class SessionResponse(BaseModel):
    """For the browser: the session itself travels in an httpOnly cookie."""

    staff: StaffPublic
    csrf_token: str


class AccountCreate(Strict):
    account_name: Name
    email: Email
    password: NewPassword


class AccountCreated(BaseModel):
    token: str
    account_id: str
    staff_id: str


class AccountPublic(BaseModel):
    id: str
    name: str


class ClientConfig(BaseModel):
    collision_window_seconds: int
    presence_viewing_seconds: int
    presence_typing_seconds: int
    heartbeat_seconds: float


class MeResponse(BaseModel):
    staff: StaffPublic
    account: AccountPublic
    config: ClientConfig


class InviteCreate(Strict):
    email: Email
    role: Literal["admin", "agent"] = "agent"


class InvitePublic(BaseModel):
    id: str
    email: str
    role: str
    invited_by: str
    expires_at: datetime


class InviteList(BaseModel):
    """The account's pending invites."""

    invites: list[InvitePublic]


class TokenBody(Strict):
    token: str = Field(min_length=10, max_length=200)


class InviteInfo(BaseModel):
    account_name: str
    email: str
    role: str
    invited_by: str


class InviteAccept(Strict):
    token: str = Field(min_length=10, max_length=200)
    name: Name
    password: NewPassword


class PasswordResetRequest(Strict):
    email: Email


class PasswordResetRequested(BaseModel):
    status: str


class PasswordResetConfirm(Strict):
    token: str = Field(min_length=10, max_length=200)
    password: NewPassword


class StaffMessageCreate(Strict):
    text: str = Field(min_length=1, max_length=4000)
    force: bool = Field(
        default=False, description="Send even though a teammate is typing or just replied."
    )


class NoteCreate(Strict):
    text: str = Field(min_length=1, max_length=4000)


class AssigneeUpdate(Strict):
    staff_id: str | None = Field(description="The teammate to assign, or null to unassign.")


class PresenceUpdate(Strict):
    state: Literal["viewing", "typing", "left"]


class Accepted(BaseModel):
    event_id: str
