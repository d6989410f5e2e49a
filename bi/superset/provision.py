"""Provision a running Superset through its REST API: import the bundle, read the columns, save the queries.

Idempotent: the bundle's objects carry stable UUIDs and are imported with ``overwrite``, so a second
run updates what the first created. Standard library plus PyYAML, so it runs from the project's venv,
Superset's venv or the Superset image alike.
"""

from __future__ import annotations

import http.cookiejar
import json
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any

from bi.superset import bundle


class SupersetError(RuntimeError):
    pass


@dataclass
class Client:
    """A logged-in API session (JWT bearer plus the session cookie the CSRF token is bound to)."""

    base_url: str
    token: str = ""
    csrf: str = ""
    opener: urllib.request.OpenerDirector = field(default_factory=lambda: urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())))

    @classmethod
    def login(cls, base_url: str, username: str, password: str) -> Client:
        client = cls(base_url.rstrip("/"))
        credentials = {"username": username, "password": password, "provider": "db", "refresh": True}
        answer = client.request("POST", "/api/v1/security/login", credentials)
        client.token = answer["access_token"]
        client.csrf = client.request("GET", "/api/v1/security/csrf_token/")["result"]
        return client

    def request(self, method: str, path: str, body: Any = None, *, data: bytes | None = None,
                content_type: str = "application/json", timeout: float = 120) -> Any:
        headers = {"Accept": "application/json", "Referer": self.base_url}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if self.csrf:
            headers["X-CSRFToken"] = self.csrf
        if body is not None:
            data = json.dumps(body).encode()
        if data is not None:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers, method=method)
        try:
            with self.opener.open(request, timeout=timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:2000].decode(errors="replace")
            raise SupersetError(f"{method} {path}: HTTP {exc.code}: {detail}") from exc
        return json.loads(raw) if raw else None

    def find(self, resource: str, column: str, value: str) -> dict[str, Any]:
        query = json.dumps({"filters": [{"col": column, "opr": "eq", "value": value}], "page_size": 2})
        found = self.request("GET", f"/api/v1/{resource}/?q={urllib.request.quote(query)}")["result"]
        if len(found) != 1:
            raise SupersetError(f"{resource} with {column} = {value!r}: {len(found)} found")
        return found[0]


def wait_until_healthy(base_url: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(base_url.rstrip("/") + "/health", timeout=10) as response:
                if response.read().strip() == b"OK":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise SupersetError(f"Superset at {base_url} not healthy within {timeout:.0f} s")
        time.sleep(1)


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, (filename, content) in files.items():
        head = (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                "Content-Type: application/zip\r\n\r\n")
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@dataclass(frozen=True)
class Provisioned:
    database_id: int
    datasets: dict[str, int]  # dashboards.yml key → Superset id
    charts: dict[str, int]
    dashboards: dict[str, int]


def provision(client: Client, sqlalchemy_uri: str, *, evidence_base_url: str = "",
              spec: dict[str, Any] | None = None) -> Provisioned:
    """Import the bundle (database, datasets, charts, dashboards), then make every chart queryable."""
    spec = spec or bundle.load_spec()
    built = bundle.build(spec, sqlalchemy_uri, evidence_base_url)
    body, content_type = _multipart(
        {"overwrite": "true", "passwords": json.dumps({built.database_file: _password(sqlalchemy_uri)})},
        {"formData": ("budgetwh_superset.zip", built.data)})
    client.request("POST", "/api/v1/dashboard/import/", data=body, content_type=content_type)
    database_id = client.find("database", "uuid", bundle.object_uuid("database", spec["database"]))["id"]
    datasets = {key: client.find("dataset", "uuid", bundle.object_uuid("dataset", key))["id"]
                for key in spec["datasets"]}
    for dataset_id in datasets.values():  # the columns, as the database answers the dataset's SQL
        client.request("PUT", f"/api/v1/dataset/{dataset_id}/refresh")
    charts = {}
    for key, chart in spec["charts"].items():
        chart_id = client.find("chart", "uuid", bundle.object_uuid("chart", key))["id"]
        dataset_id = datasets[chart["dataset"]]
        # What the explore view stores on save: the chart-data API (GET /chart/<id>/data/) answers from it.
        client.request("PUT", f"/api/v1/chart/{chart_id}", {
            "params": json.dumps(bundle.chart_params(key, chart, dataset_id)),
            "query_context": json.dumps(bundle.chart_query_context(key, chart, dataset_id)),
            "query_context_generation": True})
        charts[key] = chart_id
    dashboards = {key: client.find("dashboard", "slug", key)["id"] for key in spec["dashboards"]}
    return Provisioned(database_id, datasets, charts, dashboards)


def _password(uri: str) -> str:
    from urllib.parse import unquote, urlsplit

    return unquote(urlsplit(uri).password or "")


def chart_data(client: Client, chart_id: int) -> list[dict[str, Any]]:
    """The rows a chart shows, from the query saved with it."""
    answer = client.request("GET", f"/api/v1/chart/{chart_id}/data/")
    return answer["result"][0]["data"]
