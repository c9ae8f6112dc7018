"""What the AI adds when it escalates and nobody can pick the thread up right away."""

from dataclasses import replace

from baton_answering.answer import Answer

CLARIFY_TEXT = (
    "Sorry that didn't help. Could you tell me a bit more: what are you trying to do, and "
    "what do you see instead?"
)
UNRESOLVED_TEXT = (
    "I'm sorry my answers haven't solved this. I'm bringing in a teammate who can look at "
    "it with you."
)


def offline_notice(reply_expectation: str, *, email_known: bool) -> str:
    notice = f"Our team isn't online right now; we usually reply within {reply_expectation}."
    if not email_known:
        notice += " Leave your e-mail address here so we can follow up."
    return notice


def with_offline_notice(answer: Answer, notice: str) -> Answer:
    return replace(answer, text=f"{answer.text}\n\n{notice}")
