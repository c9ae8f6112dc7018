"""What a deployment sets: placeholder secrets refused at start, Kafka TLS/SASL and topic
durability handed to the clients."""

import ssl

import pytest
from faststream.security import SASLScram512
from pydantic import SecretStr, ValidationError

from baton_cli.settings import CliSettings
from baton_ingest.settings import IngestSettings
from baton_runtime.kafka import _topic_configs
from baton_runtime.kafka_security import broker_security, client_options
from baton_runtime.secrets import is_placeholder
from baton_runtime.settings import CommonSettings

REAL = "9f2c4d0be1a84c7f8a61c3d2e5b7a9f0"


@pytest.mark.parametrize(
    "value",
    ["", "   ", "change-me-to-32-random-bytes", "CHANGEME", "xxxxxxxxxxxxxxxxxxxx", "secret"],
)
def test_placeholders_are_recognised(value: str) -> None:
    assert is_placeholder(value)


def test_a_random_value_is_not_a_placeholder() -> None:
    assert not is_placeholder(REAL)


def test_a_service_refuses_to_start_with_a_placeholder_token_secret() -> None:
    with pytest.raises(ValidationError, match="BATON_TOKEN_SECRET is empty or a placeholder"):
        CommonSettings(token_secret=SecretStr("change-me-to-32-random-bytes"))


def test_ingest_refuses_a_placeholder_api_token() -> None:
    with pytest.raises(ValidationError, match="BATON_INGEST_API_TOKEN"):
        IngestSettings(
            token_secret=SecretStr(REAL),
            ingest_api_token=SecretStr("change-me-to-another-32-random-bytes"),
        )


def test_plaintext_kafka_needs_no_security_options() -> None:
    settings = CommonSettings(token_secret=SecretStr(REAL))
    assert broker_security(settings) is None
    assert client_options(settings) == {"security_protocol": "PLAINTEXT"}
    assert _topic_configs(settings) == {}


def test_sasl_ssl_reaches_both_the_broker_and_the_admin_client() -> None:
    settings = CommonSettings(
        token_secret=SecretStr(REAL),
        kafka_security_protocol="SASL_SSL",
        kafka_sasl_mechanism="SCRAM-SHA-512",
        kafka_sasl_username="baton",
        kafka_sasl_password=SecretStr("kafka-password"),
        kafka_min_insync_replicas=2,
    )
    security = broker_security(settings)
    assert isinstance(security, SASLScram512) and security.use_ssl
    options = client_options(settings)
    assert options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert options["sasl_plain_username"] == "baton"
    assert isinstance(options["ssl_context"], ssl.SSLContext)
    assert _topic_configs(settings) == {"min.insync.replicas": "2"}


def test_sasl_without_credentials_is_refused_with_the_variables_named() -> None:
    settings = CommonSettings(token_secret=SecretStr(REAL), kafka_security_protocol="SASL_SSL")
    with pytest.raises(ValueError, match="BATON_KAFKA_SASL_USERNAME"):
        broker_security(settings)


def test_the_command_line_needs_no_token_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BATON_TOKEN_SECRET", raising=False)
    assert CliSettings().token_secret.get_secret_value() == ""
