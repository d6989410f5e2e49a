"""Reader for the pre-extracted text form of a disclosure (the form of ``../shared/seeds``).

One line per printed line, in reading order. A line containing a tab is a table row whose cells are
the tab-separated fields (blank cells kept, since their position carries the column); any other
non-blank line is running text (titles, units, notes, narrative). Blank lines only separate blocks and
are dropped. The text form has no pages, so every cell has ``page=None``.

Files are UTF-8; GB18030 (a superset of GBK/GB2312, what Chinese Windows tools write) is accepted as a
fallback. Anything else, or bytes that are not text at all, is rejected as ``bad_encoding``.
"""

from __future__ import annotations

from pathlib import Path

from extractors.model import Cell, DocumentError, Line, SourceDocument, sha256_of

FALLBACK_ENCODINGS = ("gb18030",)

# Control characters other than tab/newline/carriage return/form feed never occur in text renditions;
# finding them means the bytes decoded "successfully" but are not text (e.g. a binary file).
_TEXT_CONTROL_OK = {"\t", "\n", "\r", "\f"}


def _decode(data: bytes, name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", *FALLBACK_ENCODINGS):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if any(ch < " " and ch not in _TEXT_CONTROL_OK for ch in text):
            raise DocumentError("bad_encoding", f"{name}: contains control bytes; not a text rendition")
        return text
    tried = ", ".join(("utf-8", *FALLBACK_ENCODINGS))
    raise DocumentError("bad_encoding", f"{name}: not decodable as any of {tried}")


def read(path: Path) -> SourceDocument:
    data = path.read_bytes()
    if not data.strip():
        raise DocumentError("empty_document", f"{path.name}: the file is empty")
    text = _decode(data, path.name)
    lines: list[Line] = []
    for raw in text.splitlines():
        if not raw.strip():
            continue
        if "\t" in raw:
            lines.append(Line(cells=[Cell(field.strip()) for field in raw.split("\t")]))
        else:
            lines.append(Line(cells=[Cell(raw.strip())], is_row=False))
    if not lines:
        raise DocumentError("empty_document", f"{path.name}: contains only blank lines")
    return SourceDocument(path=path, sha256=sha256_of(path), file_type="txt", lines=lines)
