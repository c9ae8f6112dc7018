"""What a widget stream does with a message notice: send it on without a store read when it
follows what the stream has sent, read the store when a message before it was missed."""

from typing import Any

from baton_contracts.live_signals import VisibleMessageNotice, parse_visible_message_notice
from baton_gateway.api.routes.stream import _follow

MESSAGE: dict[str, Any] = {"id": "m9", "author": "ai", "text": "Hi", "sources": []}


def notice(position: int, previous: int | None) -> VisibleMessageNotice:
    return VisibleMessageNotice(position=position, previous_position=previous, message=MESSAGE)


def test_the_next_message_is_sent_from_its_notice() -> None:
    assert _follow(notice(9, 5), last_sent=5) == ([(9, MESSAGE)], False)


def test_the_first_message_of_a_stream_resumed_before_it_is_sent_from_its_notice() -> None:
    assert _follow(notice(9, 5), last_sent=7) == ([(9, MESSAGE)], False)


def test_a_missed_message_before_it_makes_the_stream_read_the_store() -> None:
    assert _follow(notice(9, 5), last_sent=3) == ([], True)


def test_an_unknown_previous_position_makes_the_stream_read_the_store() -> None:
    assert _follow(notice(9, None), last_sent=3) == ([], True)


def test_a_message_already_sent_is_dropped() -> None:
    assert _follow(notice(9, 5), last_sent=9) == ([], False)


def test_an_unreadable_notice_makes_the_stream_read_the_store() -> None:
    assert parse_visible_message_notice("9") is None
    assert _follow(None, last_sent=3) == ([], True)


def test_a_notice_travels_as_json_and_back() -> None:
    sent = notice(9, 5)
    assert parse_visible_message_notice(sent.model_dump_json()) == sent
