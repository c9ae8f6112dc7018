"""How the agent reads a bot's answering settings from its `bots` document (pure part)."""

from typing import Any

import pytest

from baton_agent.adapters.bot_settings import BotAnswering, bot_answering
from baton_answering.escalation_rules import DEFAULT_SENSITIVE_TOPICS, detect

BOT = {"_id": "b", "account_id": "a", "bot_key": "k"}


def test_a_bot_without_settings_answers_with_the_service_defaults() -> None:
    assert bot_answering("b", None) == BotAnswering()
    assert bot_answering("b", BOT) == BotAnswering(DEFAULT_SENSITIVE_TOPICS, None)


def test_the_bots_topics_and_answerer_are_read() -> None:
    settings = bot_answering(
        "b", {**BOT, "sensitive_topics": ["lawsuit"], "answerer": "generative"}
    )
    assert settings.answerer == "generative"
    assert settings.sensitive_topics[: len(DEFAULT_SENSITIVE_TOPICS)] == DEFAULT_SENSITIVE_TOPICS
    found = detect("Our lawsuit is pending", topics=settings.sensitive_topics)
    assert found is not None and found.detail == "lawsuit"


@pytest.mark.parametrize(
    "doc",
    [
        {"sensitive_topics": "refund", "answerer": "poetic"},
        {"sensitive_topics": [None, 3], "answerer": 1},
        {"sensitive_topics": None, "answerer": None},
    ],
)
def test_malformed_values_fall_back_to_the_defaults(doc: dict[str, Any]) -> None:
    assert bot_answering("b", {**BOT, **doc}) == BotAnswering()


def test_a_hand_written_list_keeps_its_good_entries() -> None:
    settings = bot_answering("b", {**BOT, "sensitive_topics": ["lawsuit", 7]})
    assert [t.name for t in settings.sensitive_topics][-1] == "lawsuit"


def test_a_document_without_identity_still_answers_with_the_defaults() -> None:
    assert bot_answering("b", {"sensitive_topics": ["lawsuit"]}) == BotAnswering()
