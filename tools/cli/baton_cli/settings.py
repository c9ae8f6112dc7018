from pydantic import SecretStr

from baton_agent.settings import AgentSettings


class CliSettings(AgentSettings):
    """The agent's settings (same answering knobs, same BATON_ variables).

    The command line signs no tokens, so it runs without BATON_TOKEN_SECRET.
    """

    token_secret: SecretStr = SecretStr("")
