"""The text reader: encodings, rejections, and the line/cell shape the interpreter relies on."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.extract import extract_file, iter_input_files
from extractors.model import DocumentError
from extractors.readers import reader_for
from extractors.readers.text import read

SEED_000 = "000_58d22dd7e52bac32.txt"


def test_rows_keep_blank_cells_and_text_lines_are_not_rows(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(
        "表二\n\n单位：万元\n科目编码\t科目名称\t总计\n201\t一般公共服务支出\t\n", encoding="utf-8"
    )
    lines = read(path).lines
    assert [(line.is_row, [c.text for c in line.cells]) for line in lines] == [
        (False, ["表二"]),
        (False, ["单位：万元"]),
        (True, ["科目编码", "科目名称", "总计"]),
        (True, ["201", "一般公共服务支出", ""]),
    ]
    assert all(c.page is None for line in lines for c in line.cells)


def test_gbk_copy_reads_identically(seeds_dir: Path, tmp_path: Path) -> None:
    original = seeds_dir / SEED_000
    copy = tmp_path / "gbk.txt"
    copy.write_bytes(original.read_text(encoding="utf-8").encode("gb18030"))
    as_utf8, as_gbk = read(original), read(copy)
    assert [line.text for line in as_gbk.lines] == [line.text for line in as_utf8.lines]
    assert len(extract_file(copy).cells) == len(extract_file(original).cells)


def test_empty_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"\n \n")
    with pytest.raises(DocumentError) as caught:
        read(path)
    assert caught.value.code == "empty_document"
    rejected = extract_file(path).document
    assert (rejected.status, rejected.error_code) == ("rejected", "empty_document")


def test_binary_file_is_rejected_with_its_hash(tmp_path: Path) -> None:
    path = tmp_path / "binary.txt"
    path.write_bytes(bytes(range(256)) * 4)
    extraction = extract_file(path)
    assert extraction.document.status == "rejected"
    assert extraction.document.error_code == "bad_encoding"
    assert len(extraction.document.sha256) == 64
    assert extraction.tables == [] and extraction.cells == []


def test_unknown_suffix_is_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "doc.rtf"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(DocumentError) as caught:
        reader_for(path)
    assert caught.value.code == "unsupported_format"
    assert extract_file(path).document.error_code == "unsupported_format"


def test_iter_input_files_is_sorted_recursive_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in ("b/2.pdf", "a.txt", "b/1.xlsx", ".hidden/x.txt", "b/.x.txt", "notes.md"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert iter_input_files([tmp_path]) == [tmp_path / "a.txt", tmp_path / "b/1.xlsx", tmp_path / "b/2.pdf"]
