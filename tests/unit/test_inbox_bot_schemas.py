"""The inbox's bot API maps to the one document model: what it writes is what readers parse,
and its view shows the document as every service reads it."""

from typing import Any

from baton_contracts.bot_document import BotSettings
from baton_inbox.api.bot_schemas import BotPublic, BotUpdate, bot_public

IDENTITY = {"_id": "b1", "account_id": "a1", "bot_key": "bot_k1", "name": "Orbit help"}
EVERY_SETTING: dict[str, Any] = {
    "name": "Orbit",
    "display_name": " Orbit support ",
    "greeting": "Hi!",
    "accent_color": "#112233",
    "allowed_origins": ["https://b.example/", "https://a.example", "https://a.example/"],
    "prechat_fields": [{"field": "email", "required": True}, {"field": "email"}],
    "sensitive_topics": ["lawsuit"],
    "handback_idle_seconds": 900,
    "answerer": "extractive",
}


def test_every_field_the_api_writes_is_a_field_of_the_document() -> None:
    assert set(BotUpdate.model_fields) <= set(BotSettings.model_fields)
    assert set(EVERY_SETTING) == set(BotUpdate.model_fields)


def test_an_update_is_stored_as_readers_parse_it_and_shown_as_stored() -> None:
    changes = BotUpdate.model_validate(EVERY_SETTING).changes()
    assert changes["allowed_origins"] == ["https://a.example", "https://b.example"]
    assert changes["prechat_fields"] == [{"field": "email", "required": True}]
    assert changes["display_name"] == "Orbit support"
    doc = {**IDENTITY, **changes, "identity_secret": "s"}
    read = BotSettings.from_document(doc, bot_id="b1")
    assert read.model_dump(include=set(changes), mode="json") == changes
    shown = bot_public(doc, "https://chat.example/")
    assert shown.model_dump(include=set(changes), mode="json") == changes
    assert (shown.id, shown.identity_verification) == ("b1", True)
    assert 'src="https://chat.example/widget.js" data-bot="bot_k1"' in shown.embed_snippet


def test_emptied_boxes_and_nulls_unset_the_setting() -> None:
    changes = BotUpdate.model_validate({"greeting": " ", "answerer": None, "name": None}).changes()
    assert changes == {"greeting": None, "answerer": None}


def test_the_view_of_a_hand_edited_document_shows_what_services_read() -> None:
    shown: BotPublic = bot_public(
        {**IDENTITY, "name": None, "answerer": "poetic", "sensitive_topics": ["x", 3]}, "http://g"
    )
    assert (shown.name, shown.answerer, shown.sensitive_topics) == ("bot_k1", None, ["x"])
    assert shown.identity_verification is False
