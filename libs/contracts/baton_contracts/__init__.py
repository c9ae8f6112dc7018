"""Every channel between services that is not a Kafka event: Redis keys, channels and their
payloads, shared MongoDB document models (one writer each) and the HTTP calls one service
makes to another. A service reads another's data only through these."""
