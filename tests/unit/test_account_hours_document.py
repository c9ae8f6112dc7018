"""Other services read the inbox's settings document leniently: what the inbox saved reads
as the same hours; a missing or broken document reads as always open, never an error."""

from datetime import UTC, datetime

import pytest

from baton_contracts.account_hours import ALWAYS_OPEN, hours_from_document
from baton_inbox.api.account_settings_schemas import AccountSettings

SAVED = AccountSettings.model_validate(
    {
        "time_zone": "America/Chicago",
        "business_hours": {
            "mon": [{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "24:00"}]
        },
        "holidays": ["2026-12-07"],
    }
)


def test_what_the_inbox_saved_reads_as_the_same_hours() -> None:
    read = hours_from_document({"_id": "a1", "settings": SAVED.model_dump(mode="json")})
    assert read == SAVED.hours()
    monday_after_holiday = datetime(2026, 12, 14, 23, 30, tzinfo=UTC)  # 17:30 in Chicago
    assert read.is_open(monday_after_holiday)


@pytest.mark.parametrize(
    "doc",
    [
        None,
        {"_id": "a1"},
        {"_id": "a1", "settings": {"time_zone": "Not/AZone"}},
        {"_id": "a1", "settings": {"business_hours": {"mon": [{"start": "9"}]}}},
        {"_id": "a1", "settings": {"holidays": ["someday"]}},
        {"_id": "a1", "settings": {"business_hours": "always"}},
    ],
)
def test_a_missing_or_broken_document_reads_as_always_open(doc: dict[str, object] | None) -> None:
    assert hours_from_document(doc) == ALWAYS_OPEN
