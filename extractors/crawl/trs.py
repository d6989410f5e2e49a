"""Reading TRS-style portal pages: column listings and article pages.

Listings are ``index.html``, ``index_1.html``, ... with the page count in a
``createPageHTML(total, current, "index", "html")`` call. Articles are
``<column>/<YYYYMM>/t<YYYYMMDD>_<id>.html`` (``_wap.html``: the mobile twin of the same article), carry a
metadata block ``[ 索引号 ] ... [ 发布日期 ]`` (a table, one line or a list, labels sometimes garbled),
a breadcrumb naming the department, and attachments ``P0<digits>.<ext>`` beside them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urldefrag, urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup

from extractors.crawl.config import Vocabulary, load_vocabulary
from extractors.readers.html import decode_html, has_data_table

ARTICLE_PATH = re.compile(r"/(?P<month>\d{6})/t(?P<date>\d{8})_(?P<id>\d+)(?P<wap>_wap)?\.s?html?$")
PAGE_COUNT = re.compile(
    r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,\s*['\"]([\w-]+)['\"]"
    r"\s*,\s*['\"](\w+)['\"]"
)
# A value runs to the next label or the end of its element (text is joined with newlines per element).
METADATA_ITEM = re.compile(r"\[\s*([^\[\]\s]{1,8})\s*\]\s*([^\[\n]*)")
YEAR = re.compile(r"(20\d{2})\s*年?度?")
LISTING_NAME = re.compile(r"^index(_\d+)?\.s?html?$")


class MalformedPage(ValueError):
    """A page the crawler cannot read as HTML (binary garbage, undecodable, no elements)."""


def canonical_url(url: str) -> str:
    """Fragment dropped, host lower-cased, an article's ``_wap`` twin mapped to the article itself."""
    url, _ = urldefrag(url)
    parts = urlsplit(url)
    path = parts.path or "/"
    match = ARTICLE_PATH.search(path)
    if match and match.group("wap"):
        path = path[: match.start("wap")] + path[match.end("wap") :]
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def is_article(url: str) -> bool:
    return bool(ARTICLE_PATH.search(urlsplit(url).path))


def is_listing(url: str) -> bool:
    path = urlsplit(url).path
    return path.endswith("/") or bool(LISTING_NAME.match(path.rsplit("/", 1)[-1]))


def column_of(url: str) -> str:
    """The column folder of a listing or article URL, ending with '/'."""
    parts = urlsplit(url)
    path = parts.path
    match = ARTICLE_PATH.search(path)
    folder = path[: match.start()] + "/" if match else path.rsplit("/", 1)[0] + "/"
    return urlunsplit((parts.scheme, parts.netloc, folder, "", ""))


def soup_of(body: bytes, content_type: str | None = None) -> BeautifulSoup:
    if b"\x00" in body[:4096]:
        raise MalformedPage("page contains binary data (NUL bytes), not HTML")
    text = decode_html(body, content_type)
    soup = BeautifulSoup(text, "lxml")
    if soup.find(["body", "div", "a", "table", "p"]) is None:
        raise MalformedPage("page has no HTML elements")
    return soup


@dataclass
class Listing:
    article_urls: list[str]
    listing_urls: list[str]  # further pages of this column and its sub-columns
    page_count: int | None


def parse_listing(url: str, soup: BeautifulSoup) -> Listing:
    articles: list[str] = []
    subcolumns: list[str] = []
    column = column_of(url)
    for a in soup.find_all("a", href=True):
        target = canonical_url(urljoin(url, str(a["href"]).strip()))
        if is_article(target):
            articles.append(target)
        elif is_listing(target) and target.startswith(column) and column_of(target) != column:
            subcolumns.append(_listing_index(target))
    pages: list[str] = []
    page_count = None
    match = PAGE_COUNT.search(str(soup))
    if match:
        page_count, prefix, ext = int(match.group(1)), match.group(3), match.group(4)
        pages = [
            urljoin(column, f"{prefix}.{ext}" if n == 0 else f"{prefix}_{n}.{ext}") for n in range(page_count)
        ]
    return Listing(_unique(articles), _unique(pages + subcolumns), page_count)


def _listing_index(url: str) -> str:
    return url + "index.html" if url.endswith("/") else url


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


@dataclass
class Attachment:
    url: str
    label: str  # the link text as published


@dataclass
class Article:
    url: str
    title: str
    metadata: dict[str, str]
    breadcrumb: list[str]
    department: str | None
    fiscal_year: int | None
    document_type: str | None
    attachments: list[Attachment] = field(default_factory=list)
    has_inline_tables: bool = False

    def as_metadata(self) -> dict[str, str]:
        """Flat string metadata handed to extraction with every file of this article."""
        out = {f"article_{k}": v for k, v in self.metadata.items()}
        out.update(article_url=self.url, article_title=self.title, breadcrumb=" > ".join(self.breadcrumb))
        if self.department:
            out["department_name"] = self.department
        if self.fiscal_year:
            out["fiscal_year"] = str(self.fiscal_year)
        if self.document_type:
            out["document_type"] = self.document_type
        return out


@cache
def _vocabulary() -> Vocabulary:
    return load_vocabulary()


def _label_key(label: str, vocab: Vocabulary) -> str | None:
    for key, names in vocab.metadata_labels.items():
        if label in names:
            return key
    for key, names in vocab.metadata_labels.items():
        for name in names:
            if len(label) >= len(name) - 1 and _is_subsequence(label, name):
                return key
    return None


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def parse_metadata(soup: BeautifulSoup) -> dict[str, str]:
    vocab = _vocabulary()
    body = soup.body or soup
    text = body.get_text("\n", strip=True)
    found: dict[str, str] = {}
    for match in METADATA_ITEM.finditer(text):
        key = _label_key(match.group(1), vocab)
        if key and key not in found:
            found[key] = " ".join(match.group(2).split()).strip(" ：:")
    return found


def parse_breadcrumb(soup: BeautifulSoup) -> list[str]:
    vocab = _vocabulary()
    marker = soup.find(string=re.compile("当前位置"))
    container = None
    if marker is not None:
        container = marker.find_parent(["div", "p", "span", "td", "nav", "ul"])
    if container is None:
        container = soup.find(class_=re.compile(r"crumb|position|location|bread", re.I))
    if container is None:
        return []
    items = [a.get_text(strip=True) for a in container.find_all("a")]
    if not items:
        items = re.split(r"\s*[>＞»/]\s*", container.get_text(" ", strip=True))
    return [i for i in (x.strip().rstrip("：:") for x in items) if i and i not in vocab.breadcrumb_navigation]


def department_from(breadcrumb: list[str], metadata: dict[str, str], title: str) -> str | None:
    """The breadcrumb's last department-like item, else the publisher, else the title's leading name."""
    suffixes = tuple(_vocabulary().department_suffixes)
    for item in reversed(breadcrumb):
        if item.endswith(suffixes) and "预算" not in item and "决算" not in item:
            return item
    if metadata.get("publisher"):
        return metadata["publisher"]
    match = re.match(r"^(?:20\d{2}\s*年度?)?\s*(\S+?(?:" + "|".join(map(re.escape, suffixes)) + "))", title)
    return match.group(1) if match else None


def document_type_from(*texts: str, url: str = "") -> str | None:
    vocab = _vocabulary()
    segments = urlsplit(url).path.split("/")
    for kind, leaves in vocab.column_leaves.items():
        if any(s in leaves for s in segments):
            return kind
    for text in texts:
        for kind, words in vocab.document_types.items():
            if any(w in text for w in words):
                return kind
    return None


def fiscal_year_from(*texts: str) -> int | None:
    for text in texts:
        match = YEAR.search(text or "")
        if match:
            return int(match.group(1))
    return None


def parse_article(url: str, soup: BeautifulSoup, extensions: tuple[str, ...]) -> Article:
    title_tag = soup.find(["h1", "h2"]) or soup.title
    title = " ".join(title_tag.get_text(" ", strip=True).split()) if title_tag else ""
    metadata = parse_metadata(soup)
    breadcrumb = parse_breadcrumb(soup)
    attachments = []
    seen = set()
    for a in soup.find_all("a", href=True):
        target = canonical_url(urljoin(url, str(a["href"]).strip()))
        ext = urlsplit(target).path.rsplit(".", 1)[-1].lower()
        if ext in extensions and target not in seen:
            seen.add(target)
            attachments.append(Attachment(target, " ".join(a.get_text(" ", strip=True).split())))
    return Article(
        url=url,
        title=title,
        metadata=metadata,
        breadcrumb=breadcrumb,
        department=department_from(breadcrumb, metadata, title),
        fiscal_year=fiscal_year_from(title, *(a.label for a in attachments)),
        document_type=document_type_from(title, *breadcrumb, url=url),
        attachments=attachments,
        has_inline_tables=has_data_table(str(soup)),
    )
