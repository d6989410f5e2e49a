"""Polite, bounded HTTP fetching for one portal.

Every request goes through the same checks: the host is one the portal allows (on every redirect
hop, so no redirect can reach another host or an internal address), robots.txt permits the path,
the host's rate limit and concurrency cap are respected, and the body stays under the size limit.
Transient failures (5xx, 429, timeouts, connection errors) are retried with exponential backoff.
Validators from the previous fetch make the request conditional, so unchanged files cost a 304.

A fetch never raises for a network or HTTP fault: it returns a ``FetchResult`` with a specific
``error_code`` (``http_404``, ``timeout``, ``redirect_loop``, ``host_not_allowed``, ...).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib import robotparser
from urllib.parse import urljoin, urlsplit

import requests
from urllib3.exceptions import ReadTimeoutError

from extractors.crawl.config import Portal, netloc_key

REDIRECT_STATUSES = {301, 302, 303, 307, 308}
TRANSIENT_STATUSES = {429, 500, 502, 503, 504}
CHUNK = 64 * 1024
KEPT_HEADERS = ("content-type", "content-length", "etag", "last-modified", "content-disposition", "location")


@dataclass
class FetchResult:
    url: str
    final_url: str | None = None
    status: int | None = None
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    error_code: str | None = None
    error_message: str | None = None
    transient: bool = False
    attempts: int = 1

    @property
    def ok(self) -> bool:
        return self.error_code is None and self.status == 200

    @property
    def not_modified(self) -> bool:
        return self.error_code is None and self.status == 304


class _HostGate:
    """At most ``concurrency`` requests at once to a host, starts at least ``interval`` seconds apart."""

    def __init__(self, interval: float, concurrency: int):
        self._interval = interval
        self._slots = threading.BoundedSemaphore(max(1, concurrency))
        self._lock = threading.Lock()
        self._next_start = 0.0

    @contextmanager
    def slot(self) -> Iterator[None]:
        with self._slots:
            with self._lock:
                now = time.monotonic()
                wait = self._next_start - now
                self._next_start = max(now, self._next_start) + self._interval
            if wait > 0:
                time.sleep(wait)
            yield


class _Fault(Exception):
    def __init__(self, code: str, message: str, transient: bool = False, status: int | None = None):
        super().__init__(message)
        self.code, self.message, self.transient, self.status = code, message, transient, status


class Fetcher:
    def __init__(self, portal: Portal):
        self.portal = portal
        self._session = requests.Session()
        self._session.headers["User-Agent"] = portal.user_agent
        self._session.trust_env = False  # no proxy from the environment may route around the host check
        self._gates: dict[str, _HostGate] = {}
        # host -> parsed robots.txt, or the reason it could not be had (then everything is disallowed)
        self._robots: dict[str, robotparser.RobotFileParser | str] = {}
        self._lock = threading.Lock()
        self._robots_lock = threading.Lock()  # one robots.txt request per host, even with many workers

    def close(self) -> None:
        self._session.close()

    def _gate(self, url: str) -> _HostGate:
        key = netloc_key(url)
        with self._lock:
            if key not in self._gates:
                self._gates[key] = _HostGate(
                    self.portal.min_interval_seconds, self.portal.max_concurrency_per_host
                )
            return self._gates[key]

    def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempt = 0
        while True:
            attempt += 1
            result = self._follow(url, headers)
            result.attempts = attempt
            if not result.transient or attempt > self.portal.max_retries:
                return result
            time.sleep(self.portal.backoff_seconds * 2 ** (attempt - 1))

    def _follow(self, url: str, headers: dict[str, str]) -> FetchResult:
        chain = [url]
        current = url
        try:
            for _ in range(self.portal.max_redirects + 1):
                self._check_allowed(current, chain)
                status, response_headers, body = self._get(current, headers)
                if status in REDIRECT_STATUSES:
                    location = response_headers.get("location")
                    if not location:
                        raise _Fault(f"http_{status}", f"redirect {status} without a Location header")
                    target = urljoin(current, location)
                    if target in chain:
                        raise _Fault("redirect_loop", f"redirects loop: {' -> '.join([*chain, target])}")
                    chain.append(target)
                    current = target
                    continue
                if status >= 400:
                    raise _Fault(
                        f"http_{status}",
                        f"server answered HTTP {status}",
                        transient=status in TRANSIENT_STATUSES,
                        status=status,
                    )
                return FetchResult(url, current, status, body if status == 200 else None, response_headers)
            raise _Fault(
                "too_many_redirects", f"more than {self.portal.max_redirects} redirects: {' -> '.join(chain)}"
            )
        except _Fault as fault:
            return FetchResult(
                url,
                current,
                fault.status,
                error_code=fault.code,
                error_message=fault.message,
                transient=fault.transient,
            )

    def _check_allowed(self, url: str, chain: list[str]) -> None:
        if not self.portal.host_allowed(url):
            via = f" (redirected from {chain[0]})" if len(chain) > 1 else ""
            raise _Fault(
                "host_not_allowed", f"{url} is not on an allowed host {list(self.portal.allowed_hosts)}{via}"
            )
        if self.portal.obey_robots:
            robots = self._robots_for(url)
            if isinstance(robots, str):
                raise _Fault(
                    "disallowed_by_robots",
                    f"robots.txt of {netloc_key(url)} {robots}: treated as disallowing everything (RFC 9309)",
                )
            if not robots.can_fetch(self.portal.user_agent, url):
                raise _Fault(
                    "disallowed_by_robots", f"robots.txt of {netloc_key(url)} disallows {urlsplit(url).path}"
                )

    def _robots_for(self, url: str) -> robotparser.RobotFileParser | str:
        key = netloc_key(url)
        with self._robots_lock:
            if key not in self._robots:
                self._robots[key] = self._load_robots(url)
            return self._robots[key]

    def _load_robots(self, url: str) -> robotparser.RobotFileParser | str:
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        try:
            status, _, body = self._get(robots_url, {})
        except _Fault as fault:
            return f"is unreachable ({fault.code})"
        if status >= 500 or status < 200:
            return f"answered HTTP {status}"  # unreachable: assume a full disallow (RFC 9309 §2.3.1.4)
        parser = robotparser.RobotFileParser(robots_url)
        if status == 200:
            parser.parse(body.decode("utf-8", errors="replace").splitlines())
        else:
            parser.allow_all = True  # type: ignore[attr-defined]  # no robots.txt (4xx): all allowed (typeshed lacks it)
        return parser

    def _get(self, url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        portal = self.portal
        deadline_seconds = portal.read_timeout_seconds * 3  # a trickling body must end too
        try:
            with self._gate(url).slot():
                started = time.monotonic()
                with self._session.get(
                    url,
                    headers=headers,
                    stream=True,
                    allow_redirects=False,
                    timeout=(portal.connect_timeout_seconds, portal.read_timeout_seconds),
                ) as r:
                    kept = {k: r.headers[k] for k in KEPT_HEADERS if k in r.headers}
                    if r.status_code != 200:
                        return r.status_code, kept, b""
                    declared = r.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > portal.max_bytes:
                        raise _Fault(
                            "too_large",
                            f"Content-Length {declared} exceeds the limit of {portal.max_bytes} bytes",
                            status=200,
                        )
                    chunks, size = [], 0
                    for chunk in r.iter_content(CHUNK):
                        size += len(chunk)
                        if size > portal.max_bytes:
                            raise _Fault(
                                "too_large", f"body exceeds the limit of {portal.max_bytes} bytes", status=200
                            )
                        if time.monotonic() - started > deadline_seconds:
                            raise _Fault(
                                "timeout", f"body not complete after {deadline_seconds:.0f} s", transient=True
                            )
                        chunks.append(chunk)
                    return r.status_code, kept, b"".join(chunks)
        except requests.Timeout as e:
            raise _Fault("timeout", f"no answer within the timeout: {e}", transient=True) from e
        except requests.ConnectionError as e:
            if isinstance(e.args[0] if e.args else None, ReadTimeoutError) or "timed out" in str(e):
                raise _Fault("timeout", f"read timed out: {e}", transient=True) from e
            raise _Fault("connection_error", f"cannot connect: {e}", transient=True) from e
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError) as e:
            raise _Fault("incomplete_body", f"body broken in transfer: {e}", transient=True) from e
        except (
            requests.exceptions.InvalidURL,
            requests.exceptions.MissingSchema,
            requests.exceptions.InvalidSchema,
        ) as e:
            raise _Fault("invalid_url", str(e)) from e
