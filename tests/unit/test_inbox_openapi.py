"""The inbox's OpenAPI document describes what clients get: every route answering JSON names
its fields, and the live streams say they are event streams."""

from typing import Any

import pytest
from pydantic import SecretStr

from baton_inbox.app import build_app
from baton_inbox.settings import InboxSettings

# The bot routes that relay the ingest service's answers as they come (typed with the bots
# API, apart from the rest of the inbox).
UNTYPED_BOT_ROUTES = {
    ("get", "/v1/bots"),
    ("post", "/v1/bots/{bot_id}/uploads"),
    ("get", "/v1/bots/{bot_id}/jobs"),
    ("get", "/v1/bots/{bot_id}/jobs/stream"),
    ("get", "/v1/bots/{bot_id}/jobs/{job_id}"),
    ("get", "/v1/bots/{bot_id}/sources"),
    ("post", "/v1/bots/{bot_id}/sources"),
    ("delete", "/v1/bots/{bot_id}/sources/{source_id}"),
}
Operation = tuple[str, str, dict[str, Any]]


@pytest.fixture(scope="module")
def openapi() -> dict[str, Any]:
    # Building the app connects nowhere: its clients are made in the lifespan, never run here.
    document: dict[str, Any] = build_app(
        InboxSettings(token_secret=SecretStr("openapi-test"))
    ).openapi()
    return document


def success_contents(openapi: dict[str, Any]) -> list[Operation]:
    """(method, path, content) of every 2xx answer with a body."""
    return [
        (method, path, response["content"])
        for path, operations in openapi["paths"].items()
        for method, operation in operations.items()
        for status, response in operation["responses"].items()
        if status.startswith("2") and response.get("content")
    ]


def names_its_fields(schema: dict[str, Any], openapi: dict[str, Any]) -> bool:
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        return bool(openapi["components"]["schemas"][name].get("properties"))
    return bool(schema.get("properties"))


def test_every_json_answer_has_a_schema_with_fields(openapi: dict[str, Any]) -> None:
    json_answers = [
        (method, path, content["application/json"]["schema"])
        for method, path, content in success_contents(openapi)
        if "application/json" in content and (method, path) not in UNTYPED_BOT_ROUTES
    ]
    assert len(json_answers) > 20
    vague = [
        (method, path, schema)
        for method, path, schema in json_answers
        if not names_its_fields(schema, openapi)
    ]
    assert vague == []


def test_the_live_streams_are_event_streams(openapi: dict[str, Any]) -> None:
    streams = {
        (method, path): set(content)
        for method, path, content in success_contents(openapi)
        if path.endswith("/stream") and (method, path) not in UNTYPED_BOT_ROUTES
    }
    assert streams == {
        ("get", "/v1/stream"): {"text/event-stream"},
        ("get", "/v1/threads/{thread_id}/stream"): {"text/event-stream"},
    }


def test_a_thread_lists_every_field_it_always_sends(openapi: dict[str, Any]) -> None:
    thread = openapi["components"]["schemas"]["ThreadPublic"]
    assert set(thread["required"]) == set(thread["properties"])
    assert thread["properties"]["created_at"] == {
        "format": "date-time",
        "title": "Created At",
        "type": "string",
    }
