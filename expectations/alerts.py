"""Alerts on error-level findings, as Great Expectations Checkpoint actions. None is on by default.

Each channel turns on when its variables are set, either in the environment or in the GX context's
``<warehouse>.gx/gx/uncommitted/config_variables.yml`` (GX's own config file; keep secrets there or
in the environment). Checkpoints store ``${VARIABLE}`` references, never the values, so no URL or
password is written into the context.

| channel | variables |
|---|---|
| webhook (POST JSON, one object per run and document) | ``BUDGETWH_ALERT_WEBHOOK_URL`` |
| Slack (incoming-webhook URL) | ``BUDGETWH_ALERT_SLACK_WEBHOOK_URL`` |
| e-mail (SMTP) | ``BUDGETWH_ALERT_SMTP_HOST``, ``BUDGETWH_ALERT_EMAIL_TO`` (comma-separated) |

E-mail also reads ``BUDGETWH_ALERT_SMTP_PORT`` (587), ``BUDGETWH_ALERT_SMTP_USER``,
``BUDGETWH_ALERT_SMTP_PASSWORD``, ``BUDGETWH_ALERT_SMTP_SECURITY`` (``starttls``, ``ssl`` or ``none``)
and ``BUDGETWH_ALERT_EMAIL_FROM``.

Only failures of error-level rules alert: GX reports them with severity ``critical``. The DAG's own
messages (a task failed, a run published) go to ``BUDGETWH_ALERT_WEBHOOK_URL`` through ``announce``.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Literal, Union

from great_expectations.checkpoint.actions import (
    EmailAction,
    SlackNotificationAction,
    ValidationAction,
)
from great_expectations.datasource.fluent.config_str import ConfigStr

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

# The finding's fields a webhook receives, in the order a reader wants them.
PAYLOAD_FIELDS = ("rule", "severity", "document", "table", "table_index", "code", "year", "page", "place",
                  "expected", "actual", "difference", "tolerance", "hint", "suggested_value", "message")


class AlertConfigError(ValueError):
    """An alert channel configured with a value it cannot use."""


def _ref(name: str) -> str:
    return "${" + name + "}"


def findings_of(checkpoint_result, severity: str = "critical") -> list[dict]:
    """The failing places of a checkpoint run as payload dicts, from GX's unexpected-row listing."""
    findings = []
    for validation in checkpoint_result.run_results.values():
        for result in validation.results:
            config = result.expectation_config
            if result.success or str(getattr(config.severity, "value", config.severity)) != severity:
                continue
            for row in result.result.get("unexpected_index_list") or []:
                findings.append({k: _plain(row.get(k)) for k in PAYLOAD_FIELDS})
    return findings


def _plain(value):
    """JSON-ready: amounts keep their exact decimal digits as strings; pandas' missing values are null."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, (str, int, bool)):
        return value
    return str(value)


class FindingsWebhookAction(ValidationAction):
    """POST the failing error-level places of a run as JSON: one request per checkpoint (document)."""

    type: Literal["budgetwh_findings_webhook"] = "budgetwh_findings_webhook"
    url: Union[ConfigStr, str]  # noqa: UP007 (GX's pydantic v1 models need typing.Union)
    timeout_seconds: float = 10.0

    def run(self, checkpoint_result, action_context=None) -> dict:
        findings = findings_of(checkpoint_result)
        if not findings:
            return {"budgetwh_findings_webhook": "nothing to report"}
        url = self._substitute_config_str_if_needed(self.url, self._resolve_context().context.config_provider)
        payload = {"source": "budgetwh", "run_id": str(checkpoint_result.run_id.run_name),
                   "checkpoint": checkpoint_result.checkpoint_config.name, "findings": findings}
        try:
            post_json(str(url), payload, self.timeout_seconds)
        except (urllib.error.URLError, OSError) as e:  # an unreachable receiver must not fail the validation
            log.warning("findings webhook %s failed: %s", url, e)
            return {"budgetwh_findings_webhook": f"failed: {e}"}
        return {"budgetwh_findings_webhook": f"posted {len(findings)} finding(s)"}


def post_json(url: str, payload: dict, timeout_seconds: float = 10.0) -> None:
    """POST ``payload`` as UTF-8 JSON: every alert channel of budgetwh that is not GX's own goes here."""
    request = urllib.request.Request(
        url, data=json.dumps(payload, ensure_ascii=False).encode("utf-8"), method="POST",
        headers={"Content-Type": "application/json; charset=utf-8"})
    with urllib.request.urlopen(request, timeout=timeout_seconds):
        pass


def announce(message: str, webhook_url: str | None) -> None:
    """Log ``message`` and, when a webhook is configured, POST it as JSON ``{"text": ...}`` (Slack-style):
    the DAG's failure callback and its announcement of a publication."""
    logging.getLogger("budgetwh.alert").warning(message)
    if webhook_url:
        post_json(webhook_url, {"text": message})


def alert_actions(variables: Mapping[str, str]) -> list[ValidationAction]:
    """The alert actions the given configuration variables turn on (GX's config provider values)."""
    actions: list[ValidationAction] = []
    if variables.get(WEBHOOK_URL):
        _require_http_url(WEBHOOK_URL, variables[WEBHOOK_URL])
        actions.append(FindingsWebhookAction(name="findings_webhook", url=_ref(WEBHOOK_URL)))
    if variables.get(SLACK_WEBHOOK_URL):
        _require_http_url(SLACK_WEBHOOK_URL, variables[SLACK_WEBHOOK_URL])
        actions.append(SlackNotificationAction(name="slack", slack_webhook=_ref(SLACK_WEBHOOK_URL),
                                               notify_on="critical", show_failed_expectations=True))
    if variables.get(SMTP_HOST) or variables.get(EMAIL_TO):
        missing = [n for n in (SMTP_HOST, EMAIL_TO) if not variables.get(n)]
        if missing:
            raise AlertConfigError(f"e-mail alerts need {' and '.join(missing)} as well")
        security = variables.get(SMTP_SECURITY, "starttls")
        if security not in ("starttls", "ssl", "none"):
            raise AlertConfigError(f"{SMTP_SECURITY} is {security!r}; use starttls, ssl or none")
        actions.append(EmailAction(
            name="email", notify_on="critical",
            smtp_address=_ref(SMTP_HOST),
            smtp_port=_ref(SMTP_PORT) if variables.get(SMTP_PORT) else "587",
            sender_login=_ref(SMTP_USER) if variables.get(SMTP_USER) else None,
            sender_password=_ref(SMTP_PASSWORD) if variables.get(SMTP_PASSWORD) else None,
            sender_alias=_ref(EMAIL_FROM) if variables.get(EMAIL_FROM) else "budgetwh@localhost",
            receiver_emails=_ref(EMAIL_TO),
            use_tls=security == "starttls", use_ssl=security == "ssl",
        ))
    return actions


def _require_http_url(name: str, value: str) -> None:
    if not value.startswith(("https://", "http://")):
        raise AlertConfigError(f"{name} must be an http(s) URL, got {value[:40]!r}")
