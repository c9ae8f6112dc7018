"""Detecting visitors the AI is not helping: a turn that says so, or asks the same again.

Two such turns in a row escalate the thread as `unresolved`. Pure functions: the state lives
with the caller (the agent keeps it in Redis, adapters/thread_memory.py).
"""

import hashlib
import re

UNRESOLVED_TURNS = 2

_NOT_HELPED = re.compile(
    r"\b("
    r"(did|does|do|has|have|is)(n'?t| not) (help|work|answer|fix|solve)\w*"
    r"|(still|again)\b.{0,20}\b(not|n'?t|broken|same|fail|error|stuck|wrong)"
    r"|not what i (asked|meant|need|wanted)"
    r"|(that|this|it)('?s| is| was) (wrong|not it|not right|useless|not helpful|not relevant)"
    r"|(useless|unhelpful|not helpful|no help|makes no sense|doesn'?t make sense)"
    r"|same (problem|issue|error|thing)"
    r"|you('?re| are) not (helping|understanding|listening)"
    r"|i (already|just) (tried|did) (that|this|it)"
    r"|that (didn'?t|did not|doesn'?t|does not)"
    r"|^no\b[,.! ]"
    r")",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z0-9]+")
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "i",
        "my",
        "me",
        "to",
        "do",
        "does",
        "how",
        "can",
        "is",
        "it",
        "in",
        "on",
        "of",
        "for",
        "and",
        "or",
        "with",
        "you",
        "your",
        "we",
        "our",
        "what",
        "where",
        "when",
        "why",
        "this",
        "that",
        "there",
        "be",
        "are",
        "was",
        "please",
    ]
)


def content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOPWORDS and len(w) > 1}


def is_rephrase(previous: str, current: str) -> bool:
    """Asking the same thing again (most content words shared) says the answer missed."""
    before, now = content_words(previous), content_words(current)
    if len(before) < 2 or len(now) < 2:
        return False
    return len(before & now) / len(before | now) >= 0.5


def is_complaint(text: str) -> bool:
    """The turn says the last answer missed (rather than asking something)."""
    return _NOT_HELPED.search(text.strip()) is not None


def shows_not_helped(current: str, previous_question: str | None) -> bool:
    if is_complaint(current):
        return True
    return previous_question is not None and is_rephrase(previous_question, current)


def next_unhelped_count(
    count: int, *, ai_answered_last: bool, current: str, previous_question: str | None
) -> int:
    """Consecutive turns that show the last AI answer did not help."""
    if ai_answered_last and shows_not_helped(current, previous_question):
        return count + 1
    return 0


def answer_digest(text: str) -> str:
    """A short fingerprint of an answer's text, kept between turns to tell a repeat."""
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def asks_what_is_missing(unhelped: int, *, complaint: bool, same_answer_again: bool) -> bool:
    """The first turn that shows the last answer missed gets a question back, not an answer:
    "that didn't help" is no question for the docs, and the same question asked again would
    get the same answer again. A rephrase that finds another answer gets that answer."""
    return 0 < unhelped < UNRESOLVED_TURNS and (complaint or same_answer_again)
