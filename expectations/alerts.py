"""Alert channels: webhook, Slack and e-mail, off unless configured.

A run sends one summary of its new error-level findings (``expectations.evidence.notify``): each with
its document's title, department, region and year, the rule, the place, expected and actual values and
the link to its evidence page. Each channel turns on when its variables are set, in the environment or
in the GX context's ``<warehouse>.gx/gx/uncommitted/config_variables.yml`` (keep secrets there or in the
environment; the environment wins).

| channel | variables |
|---|---|
| webhook (POST JSON, one object per run) | ``BUDGETWH_ALERT_WEBHOOK_URL`` |
| Slack (incoming-webhook URL) | ``BUDGETWH_ALERT_SLACK_WEBHOOK_URL`` |
| e-mail (SMTP) | ``BUDGETWH_ALERT_SMTP_HOST``, ``BUDGETWH_ALERT_EMAIL_TO`` (comma-separated) |

E-mail also reads ``BUDGETWH_ALERT_SMTP_PORT`` (587), ``BUDGETWH_ALERT_SMTP_USER``,
``BUDGETWH_ALERT_SMTP_PASSWORD``, ``BUDGETWH_ALERT_SMTP_SECURITY`` (``starttls``, ``ssl`` or ``none``)
and ``BUDGETWH_ALERT_EMAIL_FROM``.

The DAG's own messages (a task failed, a run published) go to ``BUDGETWH_ALERT_WEBHOOK_URL`` through
``announce``.
"""

from __future__ import annotations

import json
import logging
import os
import smtplib
import ssl
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

log = logging.getLogger(__name__)

WEBHOOK_URL = "BUDGETWH_ALERT_WEBHOOK_URL"
SLACK_WEBHOOK_URL = "BUDGETWH_ALERT_SLACK_WEBHOOK_URL"
SMTP_HOST = "BUDGETWH_ALERT_SMTP_HOST"
SMTP_PORT = "BUDGETWH_ALERT_SMTP_PORT"
SMTP_USER = "BUDGETWH_ALERT_SMTP_USER"
SMTP_PASSWORD = "BUDGETWH_ALERT_SMTP_PASSWORD"
SMTP_SECURITY = "BUDGETWH_ALERT_SMTP_SECURITY"
EMAIL_TO = "BUDGETWH_ALERT_EMAIL_TO"
EMAIL_FROM = "BUDGETWH_ALERT_EMAIL_FROM"
TIMEOUT_SECONDS = 10.0

# The fields GX lists for each failing place on its Data Docs pages (its unexpected-row index).
PAYLOAD_FIELDS = ("rule", "severity", "document", "table", "table_index", "code", "year", "page", "place",
                  "expected", "actual", "difference", "tolerance", "hint", "suggested_value", "message")


class AlertConfigError(ValueError):
    """An alert channel configured with a value it cannot use."""


@dataclass(frozen=True)
class Channels:
    webhook_url: str | None = None
    slack_webhook_url: str | None = None
    smtp: Mapping[str, str] | None = None  # host, port, user, password, security, sender, to

    def __bool__(self) -> bool:
        return bool(self.webhook_url or self.slack_webhook_url or self.smtp)


def alert_variables(gx_root: Path | None = None) -> dict[str, str]:
    """The configuration: the GX context's config_variables.yml, overridden by the environment."""
    import yaml

    found: dict[str, str] = {}
    file = gx_root / "gx" / "uncommitted" / "config_variables.yml" if gx_root else None
    if file is not None and file.is_file():
        found |= {k: str(v) for k, v in (yaml.safe_load(file.read_text(encoding="utf-8")) or {}).items()
                  if k.startswith("BUDGETWH_ALERT_") and v is not None}
    return found | {k: v for k, v in os.environ.items() if k.startswith("BUDGETWH_ALERT_")}


def channels(variables: Mapping[str, str]) -> Channels:
    """The channels the variables turn on, each value checked."""
    webhook, slack, smtp = variables.get(WEBHOOK_URL), variables.get(SLACK_WEBHOOK_URL), None
    for name, value in ((WEBHOOK_URL, webhook), (SLACK_WEBHOOK_URL, slack)):
        if value:
            _require_http_url(name, value)
    if variables.get(SMTP_HOST) or variables.get(EMAIL_TO):
        missing = [n for n in (SMTP_HOST, EMAIL_TO) if not variables.get(n)]
        if missing:
            raise AlertConfigError(f"e-mail alerts need {' and '.join(missing)} as well")
        security = variables.get(SMTP_SECURITY, "starttls")
        if security not in ("starttls", "ssl", "none"):
            raise AlertConfigError(f"{SMTP_SECURITY} is {security!r}; use starttls, ssl or none")
        smtp = {"host": variables[SMTP_HOST], "port": variables.get(SMTP_PORT) or "587",
                "user": variables.get(SMTP_USER) or "", "password": variables.get(SMTP_PASSWORD) or "",
                "security": security, "sender": variables.get(EMAIL_FROM) or "budgetwh@localhost",
                "to": variables[EMAIL_TO]}
    return Channels(webhook or None, slack or None, smtp)


def send(on: Channels, payload: dict, subject: str, text: str) -> dict[str, str]:
    """Send one alert on every channel that is on; channel → outcome. A receiver that cannot be reached
    is logged and named in the outcome, never an error of the run."""
    outcomes: dict[str, str] = {}
    if on.webhook_url:
        outcomes["webhook"] = _post(on.webhook_url, payload)
    if on.slack_webhook_url:
        outcomes["slack"] = _post(on.slack_webhook_url, {
            "text": subject,
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text[:2900]}}]})
    if on.smtp:
        outcomes["email"] = _mail(on.smtp, subject, text)
    return outcomes


def delivered(outcomes: Mapping[str, str]) -> bool:
    return any(o == "sent" for o in outcomes.values())


def _post(url: str, body: dict) -> str:
    request = urllib.request.Request(
        url, data=json.dumps(body, ensure_ascii=False).encode("utf-8"), method="POST",
        headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS):
            return "sent"
    except (urllib.error.URLError, OSError) as e:
        log.warning("alert to %s failed: %s", url, e)
        return f"failed: {e}"


def _mail(smtp: Mapping[str, str], subject: str, text: str) -> str:
    message = EmailMessage()
    message["Subject"], message["From"], message["To"] = subject, smtp["sender"], smtp["to"]
    message.set_content(text)
    server: smtplib.SMTP  # SMTP_SSL is one
    try:
        if smtp["security"] == "ssl":
            server = smtplib.SMTP_SSL(smtp["host"], int(smtp["port"]), timeout=TIMEOUT_SECONDS,
                                      context=ssl.create_default_context())
        else:
            server = smtplib.SMTP(smtp["host"], int(smtp["port"]), timeout=TIMEOUT_SECONDS)
        with server:
            if smtp["security"] == "starttls":
                server.starttls(context=ssl.create_default_context())
            if smtp["user"]:
                server.login(smtp["user"], smtp["password"])
            server.send_message(message, to_addrs=[a.strip() for a in smtp["to"].split(",") if a.strip()])
        return "sent"
    except (smtplib.SMTPException, OSError) as e:
        log.warning("alert e-mail via %s failed: %s", smtp["host"], e)
        return f"failed: {e}"


def _require_http_url(name: str, value: str) -> None:
    if not value.startswith(("https://", "http://")):
        raise AlertConfigError(f"{name} must be an http(s) URL, got {value[:40]!r}")


def announce(message: str, webhook_url: str | None) -> None:
    """Log ``message`` and, when a webhook is configured, POST it as JSON ``{"text": ...}`` (Slack-style):
    the DAG's failure callback and its announcement of a publication."""
    logging.getLogger("budgetwh.alert").warning(message)
    if webhook_url:
        _post(webhook_url, {"text": message})
