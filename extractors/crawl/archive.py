"""The raw archive: every fetched file kept by content hash, and its registry in the warehouse.

Files live at ``<archive_dir>/sha256/<first two hex>/<remaining hex>.<type>``: a name made only of the
hash and a type from a fixed list, so nothing a server sends can choose where a file is written, and
a file once written is never overwritten (same name = same bytes).

Schema ``archive`` of the warehouse DuckDB file:

- ``archive.fetches``: one row per request outcome (200, 304, or an error with its specific code);
- ``archive.documents``: one row per distinct disclosure file (by hash), with every URL it was seen
  under, the article metadata, and its version within its document: a revised file (same department,
  year, type and attachment, new bytes; or new bytes at a known URL) is a new version, and the
  previous one is marked superseded by it.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

FILE_TYPES = ("html", "pdf", "xlsx", "xls", "docx", "doc")

DDL = """
create schema if not exists archive;

create table if not exists archive.fetches (
    url            varchar not null,
    final_url      varchar,
    portal         varchar,
    kind           varchar,          -- robots | listing | article | attachment
    status         integer,
    sha256         varchar,
    etag           varchar,
    last_modified  varchar,
    headers_json   varchar,
    attempts       integer,
    fetched_at     timestamp not null,
    error_code     varchar,
    error_message  varchar
);

create table if not exists archive.documents (
    sha256            varchar primary key,
    first_url         varchar not null,
    urls              varchar[] not null,
    archive_path      varchar not null,
    file_type         varchar not null,
    label             varchar,
    article_metadata  json,
    portal            varchar,
    region_name       varchar,
    department        varchar,
    fiscal_year       integer,
    document_type     varchar,
    version_key       varchar not null,
    version           integer not null,
    is_current        boolean not null,
    superseded_by     varchar,
    first_seen_at     timestamp not null
);
"""


@dataclass
class Validators:
    sha256: str
    etag: str | None
    last_modified: str | None


@dataclass
class Registration:
    sha256: str
    is_new: bool
    version: int
    supersedes: str | None  # the hash of the version this one replaces


def file_type_of(body: bytes, url_ext: str) -> str:
    """The file's type from its first bytes where they decide, else from the URL's extension."""
    if body.startswith(b"%PDF"):
        return "pdf"
    if body.startswith(b"PK\x03\x04"):
        return url_ext if url_ext in ("xlsx", "docx") else "xlsx"
    if body.startswith(b"\xd0\xcf\x11\xe0"):
        return url_ext if url_ext in ("xls", "doc") else "xls"
    return url_ext if url_ext in FILE_TYPES else "html"


class Archive:
    def __init__(self, warehouse: Path, archive_dir: Path):
        self.archive_dir = Path(archive_dir).resolve()
        self.con = duckdb.connect(str(warehouse))
        self.con.execute(DDL)

    def close(self) -> None:
        self.con.close()

    def path_for(self, sha256: str, file_type: str) -> Path:
        if (
            file_type not in FILE_TYPES
            or len(sha256) != 64
            or not all(c in "0123456789abcdef" for c in sha256)
        ):
            raise ValueError(f"not an archive name: {sha256}.{file_type}")
        return self.archive_dir / "sha256" / sha256[:2] / f"{sha256[2:]}.{file_type}"

    def store(self, body: bytes, file_type: str) -> tuple[str, Path]:
        sha256 = hashlib.sha256(body).hexdigest()
        path = self.path_for(sha256, file_type)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".partial-")
            with os.fdopen(fd, "wb") as f:
                f.write(body)
            os.replace(tmp, path)  # complete or absent, never half-written
        return sha256, path

    def stored(self, sha256: str) -> Path | None:
        folder = self.archive_dir / "sha256" / sha256[:2]
        matches = sorted(folder.glob(f"{sha256[2:]}.*")) if folder.is_dir() else []
        return matches[0] if matches else None

    def validators(self, url: str) -> Validators | None:
        """ETag / Last-Modified of the latest successful fetch of ``url`` whose bytes are still archived."""
        row = self.con.execute(
            "select sha256, etag, last_modified from archive.fetches where url = ? and sha256 is not null "
            "and status in (200, 304) order by fetched_at desc limit 1",
            [url],
        ).fetchone()
        if row is None or self.stored(row[0]) is None or not (row[1] or row[2]):
            return None
        return Validators(*row)

    def record_fetch(
        self,
        *,
        url: str,
        portal: str,
        kind: str,
        final_url: str | None = None,
        status: int | None = None,
        sha256: str | None = None,
        headers: dict[str, str] | None = None,
        attempts: int = 1,
        error_code: str | None = None,
        error_message: str | None = None,
    ) -> None:
        headers = headers or {}
        self.con.execute(
            "insert into archive.fetches values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                url,
                final_url,
                portal,
                kind,
                status,
                sha256,
                headers.get("etag"),
                headers.get("last-modified"),
                json.dumps(headers, ensure_ascii=False),
                attempts,
                _now(),
                error_code,
                error_message,
            ],
        )

    def register(
        self,
        *,
        sha256: str,
        url: str,
        path: Path,
        file_type: str,
        label: str | None,
        metadata: dict[str, str],
        portal: str,
        region: str,
        department: str | None,
        fiscal_year: int | None,
        document_type: str | None,
        version_key: str,
    ) -> Registration:
        """Record a disclosure file; an already known hash only gains the URL (never processed twice)."""
        con = self.con
        known = con.execute(
            "select urls, version from archive.documents where sha256 = ?", [sha256]
        ).fetchone()
        if known is not None:
            if url not in known[0]:
                con.execute(
                    "update archive.documents set urls = list_append(urls, ?) where sha256 = ?", [url, sha256]
                )
            return Registration(sha256, False, known[1], None)
        # New bytes at a URL that served an earlier file: a revision of that file's document.
        earlier = con.execute(
            "select version_key from archive.documents where list_contains(urls, ?) "
            "order by first_seen_at desc limit 1",
            [url],
        ).fetchone()
        key = earlier[0] if earlier else version_key
        current = con.execute(
            "select sha256, version from archive.documents where version_key = ? and is_current", [key]
        ).fetchone()
        version = current[1] + 1 if current else 1
        con.execute("begin transaction")
        try:
            if current:
                con.execute(
                    "update archive.documents set is_current = false, superseded_by = ? where sha256 = ?",
                    [sha256, current[0]],
                )
            con.execute(
                "insert into archive.documents values "
                "(?, ?, [?], ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, true, null, ?)",
                [
                    sha256,
                    url,
                    url,
                    str(path),
                    file_type,
                    label,
                    json.dumps(metadata, ensure_ascii=False),
                    portal,
                    region,
                    department,
                    fiscal_year,
                    document_type,
                    key,
                    version,
                    _now(),
                ],
            )
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
        return Registration(sha256, True, version, current[0] if current else None)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
