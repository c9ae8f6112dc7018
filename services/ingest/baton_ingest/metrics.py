"""What the ingest service counts for operators."""

from prometheus_client import Counter, Gauge

JOBS_FINISHED = Counter(
    "baton_ingest_jobs_finished",
    "Ingest jobs finished on this replica, by state (succeeded, failed).",
    ["state"],
)
JOBS_RUNNING = Gauge("baton_ingest_jobs_running", "Ingest jobs running on this replica.")
CHUNKS_WRITTEN = Counter("baton_ingest_chunks_written", "Chunks embedded and stored.")
