"""An account's settings written straight to the inbox's store, for tests of what reads them
(the digest, the response alerts); `None` puts the defaults back."""

from datetime import UTC, datetime
from typing import Any

from pymongo import AsyncMongoClient

from baton_inbox.adapters.account_settings import ACCOUNT_SETTINGS, AccountSettingsStore
from baton_inbox.api.account_settings_schemas import AccountSettings
from tests.support.infra import infra


async def set_account_settings(db: str, account_id: str, chosen: AccountSettings | None) -> None:
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(infra().mongo_url, tz_aware=True)
    try:
        if chosen is None:
            await mongo[db][ACCOUNT_SETTINGS].delete_one({"_id": account_id})
        else:
            await AccountSettingsStore(mongo, db).put(account_id, chosen, "test", datetime.now(UTC))
    finally:
        await mongo.close()
