from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from baton_runtime.request_body import RequestBody as Strict

# The plain form of an address (RFC 5321 dot-atom @ host name, ASCII): anything else, such as
# control characters, quotes or `<>`, cannot go into a mail header as is. Whether the address
# exists is for the invite or reset e-mail itself to find out.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL_PATTERN = rf"^{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})+$"
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=3, max_length=254, pattern=EMAIL_PATTERN),
]
NewPassword = Annotated[str, StringConstraints(min_length=8, max_length=200)]
# No control characters: names go into e-mail subjects, where a line break is refused.
Name = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=120, pattern=r"^[^\x00-\x1f\x7f]+$"
    ),
]


class LoginRequest(Strict):
    # No control characters: such an address can belong to no account, and a NUL byte is
    # refused by some MongoDB-compatible stores (PostgreSQL text) with a server error.
    email: str = Field(min_length=3, max_length=320, pattern=r"^[^\x00-\x1f\x7f]+$")
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


class SignupRequested(BaseModel):
    status: str


class SignupConfirm(Strict):
    token: str = Field(min_length=10, max_length=200)
    password: str = Field(min_length=1, max_length=200)


class AccountCreated(BaseModel):
    token: str
    account_id: str
    staff_id: str
    email: str


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
