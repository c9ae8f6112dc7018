"""Request bodies refuse U+0000 in any text, nested models and lists included, naming the
field; everything else passes as before."""

import pytest
from pydantic import ValidationError

from baton_gateway.api.schemas import MessageCreate, SessionCreate
from baton_inbox.api.bot_schemas import BotCreate
from baton_runtime.request_body import holds_nul


def field_of(error: ValidationError) -> str:
    return ".".join(str(part) for part in error.errors()[0]["loc"])


def test_a_message_with_a_nul_is_refused_on_its_text() -> None:
    with pytest.raises(ValidationError) as refused:
        MessageCreate(text="before\x00after", client_message_id="c1")
    assert field_of(refused.value) == "text"
    assert "U+0000" in str(refused.value)
    assert MessageCreate(text="before after \x01 \u2028", client_message_id="c1").text


def test_a_nul_inside_a_nested_model_is_refused_on_the_outer_field() -> None:
    with pytest.raises(ValidationError) as refused:
        SessionCreate.model_validate({"bot_key": "k", "visitor": {"company": "Acme\x00"}})
    assert field_of(refused.value) == "visitor"
    assert SessionCreate.model_validate({"bot_key": "k", "visitor": {"company": "Acme"}})


def test_unknown_fields_are_still_refused() -> None:
    with pytest.raises(ValidationError):
        BotCreate.model_validate({"name": "Help", "colour": "red"})


@pytest.mark.parametrize(
    ("value", "held"),
    [
        ("a\x00", True),
        (["ok", {"k": ("x", "\x00")}], True),
        ({"\x00": "key"}, True),
        ("\\u0000", False),
        ([1, 2.5, None, {"k": "v"}], False),
    ],
)
def test_holds_nul_looks_through_collections(value: object, held: bool) -> None:
    assert holds_nul(value) is held
