"""Who may do what in an account (pure). Every teammate works threads; admins and the owner
also manage the team; there is exactly one owner, who cannot be removed."""

from typing import Literal

Role = Literal["owner", "admin", "agent"]
INVITABLE_ROLES: tuple[Role, ...] = ("admin", "agent")


def can_manage_team(role: str) -> bool:
    return role in ("owner", "admin")


def can_invite(actor_role: str, invited_role: str) -> bool:
    return can_manage_team(actor_role) and invited_role in INVITABLE_ROLES


def removal_refusal(actor_id: str, actor_role: str, target_id: str, target_role: str) -> str | None:
    """Why `actor` may not remove `target`, or None when it may."""
    if not can_manage_team(actor_role):
        return "only the owner and admins manage the team"
    if target_role == "owner":
        return "the owner cannot be removed"
    if actor_id == target_id:
        return "you cannot remove yourself; ask another admin or the owner"
    return None
