"""An account's settings (MongoDB, one document per account, `_id` the account id). An account
that never saved any has the defaults; a stored document that no longer validates (edited by
hand, or from an older release) is logged and read as the defaults, so the inbox keeps working."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog
from pydantic import ValidationError
from pymongo import AsyncMongoClient

from baton_contracts.account_hours import ACCOUNT_SETTINGS_COLLECTION
from baton_inbox.api.account_settings_schemas import AccountSettings

log = structlog.get_logger()
ACCOUNT_SETTINGS = ACCOUNT_SETTINGS_COLLECTION


@dataclass(frozen=True)
class StoredSettings:
    """The settings with who saved them last and when (None for the defaults)."""

    settings: AccountSettings
    updated_at: datetime | None
    updated_by: str | None


class AccountSettingsStore:
    def __init__(self, mongo: AsyncMongoClient[dict[str, Any]], db_name: str) -> None:
        self._settings = mongo[db_name][ACCOUNT_SETTINGS]

    async def get(self, account_id: str) -> StoredSettings:
        doc = await self._settings.find_one({"_id": account_id})
        if doc is None:
            return StoredSettings(AccountSettings(), None, None)
        try:
            settings = AccountSettings.model_validate(doc["settings"])
        except (KeyError, ValidationError) as exc:
            log.warning("account_settings_malformed", account_id=account_id, error=str(exc))
            settings = AccountSettings()
        return StoredSettings(settings, doc.get("updated_at"), doc.get("updated_by"))

    async def put(
        self, account_id: str, settings: AccountSettings, staff_name: str, at: datetime
    ) -> StoredSettings:
        await self._settings.replace_one(
            {"_id": account_id},
            {
                "settings": settings.model_dump(mode="json"),
                "updated_at": at,
                "updated_by": staff_name,
            },
            upsert=True,
        )
        return StoredSettings(settings, at, staff_name)
