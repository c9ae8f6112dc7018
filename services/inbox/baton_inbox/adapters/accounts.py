"""Accounts, staff users (argon2 password hashes) and bots, in MongoDB."""

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from pymongo import ASCENDING, AsyncMongoClient, ReturnDocument
from pymongo.errors import DuplicateKeyError

from baton_contracts.bot_document import BOTS_COLLECTION, BotSettings

_hasher = PasswordHasher()


class EmailTakenError(Exception):
    """Staff e-mails are unique across accounts: the login form asks for an e-mail only."""


@dataclass(frozen=True)
class StaffUser:
    staff_id: str
    account_id: str
    email: str
    name: str
    role: str
    session_epoch: int = 0


def normalize_email(email: str) -> str:
    return email.strip().lower()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except VerificationError:
        return False


class AccountStore:
    def __init__(self, mongo: AsyncMongoClient[dict[str, Any]], db_name: str) -> None:
        db = mongo[db_name]
        self._accounts = db["accounts"]
        self._staff = db["staff"]
        self._bots = db[BOTS_COLLECTION]

    async def ensure_indexes(self) -> None:
        await self._staff.create_index([("email", ASCENDING)], unique=True)
        await self._staff.create_index([("account_id", ASCENDING)])
        await self._bots.create_index([("bot_key", ASCENDING)], unique=True)
        await self._bots.create_index([("account_id", ASCENDING)])

    async def authenticate(self, email: str, password: str) -> StaffUser | None:
        doc = await self._staff.find_one({"email": normalize_email(email)})
        if doc is None:
            _hasher.hash(password)  # same cost either way: no user enumeration by timing
            return None
        if not password_matches(doc["password_hash"], password):
            return None
        return _staff(doc)

    async def staff_by_id(self, staff_id: str) -> StaffUser | None:
        doc = await self._staff.find_one({"_id": staff_id})
        return _staff(doc) if doc else None

    async def staff_by_email(self, email: str) -> StaffUser | None:
        doc = await self._staff.find_one({"email": normalize_email(email)})
        return _staff(doc) if doc else None

    async def teammate(self, account_id: str, staff_id: str) -> StaffUser | None:
        doc = await self._staff.find_one({"_id": staff_id, "account_id": account_id})
        return _staff(doc) if doc else None

    async def list_staff(self, account_id: str) -> list[StaffUser]:
        cursor = self._staff.find({"account_id": account_id}).sort("created_at", ASCENDING)
        return [_staff(doc) async for doc in cursor]

    async def account_name(self, account_id: str) -> str:
        doc = await self._accounts.find_one({"_id": account_id})
        return str(doc["name"]) if doc else ""

    async def create_account(self, name: str, email: str, password_hash: str) -> StaffUser:
        """A new tenant and its owner, whose password was hashed when they signed up. The owner
        goes in first, so a taken e-mail leaves no ownerless account behind."""
        account_id = str(uuid.uuid4())
        owner = await self._insert_staff(
            account_id, email, password_hash, email.split("@")[0], "owner"
        )
        await self._accounts.insert_one(
            {"_id": account_id, "name": name, "created_at": datetime.now(UTC)}
        )
        return owner

    async def create_staff(
        self, account_id: str, email: str, password: str, name: str, role: str
    ) -> StaffUser:
        return await self._insert_staff(account_id, email, hash_password(password), name, role)

    async def _insert_staff(
        self, account_id: str, email: str, password_hash: str, name: str, role: str
    ) -> StaffUser:
        doc = {
            "_id": str(uuid.uuid4()),
            "account_id": account_id,
            "email": normalize_email(email),
            "name": name,
            "role": role,
            "password_hash": password_hash,
            "session_epoch": 0,
            "created_at": datetime.now(UTC),
        }
        try:
            await self._staff.insert_one(doc)
        except DuplicateKeyError as exc:
            raise EmailTakenError(doc["email"]) from exc
        return _staff(doc)

    async def remove_staff(self, account_id: str, staff_id: str) -> bool:
        result = await self._staff.delete_one({"_id": staff_id, "account_id": account_id})
        return result.deleted_count == 1

    async def set_password(self, staff_id: str, password: str) -> None:
        """A new password ends every session of the teammate (their tokens carry the epoch)."""
        await self._staff.update_one(
            {"_id": staff_id},
            {"$set": {"password_hash": hash_password(password)}, "$inc": {"session_epoch": 1}},
        )

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
        email = normalize_email(email)
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
        self,
        account_id: str,
        bot_key: str,
        name: str,
        allowed_origins: list[str],
        accent_color: str | None = None,
    ) -> tuple[dict[str, Any], bool]:
        """The bot with this key, created or its settings overwritten; True if created. The
        accent colour is only a starting value: an admin's later choice survives re-seeding."""
        existing = await self._bots.find_one({"bot_key": bot_key})
        bot_id = str(existing["_id"]) if existing else str(uuid.uuid4())
        doc = await self._bots.find_one_and_update(
            {"_id": bot_id},
            {
                "$set": {
                    "account_id": account_id,
                    "bot_key": bot_key,
                    "name": name,
                    "allowed_origins": allowed_origins,
                },
                "$inc": {"revision": 1},
                **({"$setOnInsert": {"accent_color": accent_color}} if accent_color else {}),
            },
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        if doc is None:  # an upsert always returns the document it wrote
            raise RuntimeError(f"bot {bot_key} was not written")
        return doc, existing is None

    async def list_bots(self, account_id: str) -> list[dict[str, Any]]:
        cursor = self._bots.find({"account_id": account_id}).sort("created_at", ASCENDING)
        return [doc async for doc in cursor]

    async def bot(self, account_id: str, bot_id: str) -> dict[str, Any] | None:
        return await self._bots.find_one({"_id": bot_id, "account_id": account_id})

    async def handback_idle_seconds(self, account_id: str, bot_id: str | None) -> int | None:
        """The bot's own hand-back idle time as it stands now; None: the handoff's default."""
        doc = await self.bot(account_id, bot_id) if bot_id else None
        if doc is None:
            return None
        return BotSettings.from_document(doc, str(bot_id)).handback_idle_seconds

    async def create_bot(
        self, account_id: str, name: str, allowed_origins: Sequence[str] = ()
    ) -> dict[str, Any]:
        """A new bot; with no origins its widget answers nowhere until a teammate adds one."""
        bot = BotSettings(
            bot_id=str(uuid.uuid4()),
            account_id=account_id,
            # Public (it sits in the host page), so only unguessable enough not to collide.
            bot_key=f"bot_{secrets.token_urlsafe(12)}",
            name=name,
            allowed_origins=tuple(allowed_origins),
            # Every write adds one; BotChanged carries it, so readers can order one bot's changes.
            revision=1,
        )
        doc = {**bot.to_document(), "created_at": datetime.now(UTC)}
        await self._bots.insert_one(doc)
        return doc

    async def update_bot(
        self, account_id: str, bot_id: str, changes: dict[str, Any]
    ) -> dict[str, Any] | None:
        """Sets the given settings (a None value removes the setting); None if no such bot."""
        unset = {key: "" for key, value in changes.items() if value is None}
        update: dict[str, Any] = {
            "$set": {
                "updated_at": datetime.now(UTC),
                **{key: value for key, value in changes.items() if value is not None},
            },
            "$inc": {"revision": 1},
        }
        if unset:
            update["$unset"] = unset
        return await self._bots.find_one_and_update(
            {"_id": bot_id, "account_id": account_id}, update, return_document=ReturnDocument.AFTER
        )

    async def delete_bot(self, account_id: str, bot_id: str) -> dict[str, Any] | None:
        """Removes the bot's document; the document as it was, or None if no such bot."""
        return await self._bots.find_one_and_delete({"_id": bot_id, "account_id": account_id})


def _staff(doc: dict[str, Any]) -> StaffUser:
    return StaffUser(
        staff_id=doc["_id"],
        account_id=doc["account_id"],
        email=doc["email"],
        name=doc.get("name") or doc["email"],
        role=doc.get("role", "agent"),
        session_epoch=int(doc.get("session_epoch", 0)),
    )
