"""Shared fixtures: where the third-party documents are, and a fresh warehouse per test."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the checkout (CI has it); tests that need it skip, saying why, without it."""
    if not (SHARED / "seeds").is_dir():
        pytest.skip(f"{SHARED} not found: third-party documents are read from ../shared, never copied")
    return SHARED


@pytest.fixture(scope="session")
def seeds_dir(shared_dir: Path) -> Path:
    return shared_dir / "seeds"


@pytest.fixture(scope="session")
def real_dir(shared_dir: Path) -> Path:
    return shared_dir / "real"


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"


@dataclass(frozen=True)
class RealWide:
    warehouse: Path  # every file of ../shared/real-wide through the whole pipeline
    results: list  # bench.real_report.DocumentResult per disclosure (its parts joined)


@pytest.fixture(scope="session")
def real_wide(shared_dir: Path, tmp_path_factory) -> RealWide:
    """../shared/real-wide run once for every test that reads it (outcomes, accuracy, verdicts): a run of
    the 111 files is the suite's longest step. Its tests share the ``real_wide`` xdist group; should they
    ever land on two workers, the first to need it runs it and the others wait for it and read its
    results, so the suite runs it once."""
    import pickle

    from filelock import FileLock

    from bench.real_report import evaluate_folder
    from extractors.extract import iter_input_files

    folder = shared_dir / "real-wide"
    if not folder.is_dir():
        pytest.skip(f"{folder} not found: the wide real corpus is read from ../shared, never copied")
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        warehouse = tmp_path_factory.mktemp("real_wide") / "w.duckdb"
        return RealWide(warehouse, evaluate_folder(iter_input_files([folder]), warehouse))
    shared = tmp_path_factory.getbasetemp().parent / "real_wide"  # this run's, shared by its workers
    shared.mkdir(exist_ok=True)
    warehouse, results = shared / "w.duckdb", shared / "results.pickle"
    with FileLock(str(shared / "run.lock")):
        if not results.exists():
            results.write_bytes(pickle.dumps(evaluate_folder(iter_input_files([folder]), warehouse)))
    return RealWide(warehouse, pickle.loads(results.read_bytes()))
