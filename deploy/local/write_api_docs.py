"""Writes docs/api/: the AsyncAPI document of each service's event broker (faststream's own
schema generation: what the service consumes, with the handler's typed payload, and what it
publishes) and the OpenAPI documents of the gateway, the inbox and the ingest service.
Nothing connects anywhere: apps and brokers are only built."""

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI

from baton_agent.app import build_event_broker as agent_broker
from baton_agent.settings import AgentSettings
from baton_gateway.app import build_app as build_gateway
from baton_gateway.app import build_event_broker as gateway_broker
from baton_gateway.settings import GatewaySettings
from baton_handoff.app import build_event_broker as handoff_broker
from baton_handoff.settings import HandoffSettings
from baton_inbox.app import build_app as build_inbox
from baton_inbox.app import build_event_broker as inbox_broker
from baton_inbox.settings import InboxSettings
from baton_ingest.app import build_app as build_ingest
from baton_ingest.settings import IngestSettings
from baton_runtime.wiring import AdapterSlot

SECRET: dict[str, Any] = {"token_secret": "docs-only"}


def event_brokers() -> dict[str, Callable[[], KafkaBroker]]:
    """Each service's broker, built with adapters that are never filled: its handlers only
    run once the app has connected its stores, and here nothing runs."""
    return {
        "gateway": lambda: gateway_broker(GatewaySettings(**SECRET), AdapterSlot()),
        "agent": lambda: agent_broker(AgentSettings(**SECRET), AdapterSlot()),
        "handoff": lambda: handoff_broker(HandoffSettings(**SECRET), AdapterSlot()),
        "inbox": lambda: inbox_broker(InboxSettings(**SECRET), AdapterSlot()),
    }


def asyncapi(service: str, broker: KafkaBroker) -> dict[str, Any]:
    spec = AsyncAPI(
        broker,
        title=f"Baton {service} events",
        version="1.0",
        description=f"What the {service} consumes and publishes. Conversation events are "
        "keyed by thread_id, ingest and bot events by bot_id.",
    )
    result: dict[str, Any] = json.loads(spec.to_specification().to_json())
    return result


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/api")
    out.mkdir(parents=True, exist_ok=True)
    documents = {
        f"asyncapi-{service}.json": asyncapi(service, broker())
        for service, broker in event_brokers().items()
    }
    documents |= {
        "openapi-gateway.json": build_gateway(GatewaySettings(**SECRET)).openapi(),
        "openapi-inbox.json": build_inbox(InboxSettings(**SECRET)).openapi(),
        "openapi-ingest.json": build_ingest(
            IngestSettings(**SECRET, ingest_api_token="docs-only-not-a-token")
        ).openapi(),
    }
    for name, document in documents.items():
        (out / name).write_text(json.dumps(document, indent=2, sort_keys=True, default=str) + "\n")
        sys.stderr.write(f"wrote {out / name}\n")


if __name__ == "__main__":
    main()
