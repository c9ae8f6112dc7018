"""What the bench needs to know about the running stack: .baton/run.json, written by `make up`."""

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from tests.bench.load.addresses import require_loopback


@dataclass(frozen=True)
class Stack:
    gateway_url: str
    inbox_url: str
    widget_origin: str
    bot_key: str
    bot_id: str
    account_id: str
    staff_email: str
    staff_password: str
    mail_dir: Path  # where the stack's mail sink drops invites

    @classmethod
    def from_run_json(cls, path: Path) -> "Stack":
        run = json.loads(path.read_text())
        demo = urlsplit(run["widget_demo_url"])
        stack_root = path.resolve().parent.parent  # run.json lives in <root>/.baton/
        return cls(
            gateway_url=require_loopback(run["gateway_url"].rstrip("/")),
            inbox_url=require_loopback(run["inbox_url"].rstrip("/")),
            widget_origin=f"{demo.scheme}://{demo.netloc}",
            bot_key=run["bot_key"],
            bot_id=run["bot_id"],
            account_id=run["account_id"],
            staff_email=run["staff_email"],
            staff_password=run["staff_password"],
            mail_dir=stack_root / run.get("mail_dir", ".baton/mail"),
        )
