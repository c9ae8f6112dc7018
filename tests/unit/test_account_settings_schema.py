"""The account settings' checks: each bad value is refused with the field it came from, and
good hours come out ordered and usable as a clock."""

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from baton_inbox.api.account_settings_schemas import AccountSettings


def refused_field(payload: dict[str, object]) -> str:
    with pytest.raises(ValidationError) as caught:
        AccountSettings.model_validate(payload)
    first = caught.value.errors()[0]
    return ".".join(str(part) for part in first["loc"])


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"time_zone": "../../etc/passwd"}, "time_zone"),
        ({"response_target_seconds": -5}, "response_target_seconds"),
        ({"business_hours": {"mon": [{"start": "17:00", "end": "09:00"}]}}, "business_hours.mon.0"),
        (
            {"business_hours": {"mon": [{"start": "9:00", "end": "17:00"}]}},
            "business_hours.mon.0.start",
        ),
        ({"business_hours": {"someday": []}}, "business_hours.someday.[key]"),
        (
            {
                "business_hours": {
                    "tue": [{"start": "09:00", "end": "12:00"}, {"start": "11:30", "end": "14:00"}]
                }
            },
            "business_hours",
        ),
        ({"business_hours": {"mon": []}}, "business_hours"),
        ({"holidays": ["2026-02-30"]}, "holidays.0"),
        ({"alert_recipients": ["not-an-address"]}, "alert_recipients.0"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_a_bad_value_names_its_field(payload: dict[str, object], field: str) -> None:
    assert refused_field(payload) == field


def test_good_hours_are_ordered_and_make_a_clock() -> None:
    settings = AccountSettings.model_validate(
        {
            "time_zone": "America/New_York",
            "business_hours": {
                "fri": [{"start": "13:00", "end": "17:00"}, {"start": "09:00", "end": "12:00"}],
                "mon": [{"start": "09:00", "end": "24:00"}],
            },
            "holidays": ["2026-12-25", "2026-12-24", "2026-12-25"],
        }
    )
    assert list(settings.business_hours or {}) == ["mon", "fri"]
    assert [i.start for i in (settings.business_hours or {})["fri"]] == ["09:00", "13:00"]
    assert [str(d) for d in settings.holidays] == ["2026-12-24", "2026-12-25"]
    hours = settings.hours()
    friday_noon_ny = datetime(2026, 12, 4, 17, 30, tzinfo=UTC)  # 12:30 in New York
    assert not hours.is_open(friday_noon_ny)
    assert hours.next_opening(friday_noon_ny) == datetime(2026, 12, 4, 18, 0, tzinfo=UTC)
    assert hours.is_open(datetime(2026, 12, 8, 4, 59, tzinfo=UTC))  # Monday 23:59 in New York


def test_the_defaults_are_always_open_with_a_three_minute_target() -> None:
    settings = AccountSettings()
    assert settings.time_zone == "UTC" and settings.business_hours is None
    assert settings.response_target_seconds == 180 and settings.digest_enabled
    assert settings.hours().always_open
