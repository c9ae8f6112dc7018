"""Answering a visitor from a bot's docs: retrieval, answer composition and escalation rules.
The agent service and the `baton` command line are thin shells around it."""

# First, so numpy (imported by modules here) loads with OpenBLAS on one thread.
import baton_retrieval  # noqa: F401
