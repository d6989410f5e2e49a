"""``budgetwh serve``: the evidence site with review, for reviewers to confirm or dismiss findings.

It serves the site written beside the warehouse (``<warehouse>.evidence/``, the same pages as the
static site) and adds, on each document page, every finding's verdict in force and, for a reviewer who
has logged in, a form to confirm or dismiss it with a note. Verdicts go to the warehouse's ``review``
schema (expectations/evidence/review.py), which no rerun drops; the next run carries them into the marts
(``fct_reconciliation_result.review_status``, ``dim_document`` counts) and never alerts a dismissed one.

Who may review: ``BUDGETWH_REVIEWERS``, comma-separated ``name:token`` pairs (a token is that reviewer's
password). Without it nobody can log in, and without a login nobody can write. The session is a signed
cookie (``BUDGETWH_REVIEW_SECRET``, else a random secret per server process). The warehouse is opened
per request, so a run can take it between them; a request meeting a run's lock is answered 503.
"""

from __future__ import annotations

import hmac
import html
import os
import re
import secrets
from pathlib import Path
from urllib.parse import quote

# at module level: FastAPI reads the handlers' annotations (strings here) in this module's namespace
from fastapi import Form, Request

REVIEWERS_ENV = "BUDGETWH_REVIEWERS"
SECRET_ENV = "BUDGETWH_REVIEW_SECRET"
COOKIE = "budgetwh_reviewer"
SESSION_SECONDS = 12 * 3600
_STATIC_VERDICT = re.compile(r'<p class="verdict"[^>]*>.*?</p>')
_FINDING = re.compile(
    r'(<section class="finding[^"]*" id="(f-[0-9a-f]+)" data-finding-key="([0-9a-f]+)"[^>]*>)'
)


def reviewers(value: str | None = None) -> dict[str, str]:
    """name → token from ``BUDGETWH_REVIEWERS`` (``alice:s3cret,bob:other``)."""
    value = os.environ.get(REVIEWERS_ENV, "") if value is None else value
    found = {}
    for pair in filter(None, (p.strip() for p in value.split(","))):
        name, sep, token = pair.partition(":")
        if not sep or not name.strip() or not token.strip():
            raise ValueError(f"{REVIEWERS_ENV}: expected name:token pairs, got {pair.split(':')[0]!r}…")
        found[name.strip()] = token.strip()
    return found


def create_app(warehouse: Path, reviewer_tokens: dict[str, str] | None = None, secret: str | None = None):
    import duckdb
    from fastapi import FastAPI
    from fastapi.responses import HTMLResponse, RedirectResponse, Response
    from fastapi.staticfiles import StaticFiles
    from itsdangerous import BadSignature, URLSafeTimedSerializer

    from expectations.evidence import evidence_dir
    from expectations.evidence.review import VERDICTS, current_verdicts, record_verdict

    warehouse = Path(warehouse)
    site = evidence_dir(warehouse)
    tokens = reviewers() if reviewer_tokens is None else reviewer_tokens
    signer = URLSafeTimedSerializer(secret or os.environ.get(SECRET_ENV) or secrets.token_hex(32), "review")
    app = FastAPI(title="budgetwh review", docs_url=None, redoc_url=None, openapi_url=None)

    def reviewer_of(request: Request) -> str | None:
        try:
            name = signer.loads(request.cookies.get(COOKIE, ""), max_age=SESSION_SECONDS)
        except BadSignature:
            return None
        return name if name in tokens else None

    def bar(request: Request) -> str:
        who = reviewer_of(request)
        if who:
            return (
                '<form class="session" method="post" action="/logout">'
                f"reviewing as <b>{html.escape(who)}</b> "
                "<button>log out</button></form>"
            )
        return '<p class="session"><a href="/login">log in to review</a></p>'

    def verdicts() -> dict:
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            return current_verdicts(con)
        finally:
            con.close()

    @app.get("/", response_class=HTMLResponse)
    @app.get("/index.html", response_class=HTMLResponse)
    def index(request: Request):
        return _with_bar((site / "index.html").read_text(encoding="utf-8"), bar(request))

    @app.get("/documents/{document_id}.html", response_class=HTMLResponse)
    def document(document_id: str, request: Request):
        page = site / "documents" / f"{Path(document_id).name}.html"
        if not page.is_file():
            return HTMLResponse("no such document", status_code=404)
        try:
            current = verdicts()
        except duckdb.IOException:
            return HTMLResponse(
                "the warehouse is busy (a run is writing it); reload in a moment", status_code=503
            )
        who = reviewer_of(request)
        static = _STATIC_VERDICT.sub("", page.read_text(encoding="utf-8"))  # as of the site's build
        text = _FINDING.sub(
            lambda m: (
                m.group(1)
                + _review_block(
                    document_id, m.group(2), m.group(3), current.get((document_id, m.group(3))), who
                )
            ),
            static,
        )
        return _with_bar(text, bar(request))

    @app.get("/login", response_class=HTMLResponse)
    def login_form(failed: int = 0):
        note = '<p class="failed">unknown reviewer or wrong token</p>' if failed else ""
        return HTMLResponse(_LOGIN.format(note=note))

    @app.post("/login")
    def login(reviewer: str = Form(...), token: str = Form(...)):
        expected = tokens.get(reviewer)
        if expected is None or not hmac.compare_digest(expected.encode(), token.encode()):
            return RedirectResponse("/login?failed=1", status_code=303)
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(
            COOKIE, signer.dumps(reviewer), max_age=SESSION_SECONDS, httponly=True, samesite="strict"
        )
        return response

    @app.post("/logout")
    def logout():
        response = RedirectResponse("/", status_code=303)
        response.delete_cookie(COOKIE)
        return response

    @app.post("/review")
    def review(
        request: Request,
        document_id: str = Form(...),
        finding_key: str = Form(...),
        anchor: str = Form(...),
        verdict: str = Form(...),
        note: str = Form(""),
    ):
        who = reviewer_of(request)
        if who is None:
            return Response("log in to review", status_code=401)
        if verdict not in VERDICTS:
            return Response(f"verdict must be one of {', '.join(VERDICTS)}", status_code=400)
        try:
            record_verdict(warehouse, document_id, finding_key, verdict, note.strip() or None, who)
        except LookupError as e:
            return Response(str(e), status_code=404)
        except duckdb.IOException:
            return Response(
                "the warehouse is busy (a run is writing it); try again in a moment", status_code=503
            )
        return RedirectResponse(f"/documents/{quote(document_id)}.html#{quote(anchor)}", status_code=303)

    for folder in ("crops", "annotated", "originals", "rules", "documents"):
        (site / folder).mkdir(parents=True, exist_ok=True)
    app.mount("/", StaticFiles(directory=site, html=True), name="site")
    return app


def _with_bar(page: str, bar: str) -> str:
    return page.replace("<main>", f"<main>{bar}", 1)


def _review_block(document_id: str, anchor: str, key: str, verdict: dict | None, reviewer: str | None) -> str:
    from expectations.evidence.site import verdict_html

    e = html.escape
    state = verdict_html(verdict)
    if reviewer is None:
        return state
    return state + (
        f'<form class="review" method="post" action="/review">'
        f'<input type="hidden" name="document_id" value="{e(document_id)}">'
        f'<input type="hidden" name="finding_key" value="{e(key)}">'
        f'<input type="hidden" name="anchor" value="{e(anchor)}">'
        '<input name="note" placeholder="note (why)" size="60"> '
        '<button name="verdict" value="confirmed">confirm</button> '
        '<button name="verdict" value="dismissed">dismiss</button></form>'
    )


_LOGIN = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>log in to review</title>
<style>body{{font-family:system-ui,sans-serif;margin:40px}}input{{font-size:1em;margin:4px}}
.failed{{color:#b71c1c}}</style></head>
<body><h1>budgetwh review</h1>{note}<form method="post" action="/login">
<label>reviewer <input name="reviewer" autocomplete="username"></label><br>
<label>token <input name="token" type="password" autocomplete="current-password"></label><br>
<button>log in</button></form><p><a href="/">the evidence, read only</a></p></body></html>"""


def serve(warehouse: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    import uvicorn

    uvicorn.run(create_app(warehouse), host=host, port=port, log_level="warning")
