"""Portal entries of a sources file (YAML) and the defaults that fill everything not given.

A portal needs only ``name``, ``region``, ``start_urls`` and ``allowed_hosts``; every other setting
has a default below and can be overridden per portal, or for all portals under a top-level
``defaults:`` key. ``{name}`` placeholders in URLs and hosts (e.g. ``{port}`` for the bundled local
portal) are filled from the variables the caller passes.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

USER_AGENT = "budgetwh-crawler/0.1 (+https://github.com/budgetwh/budgetwh; open budget data warehouse)"

DEFAULT_EXTENSIONS = ("pdf", "xls", "xlsx", "doc", "docx")


class SourcesError(ValueError):
    """A sources file that cannot be used; the message names the portal and the setting."""


@dataclass(frozen=True)
class Portal:
    name: str
    region: str
    start_urls: tuple[str, ...]
    allowed_hosts: tuple[str, ...]
    province: str = "重庆市"
    user_agent: str = USER_AGENT
    min_interval_seconds: float = 1.0  # per host, between the starts of two requests
    max_concurrency_per_host: int = 2
    workers: int = 4
    max_retries: int = 3
    backoff_seconds: float = 1.0  # first retry waits this, then doubles
    connect_timeout_seconds: float = 10.0
    read_timeout_seconds: float = 30.0
    max_bytes: int = 50 * 1024 * 1024  # one response body
    max_redirects: int = 5
    max_listing_pages: int = 500  # per start URL, pagination included
    attachment_extensions: tuple[str, ...] = DEFAULT_EXTENSIONS
    obey_robots: bool = True

    def host_allowed(self, url: str) -> bool:
        return netloc_key(url) in {key for h in self.allowed_hosts for key in _host_keys(h)}


_REQUIRED = ("name", "region", "start_urls", "allowed_hosts")
_TUPLES = {"start_urls", "allowed_hosts", "attachment_extensions"}


def netloc_key(url: str) -> str:
    """``host:port`` with the scheme's default port made explicit, lower-case; '' when there is no host."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return ""
    return f"{parts.hostname.lower()}:{port}"


def _host_keys(host: str) -> set[str]:
    # A configured host without a port allows the default ports 80/443 only, never "any port".
    if "://" in host:
        keys = {netloc_key(host)}
    elif urlsplit(f"http://{host}").port is not None:
        keys = {netloc_key(f"http://{host}")}
    else:
        keys = {netloc_key(f"http://{host}"), netloc_key(f"https://{host}")}
    if "" in keys:
        raise SourcesError(f"allowed host {host!r} is not a host name")
    return keys


def _fill(value: Any, variables: dict[str, Any], where: str) -> Any:
    if isinstance(value, str):
        names = {n for _, n, _, _ in string.Formatter().parse(value) if n}
        missing = names - variables.keys()
        if missing:
            raise SourcesError(
                f"{where}: placeholder(s) {sorted(missing)} in {value!r} have no value "
                f"(the bundled local portal needs its port: start it, then pass port=...)"
            )
        return value.format(**variables) if names else value
    if isinstance(value, list):
        return [_fill(v, variables, where) for v in value]
    return value


def load_sources(path: Path, variables: dict[str, Any] | None = None) -> list[Portal]:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise SourcesError(f"{path}: cannot read sources file: {e}") from e
    if not isinstance(data, dict) or not isinstance(data.get("portals"), list) or not data["portals"]:
        raise SourcesError(f"{path}: expected a mapping with a non-empty 'portals' list")
    defaults = data.get("defaults") or {}
    known = {f.name for f in fields(Portal)}
    portals = []
    for i, entry in enumerate(data["portals"]):
        where = f"{path}: portal #{i + 1} ({(entry or {}).get('name', 'unnamed')})"
        if not isinstance(entry, dict):
            raise SourcesError(f"{where}: expected a mapping")
        merged = {**defaults, **entry}
        unknown = set(merged) - known
        if unknown:
            raise SourcesError(f"{where}: unknown setting(s) {sorted(unknown)}; known: {sorted(known)}")
        missing = [k for k in _REQUIRED if not merged.get(k)]
        if missing:
            raise SourcesError(f"{where}: missing {missing}")
        values = {k: _fill(v, variables or {}, where) for k, v in merged.items()}
        for k in _TUPLES:
            if k in values:
                values[k] = tuple(values[k]) if isinstance(values[k], list) else (values[k],)
        portal = Portal(**values)
        for url in portal.start_urls:
            if not portal.host_allowed(url):
                raise SourcesError(
                    f"{where}: start URL {url} is not on an allowed host {list(portal.allowed_hosts)}"
                )
        portals.append(portal)
    return portals


@dataclass
class Vocabulary:
    metadata_labels: dict[str, list[str]]
    breadcrumb_navigation: list[str]
    department_suffixes: list[str]
    document_types: dict[str, list[str]]
    column_leaves: dict[str, list[str]]
    revision_marks: list[str] = field(default_factory=list)


def load_vocabulary() -> Vocabulary:
    data = yaml.safe_load((Path(__file__).parent / "vocabulary.yml").read_text(encoding="utf-8"))
    return Vocabulary(**data)
