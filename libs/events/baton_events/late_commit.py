"""The delivery rule of an `AiReplyCommitted`, the same for every service that reads one."""


def overtaken_by_teammate(proposal_position: int, last_staff_position: int | None) -> bool:
    """Whether a commit must not reach the visitor: the handoff commits a proposal after
    reading it, and a teammate's message can land in the log between that read and the
    commit. A commit whose proposal is older than the thread's latest teammate message before
    it would be the AI talking over a human, so the gateway withholds it and the inbox shows it
    as a draft not sent. `last_staff_position` is None (or negative) when no teammate wrote."""
    return last_staff_position is not None and last_staff_position > proposal_position
