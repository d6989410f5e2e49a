"""Serve a built portal on 127.0.0.1, with validators (ETag / Last-Modified → 304) and injectable faults.

Faults come from ``_faults.json`` in the site folder (see ``extractors.portal.site``) or from the
``faults`` mapping of a running server (path → spec): ``status`` (answer that HTTP status), ``delay``
(sleep, then serve: slow or timing out), ``redirect`` (302 to ``to``), ``body`` (these bytes instead),
``flaky`` (fail ``failures`` times with ``status``, then serve), ``oversize`` (a body of ``bytes``).
Every request is logged (``requests``) so tests can assert where a crawler went.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote, urlsplit

from extractors.portal.site import FAULTS_FILE

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xlsx": mimetypes.types_map.get(
        ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
    ".pdf": "application/pdf",
    ".xls": "application/vnd.ms-excel",
    ".txt": "text/plain; charset=utf-8",
}


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    path: str
    user_agent: str | None
    conditional: bool


class PortalServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a request sleeping in a delay fault must not hold up shutdown

    def __init__(self, root: Path, port: int = 0, host: str = "127.0.0.1", faults: dict | None = None):
        self.root = Path(root).resolve()
        fault_file = self.root / FAULTS_FILE
        self.faults: dict[str, dict] = (
            faults
            if faults is not None
            else (json.loads(fault_file.read_text(encoding="utf-8")) if fault_file.exists() else {})
        )
        self.requests: list[LoggedRequest] = []
        self.hits: dict[str, int] = {}
        self.lock = threading.Lock()
        super().__init__((host, port), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client hanging up is not an error here
            super().handle_error(request, client_address)

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def origin(self) -> str:
        return f"http://{cast(str, self.server_address[0])}:{self.port}"


class _Handler(BaseHTTPRequestHandler):
    server: PortalServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass  # the request log is self.server.requests; stderr noise would drown test output

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def _send(
        self, status: int, body: bytes = b"", headers: dict[str, str] | None = None, send_body: bool = True
    ) -> None:
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body and body:
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout, size limit): nothing to do

    def _serve(self, send_body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        server = self.server
        with server.lock:
            server.requests.append(
                LoggedRequest(
                    self.command,
                    path,
                    self.headers.get("User-Agent"),
                    bool(self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since")),
                )
            )
            server.hits[path] = server.hits.get(path, 0) + 1
            hits = server.hits[path]
        fault = server.faults.get(path)
        if fault and self._fault(fault, hits, send_body):
            return
        file = self._resolve(path)
        if file is None:
            self._send(
                404, b"<html><body>404 Not Found</body></html>", {"Content-Type": "text/html"}, send_body
            )
            return
        body = file.read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        mtime = file.stat().st_mtime
        headers = {
            "ETag": etag,
            "Last-Modified": formatdate(mtime, usegmt=True),
            "Content-Type": CONTENT_TYPES.get(file.suffix, "application/octet-stream"),
        }
        if self._not_modified(etag, mtime):
            self._send(304, headers={"ETag": etag}, send_body=False)
            return
        self._send(200, body, headers, send_body)

    def _not_modified(self, etag: str, mtime: float) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match:
            return etag in [t.strip() for t in if_none_match.split(",")]
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return int(mtime) <= parsedate_to_datetime(since).timestamp()
            except (TypeError, ValueError):
                return False
        return False

    def _resolve(self, path: str) -> Path | None:
        target = (self.server.root / path.lstrip("/")).resolve()
        if target != self.server.root and self.server.root not in target.parents:
            return None  # ../ out of the site
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file() or target.name == FAULTS_FILE:
            return None
        return target

    def _fault(self, fault: dict, hits: int, send_body: bool) -> bool:
        """Apply a fault; False when it lets the request be served normally."""
        kind = fault["kind"]
        if kind == "status":
            self._send(
                fault["status"], b"<html><body>error</body></html>", {"Content-Type": "text/html"}, send_body
            )
        elif kind == "delay":
            time.sleep(fault["seconds"])
            return False
        elif kind == "redirect":
            self._send(302, headers={"Location": fault["to"]}, send_body=send_body)
        elif kind == "body":
            self._send(
                200, bytes.fromhex(fault["hex"]), {"Content-Type": fault.get("type", "text/html")}, send_body
            )
        elif kind == "flaky":
            if hits > fault["failures"]:
                return False
            self._send(fault["status"], b"busy", {"Content-Type": "text/plain"}, send_body)
        elif kind == "oversize":
            self._send(200, b"\0" * fault["bytes"], {"Content-Type": "application/octet-stream"}, send_body)
        else:
            raise ValueError(f"unknown fault kind {kind!r} for {self.path}")
        return True


@contextmanager
def serving(root: Path, port: int = 0, faults: dict | None = None) -> Iterator[PortalServer]:
    """Serve ``root`` in a background thread for the duration of the block."""
    server = PortalServer(root, port=port, faults=faults)
    thread = threading.Thread(target=server.serve_forever, name=f"portal-{server.port}", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
