"""Build and send e-mail over SMTP; knows nothing of models, only of messages."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formatdate, make_msgid
from urllib.parse import urlsplit

import click
from flask import current_app


@dataclass(frozen=True)
class Message:
    """One e-mail: a recipient, a subject and a plain-text and an HTML part."""

    to: str
    subject: str
    text: str
    html: str
    message_id: str | None = None


def message_domain() -> str:
    """Return the domain of our Message-IDs: MAIL_MESSAGE_ID_DOMAIN, else BASE_URL's host."""
    cfg = current_app.config
    return (cfg.get("MAIL_MESSAGE_ID_DOMAIN") or urlsplit(cfg.get("BASE_URL") or "").hostname
            or "pdplanner")


def build_email(message: Message, sender: str) -> MIMEMultipart:
    """Turn a Message into a multipart/alternative MIME message (text, then HTML)."""
    email = MIMEMultipart("alternative")
    email["From"] = sender
    email["To"] = message.to
    email["Subject"] = Header(message.subject, "utf-8")
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = message.message_id or make_msgid(domain=message_domain())
    email["Auto-Submitted"] = "auto-generated"
    email.attach(MIMEText(message.text, "plain", "utf-8"))
    email.attach(MIMEText(message.html, "html", "utf-8"))
    return email


def delivers() -> bool:
    """Tell whether mail goes anywhere: an SMTP server, or the demo's console."""
    cfg = current_app.config
    return bool(cfg.get("MAIL_SERVER") or cfg.get("MAIL_TO_CONSOLE"))


def to_console(message: Message) -> None:
    """Print a message's plain text, links included, where the demo runs (no SMTP)."""
    rule = "-" * 72
    click.echo(f"{rule}\nTo: {message.to}\nSubject: {message.subject}\n\n{message.text}\n{rule}")


class Connection:
    """One SMTP connection reused for a batch, opened on first use."""

    def __init__(self):
        self.smtp = None

    def __enter__(self):
        return self

    def _open(self):
        cfg = current_app.config
        smtp_class = smtplib.SMTP_SSL if cfg.get("MAIL_USE_SSL") else smtplib.SMTP
        smtp = smtp_class(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=cfg["MAIL_TIMEOUT"])
        if cfg.get("MAIL_USE_TLS") and not cfg.get("MAIL_USE_SSL"):
            smtp.starttls(context=ssl.create_default_context())
        if cfg.get("MAIL_USERNAME"):
            smtp.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD") or "")
        return smtp

    def send(self, message: Message) -> None:
        """Send one message, reconnecting once if the server dropped the line."""
        if not current_app.config.get("MAIL_SERVER") and current_app.config.get("MAIL_TO_CONSOLE"):
            to_console(message)
            return
        if self.smtp is None:
            self.smtp = self._open()
        email = build_email(message, current_app.config["MAIL_DEFAULT_SENDER"])
        try:
            self.smtp.send_message(email)
        except smtplib.SMTPServerDisconnected:
            self.smtp = self._open()
            self.smtp.send_message(email)

    def __exit__(self, *exc):
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
        return False


def stored(row) -> Message:
    """Rebuild a message whose words were rendered when it was queued."""
    return Message(to=row.to_address, subject=row.subject, text=row.text, html=row.html,
                   message_id=row.message_id)
