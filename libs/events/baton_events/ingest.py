"""Events of ingest jobs (topic ingest.events): a knowledge source read into a bot.

The aggregate is the job, but records are keyed by `bot_id`, so every job of one bot lies in
one partition in one order (a consumer tracking a bot's sources sees them as they happened).
These events announce what the ingest service did; the job's full report (every page error)
stays in its job record, so an event never grows with the size of a site.
"""

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from baton_events.envelope import SCHEMA_VERSION, new_event_id, utc_now


class IngestSource(BaseModel):
    """The knowledge source a job reads."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source_id: str = Field(description="Stable id of the source (a hash of its origin).")
    kind: str = Field(description="folder, upload, url, sitemap or crawl.")
    location: str = Field(description="A folder's path, an upload's name, or a URL.")


class IngestEventEnvelope(BaseModel):
    """Fields shared by every ingest event; `type` is added by each concrete event."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    event_id: uuid.UUID = Field(
        default_factory=new_event_id, description="Idempotency key: consumers drop a repeat."
    )
    version: str = Field(
        default=SCHEMA_VERSION, description="Schema version MAJOR.MINOR of this event type."
    )
    job_id: str = Field(description="The ingest job.")
    bot_id: str = Field(description="The bot the source is read into; also the Kafka key.")
    source: IngestSource
    occurred_at: datetime = Field(default_factory=utc_now)


class IngestJobQueued(IngestEventEnvelope):
    """The ingest service accepted a job; it starts when an embedding slot is free."""

    type: Literal["ingest_job_queued"] = "ingest_job_queued"


class IngestJobStarted(IngestEventEnvelope):
    """The job began reading its source."""

    type: Literal["ingest_job_started"] = "ingest_job_started"


class IngestJobProgressed(IngestEventEnvelope):
    """Pages read so far (sent at most a few times a second per job)."""

    type: Literal["ingest_job_progressed"] = "ingest_job_progressed"
    done: int = Field(ge=0, description="Pages read so far, failed ones included.")
    total: int | None = Field(
        default=None, description="Pages to read; null while a crawl is still discovering."
    )
    current: str = Field(default="", description="The page read last.")


class IngestOutcome(BaseModel):
    """What a finished job changed, in counts."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pages: int = 0
    chunks_written: int = 0
    chunks_deleted: int = 0
    unchanged_pages: int = 0
    page_errors: int = Field(default=0, description="Pages that could not be read.")
    skipped: int = Field(default=0, description="Pages robots.txt or the site rules kept out.")


class IngestJobFinished(IngestEventEnvelope):
    """The job ended: succeeded, failed, or interrupted by a stop of the ingest service."""

    type: Literal["ingest_job_finished"] = "ingest_job_finished"
    state: Literal["succeeded", "failed"]
    interrupted: bool = Field(
        default=False, description="The service stopped or died before the job finished."
    )
    error: str | None = Field(default=None, description="Why the job failed.")
    outcome: IngestOutcome | None = Field(default=None, description="Set when it succeeded.")


IngestEvent = Annotated[
    IngestJobQueued | IngestJobStarted | IngestJobProgressed | IngestJobFinished,
    Field(discriminator="type"),
]

INGEST_EVENT_TYPES: dict[str, type[BaseModel]] = {
    model.model_fields["type"].default: model
    for model in (IngestJobQueued, IngestJobStarted, IngestJobProgressed, IngestJobFinished)
}
