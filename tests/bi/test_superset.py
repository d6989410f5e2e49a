"""Superset on this machine, provisioned as code, reading the demo's PostgreSQL publication.

The demo (``budgetwh demo``) is published to a fresh PostgreSQL database; a real Superset (its own venv,
``make superset-venv``; SQLite metadata in a temporary folder) is started the way compose starts it
(``bi.superset.server``) and provisioned with ``bi.superset.provision``. The figures every chart
answers through the chart-data API, and shows on its dashboard in headless Chromium, are those of the
generator's documents the demo portal publishes. Chromium resolves nothing but 127.0.0.1, and every
request the dashboards make must stay there.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest
from support import PG_HOST, PG_USER, fresh_database

from bi.superset import server
from bi.superset.provision import Client, chart_data, provision, wait_until_healthy
from extractors.generator.cli import SAMPLE_SEED, SAMPLE_SYNTHETIC
from extractors.generator.seeds import seed_specs
from extractors.generator.spec import DocumentSpec, TableSpec
from extractors.generator.synthesize import synthesize

DATABASE = "budgetwh_superset_test"
EVIDENCE = "http://127.0.0.1:9/published/"  # the evidence site's address the dashboards link to
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SUPERSET_PYTHON = server.superset_python()

pytestmark = [
    pytest.mark.slow, pytest.mark.services, pytest.mark.xdist_group("superset"),
    pytest.mark.skipif(SUPERSET_PYTHON == Path(sys.executable) or not SUPERSET_PYTHON.exists(),
                       reason="Superset's venv missing: make superset-venv"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]



@pytest.fixture(scope="module")
def publication(tmp_path_factory) -> str:
    """``budgetwh demo``, then its publication to PostgreSQL, as the nightly DAG publishes."""
    import duckdb

    from extractors.cli import main
    from extractors.publish import publish

    uri = fresh_database(DATABASE)
    work = tmp_path_factory.mktemp("superset-demo")
    warehouse = work / "warehouse.duckdb"
    assert main(["demo", "--warehouse", str(warehouse), "--archive", str(work / "archive")]) == 0
    con = duckdb.connect(str(warehouse), read_only=True)
    run_id, errors = con.execute(
        "select run_id, count(*) filter (where not passed and severity = 'error') "
        "from validation.rule_results group by run_id order by max(checked_at) desc limit 1").fetchone()
    con.close()
    publish(warehouse, work / "published", run_id=run_id, validation_errors=errors, postgres_uri=uri)
    return uri


@pytest.fixture(scope="module")
def superset(tmp_path_factory, publication):
    home = tmp_path_factory.mktemp("superset-home")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUPERSET_", "BUDGETWH_"))}
    env.update({"SUPERSET_SECRET_KEY": secrets.token_urlsafe(32), "SUPERSET_HOME": str(home),
                "SUPERSET_METADATA_URI": f"sqlite:///{home / 'superset.db'}",
                "SUPERSET_ADMIN_USERNAME": "admin", "SUPERSET_ADMIN_PASSWORD": secrets.token_urlsafe(12),
                "SUPERSET_ADMIN_EMAIL": "admin@example.org", "HOME": str(home)})
    started = time.monotonic()
    process = server.start("127.0.0.1", port, env, home / "gunicorn.log")
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base, timeout=300)
        print(f"superset: bootstrapped and healthy in {time.monotonic() - started:.1f} s")
        yield base, env, home
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


@pytest.fixture(scope="module")
def provisioned(superset, publication):
    base, env, _home = superset
    client = Client.login(base, env["SUPERSET_ADMIN_USERNAME"], env["SUPERSET_ADMIN_PASSWORD"])
    started = time.monotonic()
    done = provision(client, publication, evidence_base_url=EVIDENCE)
    print(f"superset: provisioned in {time.monotonic() - started:.1f} s")
    return client, done


# --- what the generator published: the expected figures, independent of the warehouse -------------

def _documents() -> list[DocumentSpec]:
    return seed_specs() + [synthesize(SAMPLE_SEED, *key) for key in SAMPLE_SYNTHETIC]


def _expenditure_table(spec: DocumentSpec) -> TableSpec:
    prefix = "final_" if spec.document_type == "final_account" else ""
    return spec.table(f"{prefix}general_budget_expenditure")


def _current(table: TableSpec, measure: str) -> str:
    (column,) = [c.key for c in table.columns if c.measure == measure and not c.is_prior_year]
    return column


def _amount(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _expected_totals() -> dict[tuple, tuple]:
    out = {}
    for spec in _documents():
        table = _expenditure_table(spec)
        total = next(r for r in table.rows if r.kind == "total")
        out[(spec.department, spec.fiscal_year, spec.document_type)] = tuple(
            total.amount(_current(table, m)) for m in ("total", "basic", "project"))
    return out


def _expected_classes() -> dict[tuple, Decimal]:
    out = {}
    for spec in _documents():
        table = _expenditure_table(spec)
        key = _current(table, "total")
        for row in table.rows:
            if row.kind == "subject" and len(row.code or "") == 3 and row.amount(key) is not None:
                out[(spec.department, row.code, spec.fiscal_year, spec.document_type)] = row.amount(key)
    return out


def _expected_three_public() -> dict[tuple, tuple]:
    """(department, year) → (budgeted, spent) 三公 totals, each from its own year's document."""
    out: dict[tuple, tuple] = {}
    for spec in _documents():
        final = spec.document_type == "final_account"
        table = spec.table(f"{'final_' if final else ''}three_public_expenses")
        total = next(r for r in table.rows if r.kind == "total").amount(_current(table, "total"))
        budget, spent = out.get((spec.department, spec.fiscal_year), (None, None))
        out[(spec.department, spec.fiscal_year)] = (budget, total) if final else (total, spent)
    return out


# --- the chart-data API ---------------------------------------------------------------------------

def test_region_comparison_answers_each_departments_published_totals(provisioned):
    client, done = provisioned
    rows = chart_data(client, done.charts["region_departments"])
    got = {(r["department_name"], r["fiscal_year"], r["document_type"]):
           (_amount(r["合计"]), _amount(r["基本支出"]), _amount(r["项目支出"])) for r in rows}
    assert got == _expected_totals()
    assert {r["region"] for r in rows} == {"綦江区", "潼南区"}


def test_department_over_years_answers_every_function_class(provisioned):
    client, done = provisioned
    rows = chart_data(client, done.charts["department_function_classes"])
    got = {(r["department_name"], r["function_class"].split()[0], r["fiscal_year"], r["document_type"]):
           _amount(r["金额"]) for r in rows}
    assert got == _expected_classes()


def test_three_public_trend_answers_the_published_totals(provisioned):
    client, done = provisioned
    rows = chart_data(client, done.charts["three_public_trend"])
    got = {(r["department_name"], r["fiscal_year"]): (_amount(r["预算数"]), _amount(r["决算数"]))
           for r in rows}
    assert got == _expected_three_public()


def test_data_quality_counts_the_seed_documents_failed_checks_and_links_their_evidence(provisioned):
    import psycopg2

    client, done = provisioned
    by_region = chart_data(client, done.charts["findings_by_region"])
    evidence = chart_data(client, done.charts["findings_evidence"])
    pg = psycopg2.connect(f"postgresql://{PG_USER}@{PG_HOST}:5432/{DATABASE}")
    with pg, pg.cursor() as cur:
        cur.execute("""select d.region_name, r.severity, count(*), min(d.document_id)
                       from marts.fct_reconciliation_result r join marts.dim_document d using (document_id)
                       where not r.passed and d.is_current group by 1, 2""")
        failed = {(region, severity): (count, doc) for region, severity, count, doc in cur.fetchall()}
    pg.close()
    assert {(r["region"], r["severity"]): r["未通过校验"] for r in by_region} == \
        {key: count for key, (count, _doc) in failed.items()}
    # the seeds' defects: 潼南's decimal shift in class 210 is an error-level finding
    assert failed[("潼南区", "error")][0] > 0
    tongnan = [r for r in evidence if r["region"] == "潼南区" and r["severity"] == "error"]
    assert any("class 210 is 14.37, its items sum to 38.85" in r["message"] for r in tongnan)
    doc = failed[("潼南区", "error")][1]
    assert all(f'href="{EVIDENCE}evidence/documents/{doc}.html#finding-' in r["evidence"] for r in tongnan)


def test_publisher_scorecard_counts_each_regions_departments_and_what_they_published(provisioned):
    client, done = provisioned
    rows = chart_data(client, done.charts["publisher_scorecard"])
    documents = _documents()
    regions = {d.region for d in documents}
    departments = {r: {d.department for d in documents if d.region == r} for r in regions}
    expected = {}
    for region, year in {(d.region, d.fiscal_year) for d in documents}:
        of_year = [d for d in documents if (d.region, d.fiscal_year) == (region, year)]
        published = [{d.department for d in of_year if d.document_type == kind}
                     for kind in ("budget", "final_account")]
        expected[(region, year)] = (len(departments[region]), *map(len, published))
    got = {(r["region"], r["fiscal_year"]): (r["应公开部门"], r["已公开预算"], r["已公开决算"])
           for r in rows}
    assert got == expected
    # the seed budget of 潼南 2022 carries error-level findings, its neighbour that year does not
    assert {r["fiscal_year"]: r["无错误文件占比"] for r in rows if r["region"] == "潼南区"}[2022] == 0.5


def test_provisioning_again_updates_the_same_objects(provisioned, publication):
    client, done = provisioned
    again = provision(client, publication, evidence_base_url=EVIDENCE)
    assert again == done
    for resource, expected in (("chart", done.charts), ("dashboard", done.dashboards),
                               ("dataset", done.datasets)):
        assert client.request("GET", f"/api/v1/{resource}/")["count"] == len(expected)


# --- the dashboards in a browser -------------------------------------------------------------------

class Browser:
    """Headless Chromium driven over the DevTools protocol; resolves no host but 127.0.0.1."""

    def __init__(self, profile: Path):
        from websockets.sync.client import connect

        self.closing = contextlib.ExitStack()
        self.process = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--disable-default-apps", "--window-size=1600,2400",
             "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
             f"--user-data-dir={profile}", "--remote-debugging-port=0", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not port_file.exists() or not port_file.read_text().strip():
            if time.monotonic() > deadline:
                raise RuntimeError("Chromium did not open its DevTools port")
            time.sleep(0.2)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as answer:
            page = next(t for t in json.load(answer) if t["type"] == "page")
        socket_url = page["webSocketDebuggerUrl"]
        self.ws = self.closing.enter_context(connect(socket_url, max_size=None, open_timeout=30))
        self.next_id, self.requests, self.blocked = 0, {}, set()
        self.call("Network.enable")
        self.call("Page.enable")

    def call(self, method: str, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv(timeout=60))
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self._event(message)

    def _event(self, message: dict) -> None:
        params = message.get("params", {})
        if message.get("method") == "Network.requestWillBeSent":
            self.requests[params["requestId"]] = params["request"]["url"]
        elif message.get("method") == "Network.loadingFailed" and params.get("blockedReason"):
            self.blocked.add(params["requestId"])

    def text_when(self, url: str, expected: list[str], timeout: float = 120) -> str:
        """Open ``url``; the page's visible text once every expected string is on it (or fail, showing it)."""
        self.call("Page.navigate", url=url)
        deadline, text = time.monotonic() + timeout, ""
        while time.monotonic() < deadline:
            text = self.call("Runtime.evaluate", expression="document.body ? document.body.innerText : ''",
                             returnByValue=True)["result"].get("value", "")
            if all(e in text for e in expected):
                return text
            time.sleep(1)
        missing = [e for e in expected if e not in text]
        raise AssertionError(f"{url}: not shown within {timeout:.0f} s: {missing}\n--- page text ---\n"
                             f"{text[:3000]}")

    def screenshot(self, path: Path) -> None:
        import base64

        path.write_bytes(base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"]))

    def html(self) -> str:
        return self.call("Runtime.evaluate", expression="document.documentElement.outerHTML",
                         returnByValue=True)["result"]["value"]

    def left_the_machine(self) -> list[str]:
        """Requests sent anywhere but 127.0.0.1 (the content security policy's refusals are not sent)."""
        return sorted(url for rid, url in self.requests.items() if rid not in self.blocked
                      and urllib.parse.urlsplit(url).scheme in ("http", "https", "ws", "wss")
                      and urllib.parse.urlsplit(url).hostname != "127.0.0.1")

    def close(self) -> None:
        self.closing.close()
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def browser(tmp_path_factory, provisioned, superset):
    if CHROMIUM is None:
        pytest.skip("chromium not installed (make system-packages)")
    base, env, _home = superset
    client, _done = provisioned
    # A browser session as the login form makes one: the form's CSRF token is the API's.
    form = urllib.parse.urlencode({"username": env["SUPERSET_ADMIN_USERNAME"],
                                   "password": env["SUPERSET_ADMIN_PASSWORD"], "csrf_token": client.csrf})
    client.opener.open(urllib.request.Request(f"{base}/login/", data=form.encode(), method="POST",
                                              headers={"Referer": base}), timeout=60).close()
    cookies = _cookies(client)
    driver = Browser(tmp_path_factory.mktemp("chromium-profile"))
    try:
        driver.call("Network.setCookie", name="session", value=cookies["session"], url=base)
        yield driver, base, tmp_path_factory.mktemp("dashboards")
    finally:
        driver.close()


def _cookies(client: Client) -> dict[str, str]:
    (processor,) = [h for h in client.opener.handlers if hasattr(h, "cookiejar")]
    return {c.name: c.value for c in processor.cookiejar}


def _shown(amount: Decimal | None) -> str:
    return f"{amount:,.2f}"


def test_dashboards_show_the_figures_in_chromium_and_fetch_nothing_from_elsewhere(browser, provisioned):
    driver, base, shots = browser
    _client, done = provisioned
    totals, classes, three_public = _expected_totals(), _expected_classes(), _expected_three_public()
    tongnan_seed = ("重庆市潼南区政务服务管理办公室", 2022, "budget")
    qijiang_audit = [(d, y, t) for (d, y, t) in totals if d == "重庆市綦江区审计局"]
    audit_classes = {_shown(v) for (d, _c, _y, _t), v in classes.items() if d == "重庆市綦江区审计局"}
    three_public_shown = {_shown(v) for pair in three_public.values() for v in pair if v is not None}
    finance_final = classes[("重庆市潼南区财政局", "201", 2021, "final_account")]
    expected_pages = {
        "department_over_years": ["部门历年支出", "201 一般公共服务支出", *audit_classes],
        "region_departments": ["区县部门对比", "重庆市綦江区审计局", *{_shown(v[0]) for v in totals.values()},
                               _shown(totals[tongnan_seed][1]), _shown(totals[tongnan_seed][2])],
        "three_public": ["“三公”经费趋势", *three_public_shown],
        "execution_rates": ["预算执行率", _shown(finance_final)],
        "data_quality": ["各区县数据质量", "潼南区", "class 210 is 14.37, its items sum to 38.85"],
        "publisher_scorecard": ["公开情况评分", "綦江区", "潼南区", "50%"],
    }
    assert len(qijiang_audit) == 2  # two years of one department: the over-the-years view has a trend
    for key, expected in expected_pages.items():
        driver.text_when(f"{base}/superset/dashboard/{key}/", expected)
        driver.screenshot(shots / f"{key}.png")
        assert (shots / f"{key}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        if key == "data_quality":
            links = set(re.findall(r'href="([^"]+)"', driver.html()))
            assert any(link.startswith(f"{EVIDENCE}evidence/documents/") for link in links), links
    assert set(done.dashboards) == set(expected_pages)
    assert driver.left_the_machine() == []
