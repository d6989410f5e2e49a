"""Crawl configured portals into the raw archive; return what extraction must process.

Per portal: start at its column URLs, follow listing pages (pagination from ``createPageHTML`` and
sub-columns below the start column), read every article (metadata block, breadcrumb), fetch its
attachments, archive everything, register disclosure files (attachments, and article pages whose
tables are inline). Fetches run in a bounded thread pool; this thread alone parses pages and writes
the warehouse. Every fault ends as one recorded error for its URL and the crawl goes on.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from extractors.crawl import trs
from extractors.crawl.archive import Archive, file_type_of
from extractors.crawl.config import Portal, load_sources, load_vocabulary
from extractors.crawl.fetch import Fetcher, FetchResult
from extractors.model import DocumentError

Progress = Callable[[str], None]


@dataclass
class ArchivedFile:
    """A new or changed disclosure file: what ``extract_file(path, source_url, metadata)`` takes."""

    path: Path
    source_url: str
    sha256: str
    file_type: str
    metadata: dict[str, str]
    version: int
    supersedes: str | None = None


@dataclass
class CrawlError:
    url: str
    code: str
    message: str


@dataclass
class CrawlSummary:
    new_files: list[ArchivedFile] = field(default_factory=list)
    requests: int = 0  # fetches made (retries and robots.txt not counted)
    downloaded: int = 0  # 200 answers
    not_modified: int = 0  # 304 answers
    known_files: int = 0  # disclosure files seen again, unchanged or under another URL
    errors: list[CrawlError] = field(default_factory=list)
    seconds: float = 0.0

    def error_codes(self) -> dict[str, str]:
        return {e.url: e.code for e in self.errors}

    def __str__(self) -> str:
        return (
            f"{len(self.new_files)} new/changed file(s), {self.requests} request(s): {self.downloaded} "
            f"downloaded, {self.not_modified} not modified, {self.known_files} already archived, "
            f"{len(self.errors)} error(s) in {self.seconds:.1f} s"
        )


@dataclass
class _Task:
    kind: str  # listing | article | attachment
    url: str
    article: trs.Article | None = None
    label: str | None = None
    sha256_before: str | None = None


class _PortalCrawl:
    def __init__(self, portal: Portal, archive: Archive, summary: CrawlSummary, say: Progress):
        self.portal, self.archive, self.summary, self.say = portal, archive, summary, say
        self.fetcher = Fetcher(portal)
        self.seen: set[str] = set()
        self.pending: dict[Future[FetchResult], _Task] = {}
        self.listing_pages = 0
        self.revision_marks = re.compile("|".join(map(re.escape, load_vocabulary().revision_marks)) or "$^")

    def run(self) -> None:
        with ThreadPoolExecutor(max_workers=self.portal.workers, thread_name_prefix="crawl") as pool:
            self.pool = pool
            for url in self.portal.start_urls:
                self.submit(
                    _Task("listing", trs.canonical_url(url if not url.endswith("/") else url + "index.html"))
                )
            while self.pending:
                done, _ = wait(self.pending, return_when=FIRST_COMPLETED)
                for future in done:
                    task = self.pending.pop(future)
                    self.handle(task, future.result())
        self.fetcher.close()

    def submit(self, task: _Task) -> None:
        if task.url in self.seen:
            return
        if task.kind == "listing":
            if self.listing_pages >= self.portal.max_listing_pages:
                self.error(
                    task, "too_many_pages", f"listing page limit {self.portal.max_listing_pages} reached"
                )
                return
            self.listing_pages += 1
        self.seen.add(task.url)
        validators = self.archive.validators(task.url)
        task.sha256_before = validators.sha256 if validators else None
        future = self.pool.submit(
            self.fetcher.fetch,
            task.url,
            validators.etag if validators else None,
            validators.last_modified if validators else None,
        )
        self.pending[future] = task

    def error(
        self,
        task: _Task,
        code: str,
        message: str,
        result: FetchResult | None = None,
        sha256: str | None = None,
    ) -> None:
        self.summary.errors.append(CrawlError(task.url, code, message))
        self.archive.record_fetch(
            url=task.url,
            portal=self.portal.name,
            kind=task.kind,
            final_url=result.final_url if result else None,
            status=result.status if result else None,
            sha256=sha256,
            headers=result.headers if result else None,
            attempts=result.attempts if result else 0,
            error_code=code,
            error_message=message,
        )
        self.say(f"  ! {code:<20} {task.url}: {message}")

    def handle(self, task: _Task, result: FetchResult) -> None:
        self.summary.requests += 1
        if result.error_code:
            self.error(task, result.error_code, result.error_message or result.error_code, result)
            return
        if result.not_modified and task.sha256_before:
            stored = self.archive.stored(task.sha256_before)
            body = stored.read_bytes() if stored else b""
            self.summary.not_modified += 1
        else:
            body = result.body or b""
            self.summary.downloaded += 1
        ext = urlsplit(task.url).path.rsplit(".", 1)[-1].lower()
        file_type = "html" if task.kind != "attachment" else file_type_of(body, ext)
        sha256, path = self.archive.store(body, file_type)
        try:
            getattr(self, f"_{task.kind}")(task, body, result, sha256, path, file_type)
        except (trs.MalformedPage, DocumentError) as e:
            code = "malformed_html" if task.kind != "attachment" else getattr(e, "code", "bad_file")
            self.error(task, code, str(e), result, sha256)
            return
        self.archive.record_fetch(
            url=task.url,
            portal=self.portal.name,
            kind=task.kind,
            final_url=result.final_url,
            status=result.status,
            sha256=sha256,
            headers=result.headers,
            attempts=result.attempts,
        )
        self.say(f"  {result.status} {task.kind:<10} {task.url}")

    def _listing(self, task: _Task, body: bytes, result: FetchResult, *_: Any) -> None:
        listing = trs.parse_listing(task.url, trs.soup_of(body, result.headers.get("content-type")))
        for url in listing.listing_urls:
            self.submit(_Task("listing", url))
        for url in listing.article_urls:
            self.submit(_Task("article", url))

    def _article(
        self, task: _Task, body: bytes, result: FetchResult, sha256: str, path: Path, _: str
    ) -> None:
        article = trs.parse_article(
            task.url, trs.soup_of(body, result.headers.get("content-type")), self.portal.attachment_extensions
        )
        if article.has_inline_tables:
            self.register(task.url, article, None, sha256, path, "html")
        for attachment in article.attachments:
            self.submit(_Task("attachment", attachment.url, article=article, label=attachment.label))

    def _attachment(
        self, task: _Task, body: bytes, result: FetchResult, sha256: str, path: Path, file_type: str
    ) -> None:
        if file_type == "xlsx":
            from extractors.readers.xlsx import check_zip_limits

            check_zip_limits(path)
        assert task.article is not None
        self.register(task.url, task.article, task.label, sha256, path, file_type)

    def register(
        self, url: str, article: trs.Article, label: str | None, sha256: str, path: Path, file_type: str
    ) -> None:
        label_text = label or ""
        fiscal_year = article.fiscal_year or trs.fiscal_year_from(label_text)
        document_type = article.document_type or trs.document_type_from(label_text)
        if article.department and fiscal_year and document_type:
            slot = self.revision_marks.sub("", re.sub(r"[\s()（）\[\]【】]", "", label_text))
            key = "|".join(
                [self.portal.region, article.department, str(fiscal_year), document_type, file_type, slot]
            )
        else:
            key = f"url|{url}"
        metadata = {
            **article.as_metadata(),
            "portal": self.portal.name,
            "region_name": self.portal.region,
            "province_name": self.portal.province,
            "source_url": url,
        }
        if label:
            metadata["attachment_label"] = label
        registration = self.archive.register(
            sha256=sha256,
            url=url,
            path=path,
            file_type=file_type,
            label=label,
            metadata=metadata,
            portal=self.portal.name,
            region=self.portal.region,
            department=article.department,
            fiscal_year=fiscal_year,
            document_type=document_type,
            version_key=key,
        )
        if registration.is_new:
            self.summary.new_files.append(
                ArchivedFile(
                    path, url, sha256, file_type, metadata, registration.version, registration.supersedes
                )
            )
            self.say(f"  + {file_type:<5} v{registration.version} {url}")
        else:
            self.summary.known_files += 1


def crawl(
    sources_file: Path,
    warehouse: Path,
    archive_dir: Path,
    variables: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> CrawlSummary:
    """Crawl every portal of ``sources_file``; archive into ``archive_dir``, register in ``warehouse``.

    ``variables`` fill ``{name}`` placeholders of the sources file (e.g. ``{"port": 8080}`` for the
    bundled local portal). Returns the new or changed disclosure files and every error by URL.
    """
    say = progress or (lambda _message: None)
    portals = load_sources(Path(sources_file), variables)
    summary = CrawlSummary()
    started = time.monotonic()
    archive = Archive(Path(warehouse), Path(archive_dir))
    try:
        for portal in portals:
            say(f"crawling {portal.name} ({portal.region}): {', '.join(portal.start_urls)}")
            _PortalCrawl(portal, archive, summary, say).run()
    finally:
        archive.close()
    summary.seconds = time.monotonic() - started
    say(str(summary))
    return summary
