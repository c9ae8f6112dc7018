"""The AsyncAPI document of a service's broker (faststream's own generation, as `make docs`
writes it) shows the typed payload its subscriber takes and what it publishes."""

import json
from typing import Any

from faststream.specification import AsyncAPI

from baton_events.events import EVENT_TYPES
from baton_handoff.app import build_event_broker
from baton_handoff.settings import HandoffSettings
from baton_runtime.wiring import AdapterSlot
from tests.support.in_memory import UNIT_SETTINGS


def test_the_handoffs_document_names_the_events_it_takes_and_publishes() -> None:
    broker = build_event_broker(HandoffSettings(**UNIT_SETTINGS), AdapterSlot())
    spec: dict[str, Any] = json.loads(AsyncAPI(broker).to_specification().to_json())
    schemas = spec["components"]["schemas"]

    def models(union: dict[str, Any]) -> set[str]:
        return {ref["$ref"].rsplit("/", 1)[1] for ref in union["oneOf"]}

    # The subscriber takes a batch of records: an array of events (null: a record it could
    # not read, which it skips).
    taken = schemas["handoff:Message:Payload"]
    assert taken["type"] == "array"
    event_union, unreadable = taken["items"]["anyOf"]
    assert unreadable == {"type": "null"}
    assert models(event_union) == {model.__name__ for model in EVENT_TYPES.values()}
    assert event_union["discriminator"] == "type"
    assert models(schemas["handoff:unit.conversation.events:Message:Payload"]) == {
        "ThreadModeChanged",
        "AiReplyCommitted",
        "AiReplySuppressed",
        "HandbackDue",
    }
