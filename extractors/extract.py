"""One file in, one ``Extraction`` out: read with the format's reader, then interpret.

A file that cannot be read (``DocumentError``) or that breaks the interpreter still yields an
Extraction: its document row has status ``rejected`` with the error code and message and the sha256
of its bytes, so nothing given to the pipeline is lost.

``python -m extractors.extract FILE...`` prints a one-line summary per file.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from extractors.interpret import interpret
from extractors.model import DocumentError, Extraction, StagedDocument, document_id_for, file_sha256
from extractors.orchestration_config import extraction_limits
from extractors.readers import is_supported, reader_for

# Numbered parts of one disclosure published as several files (Beijing: 附件1 情况说明, 附件2 报表).
PART_NAME = re.compile(r"^(?:\d+_)?(?P<stem>.*?)附件\s*\d+")


def rejected(path: Path, source_url: str | None, code: str, message: str) -> Extraction:
    """A document that could not be extracted, keyed as ``model.file_sha256`` keys it."""
    sha256 = file_sha256(path)
    return Extraction(
        document=StagedDocument(
            document_id=document_id_for(sha256),
            sha256=sha256,
            source_path=str(path),
            source_url=source_url,
            file_type=path.suffix.lower().lstrip(".") or None,
            document_type=None,
            fiscal_year=None,
            province_name=None,
            region_name=None,
            department_name=None,
            unit_code=None,
            title=None,
            page_count=None,
            status="rejected",
            error_code=code,
            error_message=message,
        )
    )


def extract_file(path: Path, source_url: str | None = None, metadata: dict | None = None,
                 parts: Iterable[Path] = ()) -> Extraction:
    """One document → its staging rows; ``parts`` are further files of the same disclosure, read after
    ``path`` and joined into one document keyed by ``path``'s bytes. Never raises: a document that
    cannot be read comes back rejected, with its reason."""
    from extractors.readers.pdf import join_documents

    path = Path(path)
    try:
        for given in (path, *parts):
            if Path(given).is_symlink():
                raise DocumentError("symlink", f"{Path(given).name}: a symbolic link (to "
                                    f"{os.readlink(given)}); links are not followed, give the file itself")
        doc = reader_for(path)(path)
        if parts:
            doc = join_documents([doc, *(reader_for(Path(p))(Path(p)) for p in parts)])
        _check_cells(doc)
        doc.source_url = source_url or doc.source_url
        doc.metadata.update(metadata or {})
        extraction = interpret(doc)
        if extraction.tables and not any(t.table_type for t in extraction.tables):
            # tables of no known type give no facts: loading the document would show it as read
            raise DocumentError("no_tables", f"{path.name}: {len(extraction.tables)} table(s) found, none a "
                                "budget or final-account table")
        return extraction
    except DocumentError as exc:
        return rejected(path, source_url, exc.code, exc.message)
    except MemoryError:
        return rejected(path, source_url, "memory", f"{path.name}: ran out of memory while extracting "
                        "(BUDGETWH_ADDRESS_SPACE_MB)")
    except Exception as exc:  # noqa: BLE001 - a broken document must not stop the run; it is recorded
        return rejected(path, source_url, "extraction_failed", f"{type(exc).__name__}: {exc}")


def _check_cells(doc) -> None:
    """``DocumentError('too_many_cells')`` past the per-document cell budget, whatever the format."""
    limit = extraction_limits().max_cells
    cells = sum(len(line.cells) for line in doc.lines)
    if cells > limit:
        raise DocumentError("too_many_cells", f"{doc.path.name}: {cells:,} cells, more than the limit of "
                            f"{limit:,} a document (BUDGETWH_MAX_CELLS)")


def iter_input_files(paths: Iterable[Path]) -> list[Path]:
    """Files to ingest: given files as they are, folders expanded recursively to supported files.

    Sorted and deduplicated so runs are deterministic; hidden files and folders are skipped.
    """
    found: set[Path] = set()
    for given in map(Path, paths):
        if given.is_dir():
            for candidate in given.rglob("*"):
                relative = candidate.relative_to(given).parts
                if (
                    (candidate.is_file() or candidate.is_symlink())  # a link is refused, not skipped
                    and is_supported(candidate)
                    and not any(p.startswith(".") for p in relative)
                ):
                    found.add(candidate)
        else:
            found.add(given)
    return sorted(found)


def group_parts(paths: Iterable[Path]) -> list[list[Path]]:
    """Files in order, those that are numbered parts (附件1, 附件2) of one disclosure grouped together."""
    groups: dict[str, list[Path]] = {}
    for path in sorted(map(Path, paths)):
        match = PART_NAME.match(path.stem)
        key = str(path.parent / match.group("stem")) if match else str(path)
        groups.setdefault(key, []).append(path)
    return list(groups.values())


def main(argv: list[str] | None = None) -> int:
    for path in iter_input_files(Path(a) for a in (argv if argv is not None else sys.argv[1:])):
        e = extract_file(path)
        d = e.document
        print(
            f"{path}: {d.status} {d.error_code or ''} type={d.document_type} year={d.fiscal_year} "
            f"dept={d.department_name} tables={len(e.tables)} cells={len(e.cells)} "
            f"figures={len(e.narrative)} issues={len(e.issues)}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
