"""Answering a visitor from a bot's docs: retrieval, answer composition and escalation rules.
The agent service and the `baton` command line are thin shells around it."""
