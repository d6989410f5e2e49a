"""Classification name → code tables built from the code–name pairs our corpora print.

``python -m extractors.subject_names CORPUS...`` extracts every file of the given folders with the
project's own interpreter, keeps the classification rows printed WITH their code (function codes 2…,
economic codes 3… for departments and 5… for governments) and writes the dbt seeds
``function_subject_names`` and ``economic_subject_names``: one line per (code, normalised name), with
the first corpus file printing it (``source``, as ``<corpus folder>/<file name>``) and how many
documents print it. Nothing of a document but the code and the name is kept. Rows the interpreter
itself coded from their name (issue ``subject_code_from_name``) are not evidence and are left out.

The interpreter reads the seeds back (``mappings.subject_codes``) to code rows printed with names only.
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from extractors.extract import extract_file, iter_input_files
from extractors.interpret.mappings import SEEDS_DIR, scheme_of, subject_key
from extractors.interpret.metadata import clean_department
from extractors.model import Extraction

_SUBJECT_CODE = re.compile(r"^(?:2\d{2}|[35]\d{2})(?:\d{2}){0,2}$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# The message of a ``subject_code_from_name`` issue starts with the row it coded (grid.py).
_CODED_ROW = re.compile(r"^row (\d+)\b")
CODE_FROM_NAME = "subject_code_from_name"


def _names_a_unit(name: str) -> bool:
    """A budget unit's name read beside a code (无锡市人力资源和社会保障局 by 309): no subject name."""
    return bool(clean_department(name)) and bool(re.search(r"[省市县]", name))


def printed_pairs(extraction: Extraction) -> set[tuple[str, str]]:
    """(code, name key) of the classification rows printed with both."""
    coded_from_name = {
        (issue.table_index, int(m.group(1)))
        for issue in extraction.issues
        if issue.code == CODE_FROM_NAME and (m := _CODED_ROW.match(issue.message))
    }
    pairs = set()
    for cell in extraction.cells:
        if (
            cell.row_kind == "subject"
            and cell.row_code
            and _SUBJECT_CODE.match(cell.row_code)
            and cell.row_name
            and (cell.table_index, cell.row_index) not in coded_from_name
        ):
            name = subject_key(cell.row_name)
            if _CJK.search(name) and not re.search(r"\d", name) and not _names_a_unit(name):
                pairs.add((cell.row_code, name))
    return pairs


def _pairs_of(item: tuple[str, Path]) -> tuple[str, set[tuple[str, str]]]:
    corpus, path = item
    return f"{corpus}/{path.name}", printed_pairs(extract_file(path))


def build(corpora: Iterable[Path], workers: int = 2) -> dict[str, list[tuple[str, str, str, int]]]:
    """Rows (code, name, source, documents) per scheme, sorted by code then name."""
    items = [(Path(c).name, f) for c in corpora for f in iter_input_files([Path(c)])]
    seen: dict[tuple[str, str], list[str]] = {}
    with ProcessPoolExecutor(workers) as pool:
        for source, pairs in pool.map(_pairs_of, items):
            for pair in pairs:
                seen.setdefault(pair, []).append(source)
    rows: dict[str, list[tuple[str, str, str, int]]] = {"function": [], "economic": []}
    for (code, name), sources in sorted(seen.items()):
        rows[scheme_of(code)].append((code, name, min(sources), len(sources)))
    return rows


def write(rows: dict[str, list[tuple[str, str, str, int]]], directory: Path = SEEDS_DIR) -> None:
    for scheme, lines in rows.items():
        with open(directory / f"{scheme}_subject_names.csv", "w", encoding="utf-8", newline="") as f:
            out = csv.writer(f, lineterminator="\n")
            out.writerow(["subject_code", "subject_name", "source", "documents"])
            out.writerows(lines)


def main(argv: list[str] | None = None) -> int:
    corpora = [Path(a) for a in (argv if argv is not None else sys.argv[1:])]
    if not corpora:
        print("usage: python -m extractors.subject_names CORPUS_DIR...", file=sys.stderr)
        return 1
    rows = build(corpora)
    write(rows)
    for scheme, lines in rows.items():
        print(f"{scheme}: {len(lines)} code–name pairs, {len({c for c, *_ in lines})} codes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
