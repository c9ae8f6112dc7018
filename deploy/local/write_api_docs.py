"""Writes docs/api/: the AsyncAPI document of the events and the OpenAPI documents of the
gateway, the inbox and the ingest service. Nothing connects anywhere: apps and brokers are
only built."""

import json
import sys
from pathlib import Path
from typing import Any

from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI

from baton_events import Topics
from baton_events.bots import BOT_EVENT_TYPES
from baton_events.events import EVENT_TYPES
from baton_events.ingest import INGEST_EVENT_TYPES
from baton_gateway.app import build_app as build_gateway
from baton_gateway.settings import GatewaySettings
from baton_inbox.app import build_app as build_inbox
from baton_inbox.settings import InboxSettings
from baton_ingest.app import build_app as build_ingest
from baton_ingest.settings import IngestSettings


def asyncapi() -> dict[str, Any]:
    broker = KafkaBroker("127.0.0.1:19092")
    topics = Topics()
    families = (
        ("conversation.events", topics.conversation_events, EVENT_TYPES),
        ("ingest.events", topics.ingest_events, INGEST_EVENT_TYPES),
        ("bots.events", topics.bot_events, BOT_EVENT_TYPES),
    )
    for label, topic, types in families:
        for event_type, model in types.items():
            broker.publisher(
                topic,
                title=f"{label}:{event_type}",
                schema=model,
                description=(model.__doc__ or event_type).strip(),
            )
    spec = AsyncAPI(
        broker,
        title="Baton events",
        version="1.0",
        description="Every event of a thread on conversation.events, keyed by "
        "thread_id; every ingest job's events on ingest.events, keyed by bot_id; "
        "every write of a bot's settings on bots.events, keyed by bot_id.",
    )
    result: dict[str, Any] = json.loads(spec.to_specification().to_json())
    return result


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/api")
    out.mkdir(parents=True, exist_ok=True)
    secret = {"token_secret": "docs-only"}
    documents = {
        "asyncapi-events.json": asyncapi(),
        "openapi-gateway.json": build_gateway(GatewaySettings(**secret)).openapi(),  # type: ignore[arg-type]
        "openapi-inbox.json": build_inbox(InboxSettings(**secret)).openapi(),  # type: ignore[arg-type]
        "openapi-ingest.json": build_ingest(
            IngestSettings(**secret, ingest_api_token="docs-only-not-a-token")  # type: ignore[arg-type]
        ).openapi(),
    }
    for name, document in documents.items():
        (out / name).write_text(json.dumps(document, indent=2, sort_keys=True, default=str) + "\n")
        sys.stderr.write(f"wrote {out / name}\n")


if __name__ == "__main__":
    main()
