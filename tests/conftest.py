"""Shared fixtures: where the third-party documents are, a fresh warehouse per test, and the corpus runs
that many tests only read (real_wide, real_results, seeds_run), made once per test run."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def once_per_run(tmp_path_factory, name: str, make: Callable[[Path], Any]) -> Any:
    """``make(folder)`` run once in this pytest run, for steps that many tests only read (a corpus through
    the whole pipeline). Without xdist it runs in a fresh folder; under xdist the first worker to need it
    runs it in a folder of this run's that all workers share, and the others wait for it and read its
    (pickled) value. That value holds only types of importable modules: a class of a conftest does not
    unpickle, as pytest imports each conftest.py under the one name ``conftest``."""
    import pickle

    from filelock import FileLock

    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        return make(tmp_path_factory.mktemp(name))
    shared = tmp_path_factory.getbasetemp().parent / name  # this run's, shared by its workers
    shared.mkdir(exist_ok=True)
    value = shared / "value.pickle"
    with FileLock(str(shared / "run.lock")):
        if not value.exists():
            value.write_bytes(pickle.dumps(make(shared)))
    return pickle.loads(value.read_bytes())


@pytest.fixture(scope="session")
def real_wide(shared_dir: Path, tmp_path_factory) -> RealWide:
    """../shared/real-wide run once for every test that reads it (outcomes, accuracy, verdicts): a run of
    the 111 files is the suite's longest step. Its tests share the ``real_wide`` xdist group, and
    ``once_per_run`` runs it once should they ever land on two workers."""
    from bench.real_report import evaluate_folder
    from extractors.extract import iter_input_files

    folder = shared_dir / "real-wide"
    if not folder.is_dir():
        pytest.skip(f"{folder} not found: the wide real corpus is read from ../shared, never copied")

    def run(out: Path) -> tuple[Path, list]:
        warehouse = out / "w.duckdb"
        return warehouse, evaluate_folder(iter_input_files([folder]), warehouse)

    return RealWide(*once_per_run(tmp_path_factory, "real_wide", run))


@pytest.fixture(scope="session")
def real_results(real_dir: Path, tmp_path_factory) -> list:
    """bench.real_report's result per disclosure of ../shared/real (its parts joined), run once for the
    tests that read it."""
    from bench.real_report import evaluate_folder
    from extractors.extract import iter_input_files

    return once_per_run(tmp_path_factory, "real_results",
                        lambda out: evaluate_folder(iter_input_files([real_dir]), out / "w.duckdb"))


@pytest.fixture(scope="session")
def seeds_run(seeds_dir: Path, tmp_path_factory) -> Path:
    """The warehouse of ``budgetwh run`` over ../shared/seeds, run once for the modules that only read it
    (the seeds end to end, accuracy, completeness); a test that changes it works on a copy."""
    from extractors.cli import main

    def run(out: Path) -> Path:
        warehouse = out / "w.duckdb"
        assert main(["run", "--input", str(seeds_dir), "--warehouse", str(warehouse), "--workers", "1"]) == 0
        return warehouse

    return once_per_run(tmp_path_factory, "seeds_run", run)
