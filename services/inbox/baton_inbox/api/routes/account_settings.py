"""The account's settings: every teammate reads them (the inbox shows business hours and the
response target); the owner and admins change them."""

from datetime import UTC, datetime

from fastapi import APIRouter

from baton_inbox.adapters.account_settings import StoredSettings
from baton_inbox.api.account_settings_schemas import AccountSettings, AccountSettingsPublic
from baton_inbox.api.deps import AccountManager, CurrentStaff, Services

router = APIRouter(prefix="/v1/account/settings", tags=["account"])


def _public(stored: StoredSettings, now: datetime) -> AccountSettingsPublic:
    hours = stored.settings.hours()
    return AccountSettingsPublic(
        **stored.settings.model_dump(),
        open_now=hours.is_open(now),
        next_opening=hours.next_opening(now),
        updated_at=stored.updated_at,
        updated_by=stored.updated_by,
    )


@router.get("", response_model=AccountSettingsPublic)
async def read_settings(staff: CurrentStaff, services: Services) -> AccountSettingsPublic:
    stored = await services.account_settings.get(staff.account_id)
    return _public(stored, datetime.now(UTC))


@router.put("", response_model=AccountSettingsPublic)
async def replace_settings(
    body: AccountSettings, manager: AccountManager, services: Services
) -> AccountSettingsPublic:
    """The whole settings document (PUT: a field left out takes its default). 403 for a
    teammate who is not the owner or an admin; 422 naming the field for a bad value."""
    now = datetime.now(UTC)
    stored = await services.account_settings.put(manager.account_id, body, manager.name, now)
    return _public(stored, now)
