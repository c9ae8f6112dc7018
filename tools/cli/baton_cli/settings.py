from pydantic import Field, SecretStr, field_validator

from baton_answering.settings import AnsweringSettings
from baton_runtime.settings import CommonSettings


class CliSettings(CommonSettings, AnsweringSettings):
    """Where the stores are, and the answering knobs the agent reads (the same BATON_
    variables, so `baton ask` and `baton eval` answer as the agent would).

    The command line signs no tokens, so it runs without BATON_TOKEN_SECRET.
    """

    token_secret: SecretStr = SecretStr("")
    ingest_api_token: SecretStr | None = Field(
        default=None, description="Sent to the ingest service by `baton ingest --server`."
    )
    ingest_allow_private_urls: bool = Field(
        default=False,
        description="`baton ingest URL` (in-process) may fetch from loopback and private "
        "networks, as the ingest service's setting of the same name.",
    )

    @field_validator("token_secret")
    @classmethod
    def _real_token_secret(cls, value: SecretStr) -> SecretStr:
        """Replaces the services' refusal of an empty secret (same name): nothing to sign."""
        return value
