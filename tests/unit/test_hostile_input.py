"""Hostile input that pure code refuses or survives (issue 17): out-of-range positions and
cursors, ids headed for another service's URL, addresses no mail header can hold, pages
nested deeper than Python's stack."""

import pytest
from pydantic import TypeAdapter, ValidationError

from baton_gateway.api.routes.stream import MAX_POSITION, _parse_position
from baton_inbox.adapters.ingest_paths import path_id
from baton_inbox.api.schemas import Email
from baton_inbox.live.cursor import CursorError, CursorOutOfRange, StreamCursor
from baton_ingestion import formats
from baton_ingestion.formats import UnreadableFile, read_document
from baton_runtime.errors import ApiError


@pytest.mark.parametrize("raw", ["99999999999999999999", str(MAX_POSITION + 1), "-2"])
def test_a_resume_position_out_of_range_is_a_400(raw: str) -> None:
    with pytest.raises(ApiError) as refused:
        _parse_position(raw)
    assert refused.value.status == 400 and refused.value.code == "bad_last_event_id"


def test_resume_positions_in_range_are_read() -> None:
    assert _parse_position(None) == -1
    assert _parse_position(str(MAX_POSITION)) == MAX_POSITION


@pytest.mark.parametrize(
    "raw", ["1.99999999999999999999999", "1.0.0-9223372036854775808", "1.0.2147483648-1"]
)
def test_a_cursor_no_server_wrote_is_out_of_range(raw: str) -> None:
    with pytest.raises(CursorOutOfRange):
        StreamCursor.decode(raw)


def test_a_cursor_that_merely_cannot_resume_is_not_out_of_range() -> None:
    with pytest.raises(CursorError) as refused:
        StreamCursor.decode("9.0")
    assert not isinstance(refused.value, CursorOutOfRange)
    cursor = StreamCursor(positions={3: 2**63 - 1}, meta_ms=253_402_300_799_999)
    assert StreamCursor.decode(cursor.encode()) == cursor


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("job", "\x00"),
        ("job", ".."),
        ("job", "0" * 31 + "/"),
        ("source", "../x"),
        ("source", "0123456789ABCDEF"),
        ("bot", ".."),
        ("bot", "9d94df6e2e894a53b960539d5a5b3db1"),  # a uuid, not as the inbox writes it
    ],
)
def test_an_id_that_is_not_ours_never_becomes_a_path(kind: str, value: str) -> None:
    with pytest.raises(ApiError) as refused:
        path_id(kind, value)  # type: ignore[arg-type]
    assert refused.value.status == 404


def test_ids_of_our_own_format_pass_unchanged() -> None:
    assert path_id("job", "ab" * 16) == "ab" * 16
    assert path_id("source", "0123456789abcdef") == "0123456789abcdef"
    bot = "9d94df6e-2e89-4a53-b960-539d5a5b3db1"
    assert path_id("bot", bot) == bot


@pytest.mark.parametrize(
    "address", ["ctl\x01x@x.example", "a<>@x.example", 'a"b@x.example', "a,b@x.example", "a@x"]
)
def test_an_address_a_mail_header_cannot_hold_is_refused(address: str) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(Email).validate_python(address)


def test_plain_addresses_are_accepted() -> None:
    for address in ("sam.rivera+inbox@example.test", "o'brien@mail.example.co.uk"):
        assert TypeAdapter(Email).validate_python(address) == address


@pytest.mark.parametrize("tag", ["div", "section", "blockquote", "table><tr><td", "ul><li"])
def test_a_page_nested_5000_deep_is_read(tag: str) -> None:
    opening = f"<{tag}>"
    closing = "".join(f"</{name}>" for name in reversed(tag.split("><")))
    html = f"<html><body><h1>Deep</h1>{opening * 5000}Deep text{closing * 5000}<p>after</p>"
    document = read_document("deep.html", html.encode(), "html")
    assert "Deep text" in document.sections[0].text and "after" in document.sections[0].text


def test_a_reader_crash_is_that_pages_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(html: str, *, fallback_title: str) -> None:
        raise KeyError("a parser bug")

    monkeypatch.setattr(formats, "html_document", crash)
    with pytest.raises(UnreadableFile, match="html reader failed: KeyError"):
        read_document("broken.html", b"<p>x</p>", "html")
