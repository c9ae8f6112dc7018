"""What the inbox tests share, and tests of it: the real SMTP sink (`baton_inbox.mail.sink`, the
program `make run` starts), an extra inbox replica wired to it, and a staff stream reader."""

import re
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest

from tests.support.http import TypedStream
from tests.support.isolated import ROOT, IsolatedSystem, free_port

PASSWORD = "inbox-tests-password-1"
# Every sink's folder, for mail whose sender's sink the caller does not know (sign-up links).
_sink_folders: list[Path] = []


@dataclass
class MailSink:
    port: int
    folder: Path
    process: subprocess.Popen[bytes]

    @classmethod
    def start(cls, folder: Path) -> "MailSink":
        port = free_port()
        log = (folder.parent / f"mail-sink-{port}.log").open("ab")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "baton_inbox.mail.sink",
                "--port",
                str(port),
                "--dir",
                str(folder),
            ],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert process.poll() is None, "mail sink exited"
                assert time.monotonic() < deadline, "mail sink never listened"
                time.sleep(0.1)
        _sink_folders.append(folder)
        return cls(port, folder, process)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)

    def messages(self) -> list[EmailMessage]:
        return self.read(self.folder)

    @staticmethod
    def read(folder: Path) -> list[EmailMessage]:
        out = []
        for path in sorted(folder.glob("*.eml")):
            message = message_from_bytes(path.read_bytes(), policy=policy.default)
            assert isinstance(message, EmailMessage)
            out.append(message)
        return out

    def wait_for(self, to: str, subject: str, timeout: float = 15.0) -> EmailMessage:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.messages():
                if message["To"] == to and subject in str(message["Subject"]):
                    return message
            time.sleep(0.1)
        raise AssertionError(f"no mail to {to} about {subject!r}; got {self.subjects()}")

    def subjects(self) -> list[tuple[str, str]]:
        return [(str(m["To"]), str(m["Subject"])) for m in self.messages()]


def link_in(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    match = re.search(r"https?://\S+", body.get_content())
    assert match, body.get_content()
    return match.group(0)


def token_of(link: str) -> str:
    return link.split("#token=", 1)[1]


@dataclass
class Replica:
    """A second inbox process on the shared test system's topics, database and Redis prefix:
    another replica in the same consumer group, sending mail to its own sink."""

    system: IsolatedSystem
    sink: MailSink

    @property
    def url(self) -> str:
        return self.system.url("inbox")


def start_replica(base: IsolatedSystem, sink: MailSink, **overrides: str) -> Replica:
    system = IsolatedSystem(
        overrides={
            "BATON_TOPIC_PREFIX": f"{base.name}.",
            "BATON_MONGO_DB": base.mongo_db,
            "BATON_REDIS_PREFIX": f"{base.name}:",
            "BATON_INBOX_SMTP_PORT": str(sink.port),
            "BATON_INBOX_SSE_HEARTBEAT_SECONDS": "1",
            **overrides,
        }
    )
    system.overrides["BATON_INBOX_PUBLIC_URL"] = system.url("inbox")
    system.start("inbox")
    system.wait_ready("inbox")
    return Replica(system, sink)


_shared: dict[str, Replica] = {}


def running_replica() -> Replica | None:
    """The session's second inbox replica, if a test module started it: it shares the inbox's
    consumer group, so it may own the partition of any new thread."""
    return _shared.get("replica")


@pytest.fixture(scope="session")
def replica(system: IsolatedSystem) -> Iterator[Replica]:
    """One per test session. Modules that import this fixture each get their own fixture
    instance; the first one starts the replica and stops it when the session ends."""
    owner = "replica" not in _shared
    if owner:
        folder = Path(tempfile.mkdtemp(prefix="baton-mail-"))
        _shared["replica"] = start_replica(system, MailSink.start(folder / "mail"))
    yield _shared["replica"]
    if owner:
        shared = _shared.pop("replica")
        shared.system.stop_all()
        shared.sink.stop()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def mail_to(to: str, subject: str, timeout: float = 15.0) -> EmailMessage:
    """The mail to a (unique) address in any sink this test process started, or the stack's own
    (`make up`'s sink, where every inbox started without its own SMTP port sends)."""
    folders = [ROOT / ".baton" / "mail", *_sink_folders]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for folder in folders:
            for message in MailSink.read(folder):
                if message["To"] == to and subject in str(message["Subject"]):
                    return message
        time.sleep(0.1)
    raise AssertionError(f"no mail to {to} about {subject!r} in {folders}")


def request_sign_up(inbox: str, account_name: str | None = None) -> str:
    """Asks for an account; returns the owner's e-mail, where the confirmation link goes."""
    email = f"owner-{uuid.uuid4().hex[:8]}@example.test"
    response = httpx.post(
        f"{inbox}/v1/accounts",
        json={
            "account_name": account_name or f"Acme {uuid.uuid4().hex[:4]}",
            "email": email,
            "password": PASSWORD,
        },
    )
    assert response.status_code == 202, response.text
    return email


def confirm_sign_up(inbox: str, email: str, password: str = PASSWORD) -> httpx.Response:
    token = token_of(link_in(mail_to(email, "Confirm your new Baton inbox")))
    return httpx.post(f"{inbox}/v1/accounts/confirm", json={"token": token, "password": password})


def sign_up(inbox: str, account_name: str | None = None) -> tuple[str, str]:
    """A fresh account, confirmed by its e-mail link; returns (owner e-mail, owner token)."""
    email = request_sign_up(inbox, account_name)
    confirmed = confirm_sign_up(inbox, email)
    assert confirmed.status_code == 201, confirmed.text
    return email, str(confirmed.json()["token"])


def invite_and_accept_on(
    inbox: str,
    sink: MailSink,
    owner_token: str,
    role: str = "agent",
    name: str = "Sam Rivera",
    password: str = PASSWORD,
) -> tuple[str, str]:
    """Invites a teammate by e-mail and follows the link; returns (e-mail, token)."""
    email = f"{role}-{uuid.uuid4().hex[:8]}@example.test"
    response = httpx.post(
        f"{inbox}/v1/invites", json={"email": email, "role": role}, headers=bearer(owner_token)
    )
    assert response.status_code == 201, response.text
    token = token_of(link_in(sink.wait_for(email, "invited you")))
    accepted = httpx.post(
        f"{inbox}/v1/invites/accept", json={"token": token, "name": name, "password": password}
    )
    assert accepted.status_code == 201, accepted.text
    return email, str(accepted.json()["token"])


def invite_and_accept(
    replica: Replica, owner_token: str, role: str = "agent", name: str = "Sam Rivera"
) -> tuple[str, str]:
    return invite_and_accept_on(replica.url, replica.sink, owner_token, role, name)


# The staff live stream reads like the widget's typed stream.
StaffEvents = TypedStream
