"""Wire Metabase to the published marts: create the admin on first start and register the warehouse.

Run once by the ``metabase-setup`` compose service (idempotent: an existing admin logs in, an existing
database entry is kept). Reads its settings from the environment; standard library only.
"""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.error
import urllib.request

DATABASE_NAME = "budgetwh marts"


def _call(base: str, method: str, path: str, body: dict | None = None, session: str | None = None):
    headers = {"Content-Type": "application/json"}
    if session:
        headers["X-Metabase-Session"] = session
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def _wait_for(base: str, timeout: float = 600) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return _call(base, "GET", "/api/session/properties")
        except (urllib.error.URLError, ConnectionError) as exc:
            if time.monotonic() > deadline:
                raise SystemExit(f"Metabase at {base} did not answer within {timeout:.0f} s: {exc}") from exc
            time.sleep(5)


def main() -> int:
    env = os.environ
    base = env["METABASE_URL"].rstrip("/")
    admin = {"email": env["METABASE_ADMIN_EMAIL"], "password": env["METABASE_ADMIN_PASSWORD"]}
    properties = _wait_for(base)
    if properties.get("has-user-setup"):
        login = {"username": admin["email"], "password": admin["password"]}
        session = _call(base, "POST", "/api/session", login)
    else:
        session = _call(base, "POST", "/api/setup", {
            "token": properties["setup-token"],
            "user": {**admin, "first_name": "budgetwh", "last_name": "admin", "site_name": "budgetwh"},
            "prefs": {"site_name": "budgetwh", "allow_tracking": False},
        })
    session_id = session["id"]
    existing = _call(base, "GET", "/api/database", session=session_id)
    databases = existing["data"] if isinstance(existing, dict) else existing
    if any(db["name"] == DATABASE_NAME for db in databases):
        print(f"Metabase already has database {DATABASE_NAME!r}")
        return 0
    _call(base, "POST", "/api/database", {
        "engine": "postgres",
        "name": DATABASE_NAME,
        "details": {
            "host": env["WAREHOUSE_HOST"], "port": 5432, "dbname": env["WAREHOUSE_DB"],
            "user": env["WAREHOUSE_USER"], "password": env["WAREHOUSE_PASSWORD"],
            "schema-filters-type": "inclusion", "schema-filters-patterns": "marts",
        },
    }, session=session_id)
    print(f"Metabase: registered {DATABASE_NAME!r} ({env['WAREHOUSE_DB']} schema marts)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
