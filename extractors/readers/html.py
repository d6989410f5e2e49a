"""Reader for HTML disclosures: article pages with the tables inline.

The page's content area (the smallest element holding all figure tables and the narrative around
them) is read in document order: paragraphs, headings and ``<br>``-separated runs become text lines;
each table row becomes one row with one cell per grid column, ``rowspan``/``colspan`` expanded by
repeating the spanning cell's text into every position it covers, so a multi-level header yields a
full header path per column and blank cells keep their place. Tables that only lay out the page (they
hold other tables) are read through; one-column or one-row tables are text.

Encodings: the bytes are UTF-8 whenever they are valid UTF-8 (a page declaring GBK but served as
UTF-8 is common after CMS migrations); otherwise the declared charset (HTTP header, ``<meta>``), then
GB18030, the superset of GBK/GB2312.

A page without any table holding figures (an index page, a narrative-only page) is rejected as
``no_tables``: it is not a disclosure this reader can give to the interpreter.
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from extractors.model import Cell, DocumentError, Line, SourceDocument, sha256_of

MAX_BYTES = 20 * 1024 * 1024
MAX_GRID_CELLS = 200_000  # rows x columns of one expanded table; spans beyond this are abuse, not data
MAX_SPAN = 1000

CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.I)
HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w-]+)", re.I)
# A figure: a number with decimals or thousands separators (codes such as 2010301 have neither).
FIGURE = re.compile(r"^[-−]?(\d{1,3}(,\d{3})+(\.\d+)?|\d+\.\d+)$")
INTEGER = re.compile(r"^[-−]?\d+$")

SKIPPED = {"script", "style", "noscript", "head", "template", "iframe", "object", "select", "button"}
BLOCKS = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "dl",
    "dt",
    "dd",
    "center",
    "form",
    "caption",
    "tr",
}
CONTENT_HINT = re.compile(r"trs_editor|trs_paper|zoom|article|content|detail|main|text|view", re.I)
# GBK and GB2312 pages often use characters only their superset has; decode with the superset.
ENCODING_ALIASES = {"gbk": "gb18030", "gb2312": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030"}


def _normalise_encoding(name: str | bytes | None) -> str | None:
    if not name:
        return None
    text = name.decode("ascii", "ignore") if isinstance(name, bytes) else name
    text = text.strip().lower()
    return ENCODING_ALIASES.get(text, text)


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """The page's text: UTF-8 when valid, else the declared charset, else GB18030; ``bad_encoding``."""
    if body.startswith(b"\xef\xbb\xbf"):
        return body[3:].decode("utf-8", errors="replace")
    header = HEADER_CHARSET.search(content_type or "")
    meta = CHARSET.search(body[:4096])
    candidates = [
        "utf-8",
        _normalise_encoding(header.group(1) if header else None),
        _normalise_encoding(meta.group(1) if meta else None),
        "gb18030",
    ]
    for encoding in dict.fromkeys(c for c in candidates if c):
        try:
            return body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise DocumentError(
        "bad_encoding",
        f"page is neither UTF-8, its declared charset nor GB18030 "
        f"(tried {', '.join(c for c in candidates if c)})",
    )


def _text(node: Tag | NavigableString) -> str:
    return (
        " ".join(node.get_text(" ", strip=True).split()) if isinstance(node, Tag) else " ".join(node.split())
    )


def _rows(table: Tag) -> list[Tag]:
    """The table's own rows, not those of tables nested in it."""
    return [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]


def _span(cell: Tag, name: str) -> int:
    try:
        return max(1, min(int(str(cell.get(name, "1")).strip() or 1), MAX_SPAN))
    except ValueError:
        return 1


def expand_table(table: Tag) -> list[list[str]]:
    """The table as a rectangular grid, spanning cells repeated into every position they cover."""
    grid: dict[tuple[int, int], str] = {}
    rows = _rows(table)
    width = 0
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.find_all(["td", "th"], recursive=False):
            while (r, c) in grid:
                c += 1
            text = _text(cell)
            rowspan, colspan = _span(cell, "rowspan"), _span(cell, "colspan")
            rowspan = min(rowspan, len(rows) - r)
            if len(grid) + rowspan * colspan > MAX_GRID_CELLS:
                raise DocumentError("too_large", f"a table expands to more than {MAX_GRID_CELLS} cells")
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = text
            c += colspan
            width = max(width, c)
    return [[grid.get((r, c), "") for c in range(width)] for r in range(len(rows))]


def _is_layout(table: Tag) -> bool:
    return table.find("table") is not None


def _is_grid(rows: list[list[str]]) -> bool:
    return len(rows) >= 2 and max((len(r) for r in rows), default=0) >= 2


def _has_figures(rows: list[list[str]]) -> bool:
    for row in rows:
        texts = [t.replace(" ", "") for t in row]
        if any(FIGURE.match(t) for t in texts):
            return True
        # Integer amounts (tables in 元) beside a named row; a row opening with a number is a code row.
        if texts and texts[0] and not INTEGER.match(texts[0]) and any(INTEGER.match(t) for t in texts[1:]):
            return True
    return False


def _figure_tables(root: Tag) -> list[Tag]:
    return [
        t
        for t in root.find_all("table")
        if not _is_layout(t) and _is_grid(rows := expand_table(t)) and _has_figures(rows)
    ]


def has_data_table(soup: BeautifulSoup) -> bool:
    """Whether the page has a table holding figures (what makes an article page a disclosure)."""
    return bool(_figure_tables(soup))


def _content_root(soup: BeautifulSoup, tables: list[Tag]) -> Tag:
    """The smallest element holding every figure table, widened to a content-like container."""
    body = soup.body or soup
    if not tables:
        return body
    common = [tables[0], *tables[0].parents]
    for table in tables[1:]:
        ancestors = {id(a) for a in table.parents}
        common = [a for a in common if id(a) in ancestors or a is table]
    node = common[0] if len(tables) > 1 else tables[0].parent
    for candidate in [node, *node.parents]:
        if not isinstance(candidate, Tag) or candidate is body:
            break
        marks = " ".join([candidate.get("id") or "", *(candidate.get("class") or [])])
        if CONTENT_HINT.search(marks):
            return candidate
    return node if isinstance(node, Tag) else body


class _Walker:
    def __init__(self) -> None:
        self.lines: list[Line] = []
        self._buffer: list[str] = []

    def flush(self) -> None:
        text = " ".join("".join(self._buffer).split())
        self._buffer = []
        if text:
            self.lines.append(Line(cells=[Cell(text)], is_row=False))

    def walk(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                self._buffer.append(str(child))
            elif not isinstance(child, Tag) or child.name in SKIPPED:
                continue
            elif child.name == "br":
                self.flush()
            elif child.name == "table":
                self.flush()
                self.table(child)
            elif child.name in BLOCKS or child.name in ("td", "th"):
                self.flush()
                self.walk(child)
                self.flush()
            else:
                self.walk(child)

    def table(self, table: Tag) -> None:
        if _is_layout(table):
            self.walk(table)
            return
        rows = expand_table(table)
        caption = table.find("caption")
        if caption is not None and _text(caption):
            self.lines.append(Line(cells=[Cell(_text(caption))], is_row=False))
        if not _is_grid(rows):
            for row in rows:
                text = " ".join(t for t in row if t)
                if text:
                    self.lines.append(Line(cells=[Cell(text)], is_row=False))
            return
        for row in rows:
            if any(row):
                self.lines.append(Line(cells=[Cell(t) for t in row]))


def read_html(body: bytes, path: Path, sha256: str, content_type: str | None = None) -> SourceDocument:
    text = decode_html(body, content_type)
    soup = BeautifulSoup(text, "lxml")
    tables = _figure_tables(soup)
    if not tables:
        raise DocumentError(
            "no_tables",
            f"{path.name}: no table with figures (an index or narrative-only "
            f"page, not a disclosure's tables)",
        )
    root = _content_root(soup, tables)
    walker = _Walker()
    title_tag = soup.find("h1")
    if title_tag is not None and root not in title_tag.parents and title_tag is not root:
        walker.lines.append(Line(cells=[Cell(_text(title_tag))], is_row=False))
    walker.walk(root)
    walker.flush()
    metadata = {"title": _text(soup.title)} if soup.title and _text(soup.title) else {}
    return SourceDocument(path=path, sha256=sha256, file_type="html", lines=walker.lines, metadata=metadata)


def read(path: Path) -> SourceDocument:
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise DocumentError(
            "too_large", f"{path.name}: {size} bytes, more than the {MAX_BYTES} an HTML page may have"
        )
    body = path.read_bytes()
    if not body.strip():
        raise DocumentError("empty_document", f"{path.name}: the file is empty")
    return read_html(body, path, sha256_of(path))
