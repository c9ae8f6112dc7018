"""How Baton's Kafka clients authenticate and encrypt: one reading of the BATON_KAFKA_
settings, handed to faststream's broker and to aiokafka's admin client alike, so the topic
creation at start reaches a TLS/SASL cluster the same way the consumers do."""

import ssl
from typing import Any

from faststream.security import (
    BaseSecurity,
    SASLPlaintext,
    SASLScram256,
    SASLScram512,
)

from baton_runtime.settings import CommonSettings


def _ssl_context(settings: CommonSettings) -> ssl.SSLContext | None:
    if not settings.kafka_security_protocol.endswith("SSL"):
        return None
    return ssl.create_default_context(cafile=settings.kafka_ssl_cafile)


def _sasl_credentials(settings: CommonSettings) -> tuple[str, str]:
    if not settings.kafka_sasl_username or settings.kafka_sasl_password is None:
        raise ValueError(
            f"BATON_KAFKA_SECURITY_PROTOCOL={settings.kafka_security_protocol} needs "
            "BATON_KAFKA_SASL_USERNAME and BATON_KAFKA_SASL_PASSWORD"
        )
    return settings.kafka_sasl_username, settings.kafka_sasl_password.get_secret_value()


def broker_security(settings: CommonSettings) -> BaseSecurity | None:
    """faststream's form; None on a plaintext cluster (the local stack)."""
    protocol = settings.kafka_security_protocol
    context = _ssl_context(settings)
    if protocol == "PLAINTEXT":
        return None
    if protocol == "SSL":
        return BaseSecurity(ssl_context=context, use_ssl=True)
    username, password = _sasl_credentials(settings)
    use_ssl = protocol == "SASL_SSL"
    sasl_class = {
        "PLAIN": SASLPlaintext,
        "SCRAM-SHA-256": SASLScram256,
        "SCRAM-SHA-512": SASLScram512,
    }[settings.kafka_sasl_mechanism]
    return sasl_class(username, password, ssl_context=context, use_ssl=use_ssl)


def client_options(settings: CommonSettings) -> dict[str, Any]:
    """aiokafka's keyword form, for clients faststream does not build (the admin client)."""
    options: dict[str, Any] = {"security_protocol": settings.kafka_security_protocol}
    context = _ssl_context(settings)
    if context is not None:
        options["ssl_context"] = context
    if settings.kafka_security_protocol.startswith("SASL"):
        username, password = _sasl_credentials(settings)
        options |= {
            "sasl_mechanism": settings.kafka_sasl_mechanism,
            "sasl_plain_username": username,
            "sasl_plain_password": password,
        }
    return options
