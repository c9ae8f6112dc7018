"""Secrets a service must not start with: empty ones and the placeholders that example
manifests and docs have shipped. A deployment that forgot to set a secret fails at start with
a message naming the variable, instead of signing tokens anyone can forge."""

from pydantic import SecretStr

_PLACEHOLDER_MARKERS = ("change-me", "changeme", "replace-me", "placeholder", "example")
_PLACEHOLDER_VALUES = {"secret", "password", "test", "dev", "xxx", "todo"}


def is_placeholder(value: str) -> bool:
    """Empty, one repeated character, or a value that says it is to be replaced."""
    lowered = value.strip().lower()
    if lowered in _PLACEHOLDER_VALUES or len(set(lowered)) <= 1:
        return True
    return any(marker in lowered for marker in _PLACEHOLDER_MARKERS)


def refuse_placeholder(variable: str, value: SecretStr) -> SecretStr:
    """The value, or a ValueError naming the variable (pydantic reports it at start)."""
    if is_placeholder(value.get_secret_value()):
        raise ValueError(
            f"{variable} is empty or a placeholder; set a random value (openssl rand -hex 32)"
        )
    return value
