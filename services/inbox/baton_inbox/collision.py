"""When sending a reply would collide with a teammate's (pure)."""

from baton_inbox.adapters.presence import Presence, RecentReply


def collision_warning(
    sender_id: str,
    people: list[Presence],
    recent: RecentReply | None,
    now_ms: int,
    window_seconds: int,
) -> str | None:
    """A sentence for the sender, or None when nobody else is on this reply."""
    if recent is not None and recent.staff_id != sender_id:
        age_seconds = max(0, (now_ms - recent.at_ms) // 1000)
        if age_seconds < window_seconds:
            return f"{recent.name} replied {age_seconds} s ago."
    typing = [p.name for p in people if p.state == "typing" and p.staff_id != sender_id]
    if typing:
        names = " and ".join(typing)
        return f"{names} {'is' if len(typing) == 1 else 'are'} typing in this thread."
    return None
