"""Accounts, staff users (argon2 password hashes) and bots, in MongoDB."""

import uuid
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from pymongo import ASCENDING, AsyncMongoClient

_hasher = PasswordHasher()


@dataclass(frozen=True)
class StaffUser:
    staff_id: str
    account_id: str
    email: str
    name: str
    role: str


class AccountStore:
    def __init__(self, mongo: AsyncMongoClient[dict[str, Any]], db_name: str) -> None:
        db = mongo[db_name]
        self._accounts = db["accounts"]
        self._staff = db["staff"]
        self._bots = db["bots"]

    async def ensure_indexes(self) -> None:
        await self._staff.create_index([("email", ASCENDING)], unique=True)
        await self._bots.create_index([("bot_key", ASCENDING)], unique=True)

    async def authenticate(self, email: str, password: str) -> StaffUser | None:
        doc = await self._staff.find_one({"email": email.strip().lower()})
        if doc is None:
            _hasher.hash(password)  # same cost either way: no user enumeration by timing
            return None
        try:
            _hasher.verify(doc["password_hash"], password)
        except VerificationError:
            return None
        return _staff(doc)

    async def staff_by_id(self, staff_id: str) -> StaffUser | None:
        doc = await self._staff.find_one({"_id": staff_id})
        return _staff(doc) if doc else None

    async def upsert_account(self, name: str) -> str:
        existing = await self._accounts.find_one({"name": name})
        if existing:
            return str(existing["_id"])
        account_id = str(uuid.uuid4())
        await self._accounts.insert_one({"_id": account_id, "name": name})
        return account_id

    async def upsert_staff(
        self, account_id: str, email: str, password: str, name: str, role: str
    ) -> str:
        email = email.strip().lower()
        existing = await self._staff.find_one({"email": email})
        staff_id = str(existing["_id"]) if existing else str(uuid.uuid4())
        await self._staff.update_one(
            {"_id": staff_id},
            {
                "$set": {
                    "account_id": account_id,
                    "email": email,
                    "name": name,
                    "role": role,
                    "password_hash": _hasher.hash(password),
                }
            },
            upsert=True,
        )
        return staff_id

    async def upsert_bot(
        self, account_id: str, bot_key: str, name: str, allowed_origins: list[str]
    ) -> str:
        existing = await self._bots.find_one({"bot_key": bot_key})
        bot_id = str(existing["_id"]) if existing else str(uuid.uuid4())
        await self._bots.update_one(
            {"_id": bot_id},
            {
                "$set": {
                    "account_id": account_id,
                    "bot_key": bot_key,
                    "name": name,
                    "allowed_origins": allowed_origins,
                }
            },
            upsert=True,
        )
        return bot_id


def _staff(doc: dict[str, Any]) -> StaffUser:
    return StaffUser(
        staff_id=doc["_id"],
        account_id=doc["account_id"],
        email=doc["email"],
        name=doc.get("name") or doc["email"],
        role=doc.get("role", "agent"),
    )
