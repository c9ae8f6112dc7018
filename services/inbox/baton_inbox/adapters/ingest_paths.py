"""Paths into the ingest service's API built from ids a client sent.

Each id is checked against the format the ingest service gives it before it goes into a URL,
and percent-encoded anyway: httpx normalises `..` and refuses control characters, so an id
such as `%2e%2e` or `%00` would otherwise reach another route or fail as a 500.
"""

import re
import uuid
from typing import Literal
from urllib.parse import quote

from baton_runtime.errors import ApiError

IdKind = Literal["bot", "job", "source"]

# job ids are uuid4().hex, source ids the first 16 hex digits of a sha256 (baton_ingestion).
_HEX_FORMATS: dict[IdKind, re.Pattern[str]] = {
    "job": re.compile(r"[0-9a-f]{32}"),
    "source": re.compile(r"[0-9a-f]{16}"),
}


def _well_formed(kind: IdKind, value: str) -> bool:
    if kind == "bot":  # bots are created with str(uuid4()) by the inbox
        try:
            return str(uuid.UUID(value)) == value
        except ValueError:
            return False
    return _HEX_FORMATS[kind].fullmatch(value) is not None


def path_id(kind: IdKind, value: str) -> str:
    """The id, escaped for a path segment; 404 when it cannot be one of ours."""
    if not _well_formed(kind, value):
        raise ApiError(404, f"{kind}_not_found", f"no {kind} with this id")
    return quote(value, safe="")
