"""Readers turn one published file into a ``SourceDocument`` (see ``extractors.model``).

Each format has one module exposing ``read(path: Path) -> SourceDocument``. The registry maps a file
suffix to that function by dotted name, so a format's heavy dependencies (pdfplumber, openpyxl, lxml)
load only when a file of that format is read.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path

from extractors.model import DocumentError, SourceDocument

Reader = Callable[[Path], SourceDocument]

READERS: dict[str, str] = {
    ".txt": "extractors.readers.text:read",
    ".pdf": "extractors.readers.pdf:read",
    ".xlsx": "extractors.readers.xlsx:read",
    ".xls": "extractors.readers.xlsx:read",
    ".html": "extractors.readers.html:read",
    ".htm": "extractors.readers.html:read",
}


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in READERS


def reader_for(path: Path) -> Reader:
    """The ``read`` function for ``path``'s format; ``DocumentError('unsupported_format')`` otherwise."""
    target = READERS.get(path.suffix.lower())
    if target is None:
        supported = ", ".join(sorted(READERS))
        raise DocumentError(
            "unsupported_format", f"{path.name}: suffix {path.suffix or '(none)'!r} is not one of {supported}"
        )
    module_name, _, function_name = target.partition(":")
    try:
        module = import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        raise DocumentError(
            "unsupported_format", f"{path.name}: the reader for {path.suffix} files is not installed"
        ) from exc
    return getattr(module, function_name)
