"""A hostile corpus: files crafted to cost a reader time, memory or safety, each with the error code the
pipeline must reject it with (issue 20). ``write_hostile_corpus(folder)`` writes them and returns
{file name: expected error_code}; with ``extractors.generator.hostile_office`` present, its workbook and
HTML cases are added (``"loaded"`` for files that must load).

PDFs are written byte by byte (no renderer would write them): blank pages by the thousand, pages that are
character grids, a content stream inflating to 2 GiB from 2 MB, truncated, encrypted and garbage files;
names that look like paths, and symbolic links (out of the folder, dangling, a loop).

``python -m extractors.generator hostile --out DIR``
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path

BOMB_BYTES = 2 << 30  # what the bomb's content stream inflates to
_BOMB_CHUNK = 1 << 24


def _pdf(contents: list[bytes | tuple[bytes, bytes]]) -> bytes:
    """A PDF with one page per content stream (bytes: compressed here; (data, filter): as given)."""
    n = len(contents)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n))
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", f"<</Type/Pages/Kids[{kids}]/Count {n}>>".encode(),
               b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"]
    for i, content in enumerate(contents):
        objects.append(f"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 3 0 R>>>>"
                       f"/Contents {5 + 2 * i} 0 R>>".encode())
        data, filters = content if isinstance(content, tuple) else (zlib.compress(content), b"/FlateDecode")
        objects.append(b"<</Length %d/Filter%s>>stream\n" % (len(data), filters) + data + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _grid(rows: int, columns: int, size: float) -> bytes:
    """A page of digits, ``rows`` × ``columns`` characters."""
    row = b"(" + b"8" * columns + b") Tj T*"
    return b"\n".join([b"BT /F1 %.2f Tf %.2f TL 10 830 Td" % (size, size), *[row] * rows, b"ET"])


def _adler32_combine(first: int, second: int, second_length: int) -> int:
    """zlib's adler32_combine: the checksum of two byte strings joined, from theirs."""
    base = 65521
    rem = second_length % base
    sum1 = first & 0xFFFF
    sum2 = rem * sum1 % base
    sum1 = (sum1 + (second & 0xFFFF) + base - 1) % base
    sum2 = (sum2 + (first >> 16) + (second >> 16) + base - rem) % base
    return sum1 | sum2 << 16


def _bomb_stream(total: int = BOMB_BYTES) -> tuple[bytes, bytes]:
    """A FlateDecode stream of ``total`` spaces after one line of text, made without compressing it all:
    after a full flush deflate forgets its history, so every further chunk compresses to the same bytes."""
    chunk = b" " * _BOMB_CHUNK
    copies = total // _BOMB_CHUNK
    compressor = zlib.compressobj(9)
    text = b"BT /F1 12 Tf 100 700 Td (x) Tj ET\n"
    first = compressor.compress(text + chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.flush()[:-4]  # the final block; its checksum covers only what was fed
    checksum, one = zlib.adler32(text + chunk), zlib.adler32(chunk)
    for _ in range(copies - 1):
        checksum = _adler32_combine(checksum, one, len(chunk))
    return first + repeated * (copies - 1) + end + checksum.to_bytes(4, "big"), b"/FlateDecode"


def _encrypted() -> bytes:
    from io import BytesIO

    from reportlab.pdfgen import canvas

    out = BytesIO()
    c = canvas.Canvas(out, encrypt="user-password")
    c.drawString(60, 780, "2024 budget")
    c.save()
    return out.getvalue()


def _garbage(tag: str) -> bytes:
    return b"%PDF-1.4\n" + tag.encode() + bytes(range(256)) * 8 + b"\n%%EOF\n"


def write_hostile_corpus(folder: Path) -> dict[str, str]:
    """Write every hostile case into ``folder``; {file name: the error_code it must be rejected with}."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    expected: dict[str, str] = {}

    def put(name: str, data: bytes, code: str) -> None:
        (folder / name).write_bytes(data)
        expected[name] = code

    put("blank_100_pages.pdf", _pdf([b""] * 100), "empty_document")
    put("blank_5000_pages.pdf", _pdf([b""] * 5000), "too_many_pages")
    put("char_grid_225k.pdf", _pdf([_grid(450, 500, 1.6)]), "too_many_cells")
    put("char_grid_1m.pdf", _pdf([_grid(1000, 1000, 0.8)]), "too_many_cells")
    # half a million text-positioning and show operators, all at one place
    put("text_operator_bomb.pdf", _pdf([b"BT /F1 12 Tf " + b"100 700 Td (1) Tj -100 -700 Td " * 500_000
                                        + b"ET"]), "no_tables")
    put("flate_bomb.pdf", _pdf([_bomb_stream()]), "memory")
    good = _pdf([b"BT /F1 12 Tf 60 780 Td (2024) Tj ET"])
    put("truncated.pdf", good[: len(good) * 2 // 3], "corrupt_pdf")
    put("garbage.pdf", _garbage("garbage"), "corrupt_pdf")
    put("encrypted.pdf", _encrypted(), "encrypted_pdf")
    # names a careless tool would take for paths, options or log lines; contents unreadable
    for name in ("%2e%2e%2f%2e%2e%2fetc%2fpasswd.pdf", "C:\\..\\..\\windows\\system32.pdf",
                 "-rf --warehouse=x.pdf", "line\nbreak.pdf", "x" * 240 + ".pdf"):
        put(name, _garbage(name), "corrupt_pdf")
    not_utf8 = os.fsdecode(b"\xff\xfe-not-utf8.pdf")
    put(not_utf8, _garbage("not utf-8"), "corrupt_pdf")
    for name, target in (("outside.pdf", "/etc/passwd"), ("inside.pdf", "garbage.pdf"),
                         ("dangling.pdf", "no-such-file.pdf"), ("loop_a.pdf", "loop_b.pdf"),
                         ("loop_b.pdf", "loop_a.pdf")):
        (folder / name).symlink_to(target)
        expected[name] = "symlink"
    try:
        from extractors.generator.hostile_office import write_office_cases
    except ImportError:  # the workbook and HTML cases come with that module
        return expected
    return expected | write_office_cases(folder)
