"""The account's settings over the staff API, on a real inbox and store: defaults until saved,
a whole-document PUT by the owner or an admin, 403 for an agent, 422 naming the field, and
each account sees only its own."""

import httpx
import pytest

from tests.support.inbox_harness import Replica, bearer, invite_and_accept, replica, sign_up

pytestmark = pytest.mark.integration
__all__ = ["replica"]

BERLIN_WEEK = {
    "time_zone": "Europe/Berlin",
    "business_hours": {
        day: [{"start": "09:00", "end": "17:00"}] for day in ("mon", "tue", "wed", "thu", "fri")
    },
    "holidays": ["2026-12-25"],
    "response_target_seconds": 600,
    "digest_enabled": False,
    "alert_recipients": ["lead@example.test"],
}


def settings_url(replica: Replica) -> str:
    return f"{replica.url}/v1/account/settings"


def test_defaults_until_saved_then_what_was_saved(replica: Replica) -> None:
    _, owner = sign_up(replica.url)
    fresh = httpx.get(settings_url(replica), headers=bearer(owner))
    assert fresh.status_code == 200, fresh.text
    body = fresh.json()
    assert body["time_zone"] == "UTC" and body["business_hours"] is None
    assert body["response_target_seconds"] == 180 and body["open_now"] is True
    assert body["updated_at"] is None

    saved = httpx.put(settings_url(replica), json=BERLIN_WEEK, headers=bearer(owner))
    assert saved.status_code == 200, saved.text
    again = httpx.get(settings_url(replica), headers=bearer(owner)).json()
    for field, value in BERLIN_WEEK.items():
        assert again[field] == value, field
    assert again["updated_by"] and again["updated_at"]
    assert again["open_now"] is False or again["next_opening"] is not None

    # PUT replaces the whole document: what is left out goes back to its default.
    httpx.put(settings_url(replica), json={"time_zone": "Asia/Tokyo"}, headers=bearer(owner))
    replaced = httpx.get(settings_url(replica), headers=bearer(owner)).json()
    assert replaced["time_zone"] == "Asia/Tokyo" and replaced["business_hours"] is None


def test_only_the_owner_and_admins_change_them_and_accounts_are_apart(replica: Replica) -> None:
    _, owner = sign_up(replica.url)
    _, agent = invite_and_accept(replica, owner, role="agent")
    _, admin = invite_and_accept(replica, owner, role="admin", name="Ada Admin")
    refused = httpx.put(settings_url(replica), json=BERLIN_WEEK, headers=bearer(agent))
    assert refused.status_code == 403, refused.text
    assert httpx.get(settings_url(replica), headers=bearer(agent)).status_code == 200
    by_admin = httpx.put(settings_url(replica), json=BERLIN_WEEK, headers=bearer(admin))
    assert by_admin.status_code == 200 and by_admin.json()["updated_by"] == "Ada Admin"

    _, other_owner = sign_up(replica.url)
    theirs = httpx.get(settings_url(replica), headers=bearer(other_owner)).json()
    assert theirs["time_zone"] == "UTC"
    assert httpx.get(settings_url(replica)).status_code == 401


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"time_zone": "Nowhere/Atlantis"}, "time_zone"),
        ({"response_target_seconds": -1}, "response_target_seconds"),
        (
            {
                "business_hours": {
                    "mon": [{"start": "09:00", "end": "13:00"}, {"start": "12:00", "end": "18:00"}]
                }
            },
            "business_hours",
        ),
    ],
)
def test_a_bad_value_is_a_422_naming_its_field(
    replica: Replica, change: dict[str, object], field: str
) -> None:
    _, owner = sign_up(replica.url)
    response = httpx.put(
        settings_url(replica), json={**BERLIN_WEEK, **change}, headers=bearer(owner)
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"] == field
    stored = httpx.get(settings_url(replica), headers=bearer(owner)).json()
    assert stored["time_zone"] == "UTC"  # nothing of the refused document was kept
