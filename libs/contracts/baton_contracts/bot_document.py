"""The `bots` document in MongoDB: written by the inbox only, read by gateway, agent and
handoff."""

from typing import Literal, get_args

# How the agent writes a bot's answers; unset, the agent's BATON_AGENT_ANSWERER decides.
AnswererChoice = Literal["extractive", "generative"]
ANSWERER_CHOICES: tuple[str, ...] = get_args(AnswererChoice)
