"""`make bench-faults`: steady visitor load on the running stack (`make up`) while each
service is SIGKILLed in turn and Kafka, the document store and Redis are restarted; then an
audit, from what every visitor's stream showed and from the log, of what was sent, answered,
escalated, held for a teammate, lost, duplicated, and AI-answered after a teammate."""
