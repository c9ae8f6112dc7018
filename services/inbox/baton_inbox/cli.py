"""Administrative commands of the inbox: `baton-inbox-admin seed-demo ...`."""

import argparse
import asyncio
import json
import sys
from typing import Any

from baton_events.bots import BotChange
from baton_inbox.adapters.accounts import AccountStore
from baton_inbox.bot_changes import announce_bot_change
from baton_inbox.settings import InboxSettings
from baton_runtime.kafka import build_broker, ensure_topics, topics_for
from baton_runtime.stores import connect_mongo


async def seed_demo(args: argparse.Namespace) -> dict[str, str]:
    settings = InboxSettings()
    mongo = await connect_mongo(settings)
    try:
        accounts = AccountStore(mongo, settings.mongo_db)
        await accounts.ensure_indexes()
        account_id = await accounts.upsert_account(args.account_name)
        staff_id = await accounts.upsert_staff(
            account_id, args.email, args.password, args.staff_name, "owner"
        )
        bot, created = await accounts.upsert_bot(
            account_id, args.bot_key, args.bot_name, args.allowed_origin, args.accent_color
        )
        # A running stack may have cached the bot: it drops its copy on this event.
        await announce_seeded_bot(settings, bot, created)
        return {"account_id": account_id, "staff_id": staff_id, "bot_id": str(bot["_id"])}
    finally:
        await mongo.close()


async def announce_seeded_bot(settings: InboxSettings, bot: dict[str, Any], created: bool) -> None:
    await ensure_topics(settings)
    broker = build_broker(settings, client_id="baton-inbox-admin")
    await broker.start()
    try:
        change: BotChange = "created" if created else "updated"
        fields = ("account_id", "bot_key", "name", "allowed_origins")
        await announce_bot_change(broker, topics_for(settings), bot, change, fields)
    finally:
        await broker.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="baton-inbox-admin")
    commands = parser.add_subparsers(dest="command", required=True)
    seed = commands.add_parser(
        "seed-demo", help="create (or update) the demo account, owner and bot"
    )
    seed.add_argument("--account-name", default="Orbit CRM")
    seed.add_argument("--email", required=True)
    seed.add_argument("--password", required=True)
    seed.add_argument("--staff-name", default="Alex Morgan")
    seed.add_argument("--bot-key", required=True)
    seed.add_argument("--bot-name", default="Orbit CRM help")
    seed.add_argument("--allowed-origin", action="append", required=True)
    seed.add_argument(
        "--accent-color",
        default="#6741d9",
        help="the widget's colour when the bot is created (default: the demo site's purple); "
        "re-seeding keeps what an admin set since",
    )
    args = parser.parse_args(argv)
    if len(args.password) < 8:
        parser.error("--password: must be at least 8 characters")
    result = asyncio.run(seed_demo(args))
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
