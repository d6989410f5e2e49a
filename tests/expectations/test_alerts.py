"""A run's summary of its new error-level findings reaches real local receivers (HTTP, SMTP), once per
finding, never for a dismissed one; nothing is sent unless configured."""

from __future__ import annotations

import json

import duckdb
import pytest
from receivers import Receiver, SmtpSink
from rule_warehouse import Warehouse

from expectations.alerts import AlertConfigError, alert_variables, channels
from expectations.evidence.locate import finding_key
from expectations.evidence.notify import alert_new_findings
from expectations.evidence.review import record_verdict
from expectations.runner import validate


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


BASE = "http://127.0.0.1:8080/evidence"


def test_a_run_sends_one_summary_of_its_new_errors_with_their_evidence_links(seeded, receiver, monkeypatch):
    monkeypatch.setenv("BUDGETWH_ALERT_WEBHOOK_URL", receiver.url + "/findings")
    monkeypatch.setenv("BUDGETWH_ALERT_SLACK_WEBHOOK_URL", receiver.url + "/slack")
    validate(seeded, run_id="alerting")
    assert receiver.received == []  # validation itself sends nothing: the run's summary does
    summary = alert_new_findings(seeded, "alerting", base_url=BASE)
    assert summary.outcomes == {"webhook": "sent", "slack": "sent"} and summary.new == 9
    (payload,) = [body for path, _, body in receiver.received if path == "/findings"]
    assert payload["run_id"] == "alerting" and payload["source"] == "budgetwh" and payload["count"] == 9
    assert payload["evidence"] == f"{BASE}/rules/index.html"
    by_place = {(f["rule"], f["place"]): f for f in payload["findings"]}
    shift = by_place[("BW-HIE-003", "general_budget_expenditure, table 2, 210, 2021, page 5")]
    assert (shift["department"], shift["region"], shift["year"], shift["document_type"]) == (
        "潼南区政务服务管理办公室", "潼南区", 2022, "budget")
    assert (shift["expected"], shift["actual"], shift["difference"], shift["suggested_value"]) == (
        "38.85", "14.37", "-24.48", "2.72")
    key = finding_key("BW-HIE-003", "general_budget_expenditure", "210", 2021, shift["message"])
    assert shift["evidence_url"] == f"{BASE}/documents/tongnan2022.html#f-{key}"
    assert all(f["document"] == "tongnan2022" for f in payload["findings"])  # 綦江 has warnings only
    (slack,) = [body for path, _, body in receiver.received if path == "/slack"]
    assert "9 new error finding(s)" in slack["text"] and shift["evidence_url"] in json.dumps(slack)


def test_a_finding_alerted_or_dismissed_is_not_sent_again(seeded, receiver, monkeypatch):
    monkeypatch.setenv("BUDGETWH_ALERT_WEBHOOK_URL", receiver.url + "/findings")
    validate(seeded, run_id="first")
    con = duckdb.connect(str(seeded), read_only=True)
    message = con.execute("select message from validation.rule_results where run_id = 'first' and not passed "
                          "and rule_id = 'BW-ROW-005' and subject_code = 'total'").fetchone()[0]
    con.close()
    key = finding_key("BW-ROW-005", "three_public_expenses", "total", 2022, message)
    record_verdict(seeded, "tongnan2022", key, "dismissed", "the template's subtotal", "alice")
    first = alert_new_findings(seeded, "first", base_url=BASE)
    assert (first.new, first.skipped_dismissed) == (8, 1)
    (payload,) = [body for _, _, body in receiver.received]
    assert not any(f["rule"] == "BW-ROW-005" and "(total)" in f["message"] for f in payload["findings"])
    validate(seeded, run_id="second")
    second = alert_new_findings(seeded, "second", base_url=BASE)
    assert (second.new, second.skipped_alerted, second.skipped_dismissed) == (0, 8, 1)
    assert len(receiver.received) == 1 and second.outcomes == {}


def test_nothing_is_on_by_default(monkeypatch, tmp_path):
    for name in ("BUDGETWH_ALERT_WEBHOOK_URL", "BUDGETWH_ALERT_SLACK_WEBHOOK_URL", "BUDGETWH_ALERT_SMTP_HOST",
                 "BUDGETWH_ALERT_EMAIL_TO"):
        monkeypatch.delenv(name, raising=False)
    assert not channels(alert_variables(tmp_path))


def test_config_variables_file_turns_a_channel_on(monkeypatch, tmp_path):
    monkeypatch.delenv("BUDGETWH_ALERT_WEBHOOK_URL", raising=False)
    file = tmp_path / "gx" / "uncommitted" / "config_variables.yml"
    file.parent.mkdir(parents=True)
    file.write_text("BUDGETWH_ALERT_WEBHOOK_URL: http://127.0.0.1:9/hook\n", encoding="utf-8")
    assert channels(alert_variables(tmp_path)).webhook_url == "http://127.0.0.1:9/hook"


def test_an_unreachable_receiver_fails_nothing_and_leaves_the_findings_for_the_next_run(seeded, receiver,
                                                                                      monkeypatch):
    monkeypatch.setenv("BUDGETWH_ALERT_WEBHOOK_URL", "http://127.0.0.1:9/nowhere")
    assert validate(seeded, run_id="offline").errors == 9
    summary = alert_new_findings(seeded, "offline", base_url=BASE)
    assert summary.outcomes["webhook"].startswith("failed") and summary.new == 9
    monkeypatch.setenv("BUDGETWH_ALERT_WEBHOOK_URL", receiver.url + "/findings")
    assert alert_new_findings(seeded, "offline", base_url=BASE).new == 9
    assert len(receiver.received[0][2]["findings"]) == 9


def test_bad_alert_configuration_is_named():
    with pytest.raises(AlertConfigError, match="BUDGETWH_ALERT_SLACK_WEBHOOK_URL must be an http"):
        channels({"BUDGETWH_ALERT_SLACK_WEBHOOK_URL": "hooks.slack.com/services/x"})
    with pytest.raises(AlertConfigError, match="need BUDGETWH_ALERT_SMTP_HOST"):
        channels({"BUDGETWH_ALERT_EMAIL_TO": "a@example.org"})
    with pytest.raises(AlertConfigError, match="use starttls, ssl or none"):
        channels({"BUDGETWH_ALERT_SMTP_HOST": "localhost", "BUDGETWH_ALERT_EMAIL_TO": "a@example.org",
                  "BUDGETWH_ALERT_SMTP_SECURITY": "tls1.3"})


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
        assert alert_new_findings(warehouse, "mailed", base_url=BASE).outcomes == {"email": "sent"}
    finally:
        sink.close()
    (message,) = sink.messages
    assert message["To"] == "budget-office@example.org"
    assert message["Subject"] == "budgetwh: 9 new error finding(s) in run mailed"
    body = message.get_payload(decode=True).decode("utf-8")
    assert "BW-HIE-003 at general_budget_expenditure, table 2, 210, 2021, page 5: expected 38.85" in body
    assert f"evidence: {BASE}/documents/tongnan2022.html#f-" in body
