import pytest

from baton_answering.escalation_rules import SensitiveTopic, detect, topics_for_bot
from baton_events import EscalationReason

ASKS_FOR_A_PERSON = [
    "I want to talk to a real person please",
    "this bot is useless. get me a human",
    "can I speak with someone please",
    "is there a real person I can chat with",
    "connect me to an agent",
    "please have someone contact me",
    "can someone from your sales team call me back?",
    "transfer me to support",
    "human please",
    "agent",
    "stop, I don't want to talk to a bot",
    "This is unacceptable, I want to speak to a manager.",
]
SENSITIVE = [
    "You charged my card TWICE this month. I want the duplicate refunded right now.",
    "you guys billed us twice for march",
    "We were charged for the renewal even though we cancelled. I dispute this charge.",
    "I want my money back",
    "Please cancel our subscription effective immediately.",
    "Please close my account",
    "Under GDPR I request that you delete all personal data you hold about me.",
    "Please send me a copy of all the personal data your company stores about me.",
    "can you make me an admin on our company's account? my boss said its ok",
    "please give me admin access to our account",
]
HOW_TO = [
    "How do I import my contacts?",
    "how do I give a teammate admin rights?",
    "how do I refund a customer's invoice",
    "How do I cancel a meeting?",
    "how to delete a contact's personal data",
    "A customer asked us to erase his personal details. How do I do that for a contact?",
    "Can I export all my data?",
    "how do I change a user's role",
    "how can our customers log in and see their own support tickets",
    "forgot my pasword, how do i reset it",
    "How do I set up a support mailbox so cases are created automatically?",
    "how do i remove access for a former employee",
    "An employee left. How can I block her from logging in?",
]


@pytest.mark.parametrize("message", ASKS_FOR_A_PERSON)
def test_asking_for_a_person_in_many_phrasings(message: str) -> None:
    found = detect(message)
    assert found is not None and found.reason is EscalationReason.ASKED_FOR_HUMAN


@pytest.mark.parametrize("message", SENSITIVE)
def test_requests_only_staff_may_handle(message: str) -> None:
    found = detect(message)
    assert found is not None and found.reason is EscalationReason.SENSITIVE_TOPIC


@pytest.mark.parametrize("message", HOW_TO)
def test_how_to_questions_stay_with_the_docs(message: str) -> None:
    assert detect(message) is None


def test_a_bot_can_bring_its_own_sensitive_topics() -> None:
    legal = (SensitiveTopic.from_phrases("legal", ["lawyer", "lawsuit"]),)
    assert detect("Our lawyer will be in touch", topics=legal) is not None
    # A bot's own list replaces the defaults.
    assert detect("Please cancel our subscription", topics=legal) is None
    assert detect("Please cancel our subscription") is not None


def test_a_bots_topics_add_to_the_defaults() -> None:
    topics = topics_for_bot(["export", "data  retention", "C++", "  "])
    found = detect("How do I export my deals to a CSV file?", topics=topics)
    assert found is not None and found.reason is EscalationReason.SENSITIVE_TOPIC
    assert found.detail == "export"
    assert detect("Are exports limited?", topics=topics) is not None  # plural
    assert detect("our Data\nRetention policy?", topics=topics) is not None  # any spacing
    assert detect("Do you support C++?", topics=topics) is not None  # ends in a symbol
    assert detect("I keep exporting contacts", topics=topics) is None  # whole words only
    # The built-in rules stay: a bot cannot switch billing or refunds off.
    refund = detect("I want a refund", topics=topics)
    assert refund is not None and refund.detail == "refund"
    assert detect("How do I export my deals to a CSV file?") is None
