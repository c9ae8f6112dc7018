"""What the inbox counts for operators, beside the Kafka handling metrics every service has."""

from prometheus_client import Gauge

STAFF_STREAMS_OPEN = Gauge(
    "baton_inbox_streams_open", "Staff live streams (SSE) open on this inbox replica."
)
