"""The local SMTP sink `make` starts keeps each message as an .eml file."""

import smtplib
from email.message import EmailMessage
from pathlib import Path

import pytest

from tests.support.inbox_harness import MailSink

pytestmark = pytest.mark.integration


def test_mail_sink_keeps_each_message_as_an_eml_file(tmp_path: Path) -> None:
    sink = MailSink.start(tmp_path / "mail")
    try:
        message = EmailMessage()
        message["From"] = "a@example.test"
        message["To"] = "b@example.test"
        message["Subject"] = "Sink check"
        message.set_content("hello <b>there</b>\n")
        with smtplib.SMTP("127.0.0.1", sink.port, timeout=10) as smtp:
            smtp.send_message(message)
        stored = sink.wait_for("b@example.test", "Sink check")
        assert "hello <b>there</b>" in stored.get_content()
        assert not list((tmp_path / "mail").glob(".*.part"))
        # Invite and reset links are live: the folder and each message are the owner's only.
        assert (tmp_path / "mail").stat().st_mode & 0o777 == 0o700
        assert {path.stat().st_mode & 0o777 for path in (tmp_path / "mail").glob("*.eml")} == {
            0o600
        }
    finally:
        sink.stop()
