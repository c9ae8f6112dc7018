"""A local SMTP server that keeps every message as an .eml file, so an invite can be followed
on one machine: `python -m baton_inbox.mail.sink --dir .baton/mail` (supervisord runs it under
`make run`). Never expose it: it accepts mail for anyone and delivers none."""

import argparse
import asyncio
import os
import signal
import time
import uuid
from pathlib import Path
from typing import Any

import structlog
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from baton_runtime.logging import configure_logging

log = structlog.get_logger()


class EmlFolder:
    """aiosmtpd handler: one file per message, written whole and then renamed into place,
    so a reader polling the folder never sees half a message."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        # Invite and reset links are live credentials: only the owner of the stack reads them.
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o700)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content: Any = envelope.original_content or envelope.content or b""
        data = content if isinstance(content, bytes) else str(content).encode()
        name = f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}.eml"
        partial = self.folder / f".{name}.part"
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
        partial.rename(self.folder / name)
        log.info("mail_stored", file=name, to=list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


async def serve(host: str, port: int, folder: Path) -> None:
    controller = Controller(EmlFolder(folder), hostname=host, port=port)
    controller.start()
    log.info("mail_sink_listening", host=host, port=port, folder=str(folder))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        controller.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="baton-mail-sink")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--dir", type=Path, default=Path(".baton/mail"))
    args = parser.parse_args(argv)
    configure_logging("mail-sink", json_output=True, level="INFO")
    asyncio.run(serve(args.host, args.port, args.dir))


if __name__ == "__main__":
    main()
