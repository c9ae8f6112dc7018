"""Which visitor messages need a teammate whatever the docs say. Pure functions, no I/O.

Two kinds are decided from the message alone:
- asked_for_human: the visitor wants a person (many phrasings: "talk to a real person",
  "get me a human", "can someone call me back", "this bot is useless", "speak to a manager").
- sensitive_topic: a request only staff may handle: a billing dispute, a refund, cancelling
  the visitor's own plan, a privacy request about the visitor's own data, a permission change
  for the visitor. The patterns look for the visitor's own stake ("my card", "our
  subscription", "about me", "make me an admin"), so the same words in a how-to question
  ("how do I give a teammate admin rights?", "erase a contact's personal data") stay with the docs.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from baton_events import EscalationReason

_FLAGS = re.IGNORECASE


def _any(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern, _FLAGS) for pattern in patterns)


_PERSON = (
    r"(?:human|person|people|someone|somebody|anyone|agent|rep|representative|manager|"
    r"supervisor|staff|operator|team ?mate|employee|support team|sales team|sales|support|"
    r"engineer|consultant|man|woman|guy)"
)
_ASKED_FOR_HUMAN = _any(
    rf"\b(?:talk|speak|chat|discuss)\w*\s+(?:to|with)\s+(?:a|an|the|your|some|one of your)?\s*(?:real|live|actual|proper)?\s*{_PERSON}\b",
    r"\b(?:real|live|actual)\s+(?:human|person|people|agent|operator)\b",
    r"\b(?:get|give|want|need|connect|put)\s+(?:me\s+)?(?:to\s+|with\s+|through to\s+)?(?:a|an)\s+(?:human|person|agent|operator|manager|representative)\b",
    r"\b(?:transfer|escalate|connect|forward)\s+(?:me|this|my (?:case|issue|request))\b",
    r"\b(?:call|phone|ring|e-?mail|contact|reach)\s+me\b",
    r"\b(?:call|get)\s+(?:me\s+)?back\s+to\s+me\b|\bcall\s*back\b",
    r"\bsomeone\s+from\s+(?:your|the)\s+\w+",
    r"\b(?:bot|chatbot|ai|robot|machine)\b[^.?!]{0,30}\b(?:useless|stupid|dumb|not help\w*|doesn'?t help|isn'?t help\w*|no help)\b",
    r"\b(?:not|no more|stop)\s+(?:talking to\s+)?(?:a|the|this)?\s*(?:bot|robot|machine|ai)\b",
    r"\b(?:don'?t|do not)\s+want\s+(?:to\s+\w+\s+(?:to|with)\s+)?(?:a|the|this|an)\s+(?:bot|robot|machine|ai)\b",
    r"^\W*(?:human|agent|operator|representative|person)\W*(?:please|pls|now)?\W*$",
    r"\b(?:human|agent|operator)\s+(?:please|pls|now)\b",
)


@dataclass(frozen=True)
class SensitiveTopic:
    """A kind of request staff must handle; a bot may pass its own list to `Answerer.answer`."""

    name: str
    patterns: tuple[re.Pattern[str], ...]

    @classmethod
    def from_phrases(cls, name: str, phrases: Sequence[str]) -> "SensitiveTopic":
        """Plain phrases, matched as whole words anywhere in the message, with any spacing
        between words and an optional plural ending ("refund" also catches "refunds")."""
        return cls(name, _any(*(_phrase_pattern(p) for p in phrases if p.split())))

    def matches(self, message: str) -> bool:
        return any(pattern.search(message) for pattern in self.patterns)


_OWN = r"(?:my|our|me|us|i|we|your|you)"
DEFAULT_SENSITIVE_TOPICS: tuple[SensitiveTopic, ...] = (
    SensitiveTopic(
        "billing_dispute",
        _any(
            r"\b(?:you|they|we|i|was|were|been|got)\s+(?:\w+\s+){0,2}(?:charged|billed|overcharged|double[- ]charged)\b",
            r"\bcharged\s+(?:my|our|us|me|twice|double|again)\b",
            r"\b(?:dispute|contest|chargeback|overcharg\w*|unauthori[sz]ed (?:charge|payment))\b",
            r"\b(?:duplicate|double|wrong|incorrect)\s+(?:charge|payment|invoice|bill|billing)\b",
        ),
    ),
    SensitiveTopic(
        "refund",
        _any(
            r"\b(?:my|our|your)\b[^.?!]{0,30}\brefund",
            r"\b(?:i|we)\s+(?:\w+\s+)?(?:want|need|would like|demand|expect|request|deserve)\b[^.?!]{0,30}\brefund",
            r"\brefund\w*\b[^.?!]{0,30}\b(?:me|us|my|our)\b",
            r"\bmoney back\b",
        ),
    ),
    SensitiveTopic(
        "cancellation",
        _any(
            r"\b(?:cancel\w*|terminat\w*|end|stop)\s+(?:my|our|the)\s+(?:\w+\s+)?(?:subscription|plan|account|contract|membership|license|licence|renewal)\b",
            r"\b(?:close|delete|remove)\s+(?:my|our)\s+(?:\w+\s+)?account\b",
            r"\b(?:my|our)\s+(?:\w+\s+)?(?:subscription|plan|contract|membership)\b[^.?!]{0,30}\bcancel",
            r"\bunsubscribe me\b",
        ),
    ),
    SensitiveTopic(
        "privacy_request",
        _any(
            r"\b(?:gdpr|ccpa|data subject|subject access|dsar|right to (?:be forgotten|erasure|access))\b[^.?!]{0,80}\b(?:me|my|mine|i)\b",
            r"\b(?:i|we)\s+(?:request|demand|want|would like|ask)\b[^.?!]{0,40}\b(?:data|information|details)\b",
            r"\b(?:personal\s+)?(?:data|information|details)\b[^.?!]{0,40}\b(?:about|on|of)\s+(?:me|us)\b",
            r"\b(?:delete|erase|remove|send me|give me)\b[^.?!]{0,20}\b(?:my|all my)\s+(?:personal\s+)?(?:data|information|details)\b",
        ),
    ),
    SensitiveTopic(
        "permission_change",
        _any(
            r"\b(?:make|set|give|grant|add|promote|upgrade)\s+(?:me|us|my account)\b[^.?!]{0,30}\b(?:admin\w*|owner|access|permissions?|rights|role|superuser)\b",
            r"\b(?:change|raise|increase|elevate)\s+(?:my|our)\s+(?:role|permissions?|access|rights)\b",
            r"\b(?:remove|revoke)\s+(?:\w+\s+){0,3}(?:access|admin\w*|permissions?)\b[^.?!]{0,30}\b(?:our|my)\s+(?:\w+\s+)?account\b",
        ),
    ),
)


def _phrase_pattern(phrase: str) -> str:
    words = r"\s+".join(re.escape(word) for word in phrase.split())
    # Lookarounds rather than \b, so a phrase ending in a symbol ("C++") still matches.
    return rf"(?<!\w){words}(?:s|es)?(?!\w)"


def topics_for_bot(phrases: Sequence[str]) -> tuple[SensitiveTopic, ...]:
    """The built-in topics plus a bot's own phrases (the Bots page's list). A bot adds to what
    always needs staff; it cannot switch the built-in billing or privacy rules off."""
    own = tuple(SensitiveTopic.from_phrases(" ".join(p.split()), [p]) for p in phrases if p.split())
    return DEFAULT_SENSITIVE_TOPICS + own


@dataclass(frozen=True)
class Escalation:
    reason: EscalationReason
    detail: str


def asked_for_human(message: str) -> bool:
    return any(pattern.search(message) for pattern in _ASKED_FOR_HUMAN)


def sensitive_topic(
    message: str, topics: Sequence[SensitiveTopic] = DEFAULT_SENSITIVE_TOPICS
) -> str | None:
    return next((topic.name for topic in topics if topic.matches(message)), None)


def detect(
    message: str, *, topics: Sequence[SensitiveTopic] = DEFAULT_SENSITIVE_TOPICS
) -> Escalation | None:
    """An escalation the message asks for by itself, before any retrieval."""
    if asked_for_human(message):
        return Escalation(EscalationReason.ASKED_FOR_HUMAN, "asked for a person")
    topic = sensitive_topic(message, topics)
    if topic is not None:
        return Escalation(EscalationReason.SENSITIVE_TOPIC, topic)
    return None
