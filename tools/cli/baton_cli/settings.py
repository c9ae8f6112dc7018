from pydantic import Field, SecretStr

from baton_agent.settings import AgentSettings


class CliSettings(AgentSettings):
    """The agent's settings (same answering knobs, same BATON_ variables).

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
