"""The e-mails the inbox sends (pure: no I/O)."""

import re
from email.message import EmailMessage

from baton_inbox.permissions import Role


def _one_line(text: str) -> str:
    """Names that go into a header (older accounts may hold a line break or a control
    character, which the mail library refuses there)."""
    return re.sub(r"[\x00-\x1f\x7f\u2028\u2029\x85]+", " ", text).strip()


def _set_body(message: EmailMessage, text: str) -> None:
    # Plain 7-bit when possible, so a link in an .eml file stays readable and clickable as is.
    message.set_content(text, cte="7bit" if text.isascii() else "quoted-printable")


def _message(to: str, subject: str) -> EmailMessage:
    message = EmailMessage()
    message["To"] = to
    message["Subject"] = _one_line(subject)
    return message


def _invite_subject(inviter: str, account_name: str) -> str:
    return f"{inviter} invited you to the {account_name} inbox on Baton"


def invite_email(
    *, to: str, account_name: str, inviter: str, role: Role, link: str, ttl_hours: int
) -> EmailMessage:
    message = _message(to, _invite_subject(inviter, account_name))
    _set_body(
        message,
        f"{inviter} invited you to join {account_name}'s support inbox on Baton as {role}.\n\n"
        f"Accept the invitation and choose your password here:\n{link}\n\n"
        f"The link works once and expires in {ttl_hours} hours. If you did not expect this\n"
        "e-mail you can ignore it.\n",
    )
    return message


def password_reset_email(*, to: str, link: str, ttl_minutes: int) -> EmailMessage:
    message = EmailMessage()
    message["To"] = to
    message["Subject"] = "Reset your Baton password"
    _set_body(
        message,
        "Someone (hopefully you) asked to reset the password of this Baton inbox login.\n\n"
        f"Choose a new password here:\n{link}\n\n"
        f"The link works once and expires in {ttl_minutes} minutes. Setting a new password\n"
        "signs you out everywhere. If you did not ask for this, ignore this e-mail: your\n"
        "password stays as it is.\n",
    )
    return message


def signup_confirmation_email(
    *, to: str, account_name: str, link: str, ttl_hours: int
) -> EmailMessage:
    message = EmailMessage()
    message["To"] = to
    message["Subject"] = "Confirm your new Baton inbox"
    _set_body(
        message,
        f'Someone (hopefully you) asked to create the Baton inbox "{_one_line(account_name)}"\n'
        "with this e-mail address as its owner.\n\n"
        f"Open this link and enter the password you chose to create it:\n{link}\n\n"
        f"The link works once and expires in {ttl_hours} hours. If you did not ask for this,\n"
        "ignore this e-mail: nothing is created without the link.\n",
    )
    return message


def signup_existing_login_email(*, to: str, login_page: str, reset_page: str) -> EmailMessage:
    """Sent instead of a confirmation when the address has a login already: the sign-up
    answer is the same either way, so only the mailbox's owner learns it."""
    message = EmailMessage()
    message["To"] = to
    message["Subject"] = "You already have a Baton login"
    _set_body(
        message,
        "Someone (hopefully you) tried to create a new Baton inbox with this e-mail address,\n"
        "which already has a login. A login belongs to one team, so no new inbox was created.\n\n"
        f"Log in here:\n{login_page}\n\n"
        f"Forgot the password? Choose a new one here:\n{reset_page}\n\n"
        "To run a second team, sign up with another address. If this was not you, ignore this\n"
        "e-mail: nothing has changed.\n",
    )
    return message


def invite_for_existing_login_email(*, to: str, account_name: str, inviter: str) -> EmailMessage:
    """Sent instead of an invitation when the address has a login on another team: the
    inviter's answer is the same either way, so no one learns who has a login elsewhere."""
    message = _message(to, _invite_subject(inviter, account_name))
    _set_body(
        message,
        f"{inviter} invited you to join {account_name}'s support inbox on Baton, but this\n"
        "address already has a Baton login for another team, and a login belongs to one team.\n\n"
        "To join, ask them to invite another address of yours. If you did not expect this\n"
        "e-mail you can ignore it.\n",
    )
    return message


def login_backoff_email(*, to: str, address: str, failures: int, login_page: str) -> EmailMessage:
    """To the owner of a login someone keeps failing to open from one address."""
    message = EmailMessage()
    message["To"] = to
    message["Subject"] = "Failed logins to your Baton inbox"
    _set_body(
        message,
        f"Someone failed to log in to your Baton inbox login {failures} times in a row from\n"
        f"the address {_one_line(address)}. Further tries from that address now wait longer\n"
        "and longer; you can still log in from anywhere else as usual.\n\n"
        "If this was you, wait a little, or reset your password from the login page (a new\n"
        f"password clears the count):\n{login_page}\n\n"
        "If it was not you, your password held; consider changing it anyway.\n",
    )
    return message


def response_alert_email(
    *,
    to: str,
    account_name: str,
    visitor: str,
    breached: bool,
    target_minutes: float,
    escalated_at: str,
    reason: str,
    last_visitor_text: str,
    link: str,
) -> EmailMessage:
    """To the alert recipients: an escalated visitor is near (80%) or past the target.
    `reason`: why the thread was handed over, in words ("not in the docs")."""
    message = EmailMessage()
    message["To"] = to
    state = "has waited past" if breached else "is close to"
    message["Subject"] = _one_line(
        f"{account_name}: {visitor} {state} the {target_minutes:g}-minute response target"
    )
    _set_body(
        message,
        # One line per paragraph: the names and times vary in length, so a fixed wrap left
        # ragged lines; mail readers wrap plain text themselves.
        f"{visitor} was handed to a teammate at {escalated_at} ({_one_line(reason)}) and "
        f"{state} the response target of {target_minutes:g} minutes (counted within business "
        "hours). No teammate has replied since.\n\n"
        f'Their last message: "{_one_line(last_visitor_text)[:300]}"\n\n'
        f"Open the thread: {link}\n",
    )
    return message
