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

The page is parsed by lxml into a tree of C nodes (a Python object tree of a 20 MB page took 1.3 GB),
after a counting pass that builds no tree refuses a page with more elements or table cells than
``MAX_ELEMENTS`` / ``MAX_PAGE_CELLS`` (``too_large``); each table is expanded once, within
``MAX_GRID_CELLS``.

A page without any table holding figures (an index page, a narrative-only page) is rejected as
``no_tables``: it is not a disclosure this reader can give to the interpreter.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html
from lxml.html import HtmlElement

from extractors.model import Cell, DocumentError, Line, SourceDocument, sha256_of

MAX_BYTES = 20 * 1024 * 1024
MAX_GRID_CELLS = 200_000  # rows x columns of one expanded table; spans beyond this are abuse, not data
MAX_SPAN = 1000
# A page's budget before its tree is built: real disclosure pages hold a few thousand cells; these
# bound a 20 MB page to ~200 MB of lxml nodes.
MAX_PAGE_CELLS = 400_000
MAX_ELEMENTS = 600_000

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


def _strings(node: HtmlElement) -> Iterator[str]:
    """The text of ``node`` in order, as a reader sees it: no comments, scripts or styles."""
    if node.text:
        yield node.text
    for child in node:
        if isinstance(child.tag, str) and child.tag not in SKIPPED:
            yield from _strings(child)
        if child.tail:
            yield child.tail


def _text(node: HtmlElement | None) -> str:
    return " ".join(" ".join(_strings(node)).split()) if node is not None else ""


def _rows(table: HtmlElement) -> list[HtmlElement]:
    """The table's own rows, not those of tables nested in it."""
    return [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]


def _span(cell: HtmlElement, name: str) -> int:
    value = cell.get(name)
    if value is None:
        return 1
    try:
        return max(1, min(int(value.strip() or 1), MAX_SPAN))
    except ValueError:
        return 1


def expand_table(table: HtmlElement) -> list[list[str]]:
    """The table as a rectangular grid, spanning cells repeated into every position they cover."""
    grid: dict[tuple[int, int], str] = {}
    rows = _rows(table)
    width = 0
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
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


def _is_layout(table: HtmlElement) -> bool:
    return table.find(".//table") is not None


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


def _grids(root: HtmlElement) -> dict[str, list[list[str]]]:
    """Every table that is not a layout table, expanded once: its place in the tree → its grid."""
    tree = root.getroottree()
    return {tree.getpath(t): expand_table(t) for t in root.iter("table") if not _is_layout(t)}


def _figure_tables(root: HtmlElement, grids: dict[str, list[list[str]]]) -> list[HtmlElement]:
    tree = root.getroottree()
    return [tree.xpath(path)[0] for path, rows in grids.items() if _is_grid(rows) and _has_figures(rows)]


class _Budget:
    """An lxml parser target that only counts: a page with more elements or table cells than a page
    may hold is refused before any tree is built (a 20 MB table of 1.5 M cells is 470 MB as a tree)."""

    def __init__(self) -> None:
        self.elements = 0
        self.cells = 0

    def start(self, tag: str, attrib: dict) -> None:
        self.elements += 1
        if tag in ("td", "th"):
            self.cells += 1
            if self.cells > MAX_PAGE_CELLS:
                raise DocumentError("too_large", f"the page holds more than {MAX_PAGE_CELLS} table cells")
        if self.elements > MAX_ELEMENTS:
            raise DocumentError("too_large", f"the page holds more than {MAX_ELEMENTS} HTML elements")

    def end(self, tag: str) -> None: ...

    def data(self, data: str) -> None: ...

    def close(self) -> None: ...


def parse_html(text: str) -> HtmlElement:
    """The page as an lxml tree (C nodes, a fraction of a Python object tree), within the page budget."""
    data = text.encode("utf-8")
    counter = etree.HTMLParser(target=_Budget(), encoding="utf-8", huge_tree=False)
    try:
        etree.fromstring(data, counter)
    except etree.XMLSyntaxError:
        pass  # only counting: the tree parser below recovers what it can
    parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=False)
    try:
        return lxml_html.document_fromstring(data, parser=parser)
    except etree.ParserError:  # nothing but blanks or comments
        return lxml_html.document_fromstring(b"<html><body></body></html>", parser=parser)


def has_data_table(page: str) -> bool:
    """Whether the page has a table holding figures (what makes an article page a disclosure)."""
    root = parse_html(page)
    return bool(_figure_tables(root, _grids(root)))


def _content_root(root: HtmlElement, tables: list[HtmlElement]) -> HtmlElement:
    """The smallest element holding every figure table, widened to a content-like container."""
    body = root.find("body")
    body = root if body is None else body
    if not tables:
        return body
    tree = root.getroottree()
    # lxml gives a fresh proxy per access: elements are compared by their place in the tree
    paths = [tree.getpath(t).split("/") for t in tables]
    common = paths[0][:-1] if len(paths) == 1 else paths[0]
    for other in paths[1:]:
        n = 0
        while n < min(len(common), len(other)) and common[n] == other[n]:
            n += 1
        common = common[:n]
    node = tree.xpath("/".join(common))[0]
    body_path = tree.getpath(body)
    for candidate in [node, *node.iterancestors()]:
        if tree.getpath(candidate) == body_path:
            break
        marks = " ".join([candidate.get("id") or "", candidate.get("class") or ""])
        if CONTENT_HINT.search(marks):
            return candidate
    return node


class _Walker:
    def __init__(self, grids: dict[str, list[list[str]]]) -> None:
        self.lines: list[Line] = []
        self._buffer: list[str] = []
        self._grids = grids

    def flush(self) -> None:
        text = " ".join("".join(self._buffer).split())
        self._buffer = []
        if text:
            self.lines.append(Line(cells=[Cell(text)], is_row=False))

    def walk(self, node: HtmlElement) -> None:
        if node.text:
            self._buffer.append(node.text)
        for child in node:
            tag = child.tag if isinstance(child.tag, str) else None
            if tag is None or tag in SKIPPED:
                pass
            elif tag == "br":
                self.flush()
            elif tag == "table":
                self.flush()
                self.table(child)
            elif tag in BLOCKS or tag in ("td", "th"):
                self.flush()
                self.walk(child)
                self.flush()
            else:
                self.walk(child)
            if child.tail:
                self._buffer.append(child.tail)

    def table(self, table: HtmlElement) -> None:
        if _is_layout(table):
            self.walk(table)
            return
        rows = self._grids[table.getroottree().getpath(table)]
        caption = _text(table.find(".//caption"))
        if caption:
            self.lines.append(Line(cells=[Cell(caption)], is_row=False))
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
    root = parse_html(decode_html(body, content_type))
    grids = _grids(root)
    tables = _figure_tables(root, grids)
    if not tables:
        raise DocumentError(
            "no_tables",
            f"{path.name}: no table with figures (an index or narrative-only "
            f"page, not a disclosure's tables)",
        )
    content = _content_root(root, tables)
    tree = root.getroottree()
    walker = _Walker(grids)
    title_tag = root.find(".//h1")
    if title_tag is not None and not tree.getpath(title_tag).startswith(tree.getpath(content) + "/"):
        if tree.getpath(title_tag) != tree.getpath(content):
            walker.lines.append(Line(cells=[Cell(_text(title_tag))], is_row=False))
    walker.walk(content)
    walker.flush()
    title = _text(root.find(".//title"))
    metadata = {"title": title} if title else {}
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
