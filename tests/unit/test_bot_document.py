"""The one model of the `bots` document (BotSettings): what every service reads, leniently."""

from typing import Any

import pytest
from pydantic import ValidationError
from structlog.testing import capture_logs

from baton_contracts.bot_document import BotSettings, PrechatField

IDENTITY = {"_id": "b1", "account_id": "a1", "bot_key": "bot_k1"}
GOOD = {
    **IDENTITY,
    "revision": 4,
    "name": "Orbit help",
    "display_name": "Orbit",
    "greeting": "Hi there!",
    "accent_color": "#112233",
    "allowed_origins": ["https://shop.example", "https://www.shop.example"],
    "prechat_fields": [{"field": "email", "required": True}, {"field": "name"}],
    "sensitive_topics": ["lawsuit", "chargeback"],
    "handback_idle_seconds": 900,
    "answerer": "generative",
    "identity_secret": "s3cret",
}


def parse(**fields: Any) -> BotSettings:
    return BotSettings.from_document({**IDENTITY, **fields}, bot_id="b1")


def test_a_good_document_reads_whole() -> None:
    with capture_logs() as logs:
        bot = BotSettings.from_document(GOOD, bot_id="b1")
    assert logs == []
    assert (bot.bot_id, bot.account_id, bot.bot_key, bot.revision) == ("b1", "a1", "bot_k1", 4)
    assert (bot.name, bot.display_name, bot.greeting) == ("Orbit help", "Orbit", "Hi there!")
    assert bot.accent_color == "#112233"
    assert bot.allowed_origins == ("https://shop.example", "https://www.shop.example")
    assert bot.prechat_fields == (
        PrechatField(field="email", required=True),
        PrechatField(field="name"),
    )
    assert bot.sensitive_topics == ("lawsuit", "chargeback")
    assert (bot.handback_idle_seconds, bot.answerer) == (900, "generative")
    assert bot.identity_secret == "s3cret"


def test_a_document_with_only_its_identity_has_every_setting_unset() -> None:
    bot = BotSettings.from_document(IDENTITY, bot_id="b1")
    assert bot == BotSettings(bot_id="b1", account_id="a1", bot_key="bot_k1")
    assert bot.allowed_origins == () and bot.prechat_fields == () and bot.sensitive_topics == ()
    assert bot.handback_idle_seconds is None and bot.answerer is None


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("revision", "many"),
        ("name", 12),
        ("display_name", ["Orbit"]),
        ("greeting", {"text": "hi"}),
        ("accent_color", "red;}"),
        ("allowed_origins", "https://shop.example"),
        ("prechat_fields", "name,email"),
        ("sensitive_topics", "refund"),
        ("handback_idle_seconds", "ten minutes"),
        ("handback_idle_seconds", 0),
        ("handback_idle_seconds", -60),
        ("answerer", "poetic"),
        ("identity_secret", 42),
    ],
)
def test_each_malformed_setting_falls_back_to_its_default_and_is_logged(
    field: str, bad: Any
) -> None:
    with capture_logs() as logs:
        bot = BotSettings.from_document({**GOOD, field: bad}, bot_id="b1")
    expected = BotSettings.from_document({key: v for key, v in GOOD.items() if key != field}, "b1")
    assert bot == expected  # only that one setting fell back; the others stand
    assert [(e["event"], e["bot_id"], e["field"]) for e in logs] == [
        ("bot_setting_malformed", "b1", field)
    ]


def test_a_list_setting_keeps_its_good_entries() -> None:
    with capture_logs() as logs:
        bot = parse(
            allowed_origins=["https://a.example/", 7],
            sensitive_topics=["lawsuit", None, 3],
            prechat_fields=["name", {"field": "phone"}, 7, {}, {"field": "email"}],
        )
    assert bot.allowed_origins == ("https://a.example",)
    assert bot.sensitive_topics == ("lawsuit",)
    assert bot.prechat_fields == (PrechatField(field="name"), PrechatField(field="email"))
    assert sorted(e["field"] for e in logs) == [
        "allowed_origins",
        "prechat_fields",
        "sensitive_topics",
    ]


def test_prechat_fields_take_the_shorthand_keep_first_mentions_and_need_a_real_true() -> None:
    bot = parse(
        prechat_fields=[
            "company",
            {"field": "email", "required": "yes"},
            {"field": "company", "required": True},
        ]
    )
    assert bot.prechat_fields == (PrechatField(field="company"), PrechatField(field="email"))


def test_blank_texts_and_nulls_read_as_unset() -> None:
    with capture_logs() as logs:
        bot = parse(display_name="  ", greeting=" Hi ", identity_secret="", answerer=None)
    assert logs == []
    assert (bot.display_name, bot.greeting, bot.identity_secret, bot.answerer) == (
        None,
        "Hi",
        None,
        None,
    )


def test_unknown_fields_are_ignored() -> None:
    with capture_logs() as logs:
        bot = BotSettings.from_document(
            {**GOOD, "created_at": "2026-01-01", "theme": {"dark": True}}, bot_id="b1"
        )
    assert logs == []
    assert bot == BotSettings.from_document(GOOD, bot_id="b1")


@pytest.mark.parametrize("missing", ["_id", "account_id", "bot_key"])
def test_a_document_without_its_identity_is_no_bot(missing: str) -> None:
    with pytest.raises(ValidationError):
        BotSettings.from_document({k: v for k, v in GOOD.items() if k != missing}, bot_id="b1")


def test_a_written_document_reads_back_the_same() -> None:
    bot = BotSettings.from_document(GOOD, bot_id="b1")
    assert BotSettings.from_document(bot.to_document(), bot_id="b1") == bot


def test_stored_values_are_normalized_as_readers_parse_them_and_checked() -> None:
    stored = BotSettings.stored_values(
        {"greeting": "  ", "allowed_origins": ["https://a.example/"], "answerer": None}
    )
    assert stored == {"greeting": None, "allowed_origins": ["https://a.example"], "answerer": None}
    with pytest.raises(ValidationError):
        BotSettings.stored_values({"answerer": "poetic"})
    with pytest.raises(ValueError, match="not bot settings"):
        BotSettings.stored_values({"colour": "#112233"})
