"""Alerts on error-level failures reach a real local receiver; nothing is sent unless configured."""

from __future__ import annotations

import email
import json
import os
import socketserver
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from rule_warehouse import Warehouse

from expectations.alerts import AlertConfigError, alert_actions
from expectations.runner import gx_root_for, validate


class Receiver:
    """An HTTP server on 127.0.0.1 that records every POST body by path."""

    def __init__(self):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append((self.path, self.headers["Content-Type"], json.loads(body)))
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def test_webhook_and_slack_receive_the_error_findings(seeded, receiver, monkeypatch):
    monkeypatch.setenv("BUDGETWH_ALERT_WEBHOOK_URL", receiver.url + "/findings")
    monkeypatch.setenv("BUDGETWH_ALERT_SLACK_WEBHOOK_URL", receiver.url + "/slack")
    validate(seeded, run_id="alerting")
    webhook = [body for path, _, body in receiver.received if path == "/findings"]
    assert len(webhook) == 1  # 綦江 has warnings only: no alert for it
    payload = webhook[0]
    assert payload["run_id"] == "alerting" and payload["source"] == "budgetwh"
    by_place = {(f["rule"], f["code"], f["year"]): f for f in payload["findings"]}
    assert len(payload["findings"]) == 9
    decimal_shift = by_place[("BW-HIE-003", "210", 2021)]
    assert decimal_shift["document"] == "tongnan2022"
    assert type(decimal_shift["year"]) is int and type(decimal_shift["table_index"]) is int
    assert decimal_shift["table"] == "general_budget_expenditure"
    assert (decimal_shift["expected"], decimal_shift["actual"], decimal_shift["difference"]) == (
        "38.85", "14.37", "-24.48")
    assert decimal_shift["suggested_value"] == "2.72" and decimal_shift["hint"].startswith("decimal shift")
    assert decimal_shift["place"] == "general_budget_expenditure, table 2, 210, 2021, 2021 年预算数, page 5"
    assert all(f["severity"] == "error" for f in payload["findings"])
    slack = [body for path, _, body in receiver.received if path == "/slack"]
    assert len(slack) == 1 and "blocks" in slack[0]
    assert "budgetwh_error_rules" in json.dumps(slack[0], ensure_ascii=False)
    stored = (gx_root_for(seeded) / "gx").rglob("*.json")
    assert not any(receiver.url in p.read_text(encoding="utf-8") for p in stored)  # references only


def test_nothing_is_on_by_default(monkeypatch):
    for name in ("BUDGETWH_ALERT_WEBHOOK_URL", "BUDGETWH_ALERT_SLACK_WEBHOOK_URL", "BUDGETWH_ALERT_SMTP_HOST",
                 "BUDGETWH_ALERT_EMAIL_TO"):
        monkeypatch.delenv(name, raising=False)
    assert alert_actions(dict(os.environ)) == []


def test_an_unreachable_receiver_does_not_fail_validation(warehouse, monkeypatch):
    from seed_documents import build_tongnan

    w = Warehouse(warehouse)
    build_tongnan(w)
    w.close()
    monkeypatch.setenv("BUDGETWH_ALERT_WEBHOOK_URL", "http://127.0.0.1:9/nowhere")
    assert validate(warehouse, run_id="offline").errors == 9


def test_bad_alert_configuration_is_named():
    with pytest.raises(AlertConfigError, match="BUDGETWH_ALERT_SLACK_WEBHOOK_URL must be an http"):
        alert_actions({"BUDGETWH_ALERT_SLACK_WEBHOOK_URL": "hooks.slack.com/services/x"})
    with pytest.raises(AlertConfigError, match="need BUDGETWH_ALERT_SMTP_HOST"):
        alert_actions({"BUDGETWH_ALERT_EMAIL_TO": "a@example.org"})
    with pytest.raises(AlertConfigError, match="use starttls, ssl or none"):
        alert_actions({"BUDGETWH_ALERT_SMTP_HOST": "localhost", "BUDGETWH_ALERT_EMAIL_TO": "a@example.org",
                       "BUDGETWH_ALERT_SMTP_SECURITY": "tls1.3"})


def test_email_action_is_configured_from_variables():
    (action,) = alert_actions({"BUDGETWH_ALERT_SMTP_HOST": "smtp.example.org",
                               "BUDGETWH_ALERT_EMAIL_TO": "a@example.org",
                               "BUDGETWH_ALERT_SMTP_SECURITY": "ssl"})
    assert (action.type, action.notify_on, action.use_ssl, action.use_tls) == (
        "email", "critical", True, False)
    assert str(action.smtp_address) == "${BUDGETWH_ALERT_SMTP_HOST}"


class SmtpSink:
    """The smallest SMTP server smtplib talks to: records each message's text."""

    def __init__(self):
        messages = self.messages = []

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                self.wfile.write(b"220 sink\r\n")
                while line := self.rfile.readline():
                    command = line.strip().upper()
                    if command.startswith((b"EHLO", b"HELO")):
                        self.wfile.write(b"250 sink\r\n")
                    elif command == b"DATA":
                        self.wfile.write(b"354 go on\r\n")
                        body = b"".join(iter(self.rfile.readline, b".\r\n"))
                        messages.append(email.message_from_bytes(body))
                        self.wfile.write(b"250 queued\r\n")
                    elif command == b"QUIT":
                        self.wfile.write(b"221 bye\r\n")
                        return
                    else:
                        self.wfile.write(b"250 ok\r\n")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_email_reaches_a_local_smtp_server(warehouse, monkeypatch):
    from seed_documents import build_tongnan

    w = Warehouse(warehouse)
    build_tongnan(w)
    w.close()
    sink = SmtpSink()
    try:
        monkeypatch.setenv("BUDGETWH_ALERT_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("BUDGETWH_ALERT_SMTP_PORT", str(sink.port))
        monkeypatch.setenv("BUDGETWH_ALERT_SMTP_SECURITY", "none")
        monkeypatch.setenv("BUDGETWH_ALERT_EMAIL_TO", "budget-office@example.org")
        validate(warehouse, run_id="mailed")
    finally:
        sink.close()
    (message,) = sink.messages
    assert message["To"] == "budget-office@example.org"
    html_body = message.get_payload()[0].get_payload(decode=True).decode("utf-8")
    assert "budgetwh_error_rules" in html_body and "mailed" in html_body
