"""What a service publishes, declared on its broker so that faststream's AsyncAPI document of
the service shows it beside what the service consumes. `publish_event` does the sending; a
declaration only names the topic and the events a service puts on it."""

from collections.abc import Sequence
from typing import Annotated, Any, Union

from faststream.kafka import KafkaBroker
from pydantic import BaseModel, Field


def declare_publications(
    broker: KafkaBroker,
    topic: str,
    service: str,
    events: Sequence[type[BaseModel]],
    description: str,
) -> None:
    payload: Any = events[0]
    if len(events) > 1:
        # The same tagged union a consumer decodes: `type` names the model.
        payload = Annotated[Union[tuple(events)], Field(discriminator="type")]  # noqa: UP007
    broker.publisher(topic, title=f"{service}:{topic}", schema=payload, description=description)
