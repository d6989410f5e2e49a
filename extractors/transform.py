"""Build the dbt project (``dbt_project/``: staging → intermediate → marts) on a warehouse file.

The pipeline builds in two phases around validation::

    build(warehouse, exclude="tag:post_validation")  # everything the rule catalogue reads
    ...                                               # expectations runner writes validation.rule_results
    build(warehouse, select="tag:post_validation")   # fct_reconciliation_result, dim_document

dbt runs in process through ``dbtRunner`` with its target and log directories in a fresh temporary
directory, so concurrent builds (Airflow tasks, tests) never share dbt's working files. A process parses
the project once per warehouse name and project state (``_parsed``): the second build of a run, and
every later one of a long-lived process, starts from that manifest. Runnable without Airflow:
``python -m extractors.transform WAREHOUSE [--select ...] [--exclude ...] [--unit-tests]``.

A build runs the data tests (they check the data it wrote) but not dbt's unit tests, which check the
models' SQL against fixed inputs and so cannot change from one night to the next: dbt's advice is to run
them in development and CI (``--unit-tests``; the test suite does), not in production. Nor does a build
write dbt's JSON artefacts, which nothing reads from its temporary directory. Both took a seeds build
from 10.9 s to 8.6 s; the unit tests were 12 of its 292 nodes.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from extractors.orchestration_config import dbt_profiles_dir, dbt_project_dir

WAREHOUSE_ENV = "BUDGETWH_WAREHOUSE"  # read by dbt_project/profiles.yml

# dbt takes the warehouse path from the environment, which a process shares: one build at a time per
# process (dbtRunner is not meant to run concurrently in one process either).
_BUILD_LOCK = threading.Lock()

_FAILED = {"error", "fail", "runtime error"}

# parsed manifests by (warehouse name, project state): see _parsed
_MANIFESTS: dict[tuple, object] = {}


class TransformError(Exception):
    """dbt could not build the warehouse; ``failed_nodes`` names what failed (empty: dbt itself did)."""

    def __init__(self, message: str, failed_nodes: tuple[str, ...] = ()):
        super().__init__(message)
        self.failed_nodes = failed_nodes


@dataclass(frozen=True)
class BuildResult:
    """What one ``dbt build`` did: nodes that succeeded by kind, and tests that only warned."""

    seeds: int
    models: int
    tests: int
    unit_tests: int
    warned_tests: tuple[str, ...]
    seconds: float


@cache
def project_vars() -> dict:
    """The dbt project's ``vars`` (``dbt_project.yml``): the CONTRACT keys and the table families, which
    the rule catalogue reads too (``expectations.runner``)."""
    import yaml

    return yaml.safe_load((dbt_project_dir() / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]


def dbt_arguments(command: str, target_dir: Path, select: str | None, exclude: str | None) -> list[str]:
    """dbt's command line for one build in ``target_dir``, its private target and log directory."""
    args = [
        command,
        "--project-dir", str(dbt_project_dir()),
        "--profiles-dir", str(dbt_profiles_dir()),
        "--target-path", str(target_dir / "target"),
        "--log-path", str(target_dir / "logs"),
        # failures come back as TransformError; dbt's own console lines would only repeat them
        "--log-level", "none",
        "--log-level-file", "none",
        "--no-use-colors",
        "--no-send-anonymous-usage-stats",
    ]
    if select:
        args += ["--select", select]
    if exclude:
        args += ["--exclude", exclude]
    return args


def build(warehouse: Path, select: str | None = None, exclude: str | None = None,
          unit_tests: bool = False) -> BuildResult:
    """Run ``dbt build`` (seeds, models and data tests; with ``unit_tests``, dbt's unit tests too) on
    ``warehouse``.

    Raises ``TransformError`` naming the failing nodes when any model, seed or error-level test fails.
    """
    from dbt.cli.main import dbtRunner
    from dbt.contracts.results import RunExecutionResult

    warehouse = Path(warehouse).resolve()
    if not warehouse.is_file():
        raise TransformError(f"warehouse {warehouse} does not exist: load staging into it before building")
    started = time.monotonic()
    with _BUILD_LOCK, tempfile.TemporaryDirectory(prefix="budgetwh-dbt-") as work_dir:
        previous = os.environ.get(WAREHOUSE_ENV)
        os.environ[WAREHOUSE_ENV] = str(warehouse)
        try:
            runner = dbtRunner(manifest=_parsed(Path(work_dir)))
            leave_out = [] if unit_tests else ["--exclude-resource-type", "unit_test"]
            outcome = runner.invoke([*dbt_arguments("build", Path(work_dir), select, exclude), *leave_out,
                                     "--no-write-json"])
        finally:
            _release_warehouse()
            if previous is None:
                del os.environ[WAREHOUSE_ENV]
            else:
                os.environ[WAREHOUSE_ENV] = previous
    if outcome.exception is not None:
        raise TransformError(f"dbt build could not run on {warehouse}: {outcome.exception}")
    results = list(outcome.result.results) if isinstance(outcome.result, RunExecutionResult) else []
    failed = [r for r in results if str(r.status) in _FAILED]
    if failed or not outcome.success:
        names = tuple(r.node.name for r in failed)
        details = "; ".join(f"{r.node.resource_type} {r.node.name}: {_short_message(r.message)}"
                            for r in failed)
        raise TransformError(f"dbt build failed on {warehouse}: {details or 'see dbt output'}", names)
    succeeded = Counter(str(r.node.resource_type) for r in results if str(r.status) in {"success", "pass"})
    return BuildResult(
        seeds=succeeded["seed"],
        models=succeeded["model"],
        tests=succeeded["test"],
        unit_tests=succeeded["unit_test"],
        warned_tests=tuple(sorted(r.node.name for r in results if str(r.status) == "warn")),
        seconds=round(time.monotonic() - started, 2),
    )


def _parsed(work_dir: Path):
    """The project's manifest for the warehouse dbt is pointed at (``BUDGETWH_WAREHOUSE``), parsed by the
    first build of this process that needs it (``None`` when dbt could not parse: the build then parses
    and reports why). Parsing is 4–6 s of a small build. What a manifest holds of the profile is the
    warehouse's database name, dbt-duckdb's name for the attached file (its stem); of the project, every
    file of it: the key holds both, each file by path, size and modification time, so an edited model is
    parsed again."""
    from dbt.cli.main import dbtRunner

    project = dbt_project_dir()
    files = sorted(
        (str(p.relative_to(project)), p.stat().st_size, p.stat().st_mtime_ns)
        for p in project.rglob("*")
        if p.is_file() and p.relative_to(project).parts[0] not in {"target", "logs"}
    )
    database = Path(os.environ.get(WAREHOUSE_ENV, "warehouse.duckdb")).stem
    key = (database, str(dbt_profiles_dir()), tuple(files))
    if key not in _MANIFESTS:
        outcome = dbtRunner().invoke(dbt_arguments("parse", work_dir, None, None))
        if not outcome.success:
            return None
        for older in [k for k in _MANIFESTS if k[1:] != key[1:]]:  # a project state not built again
            del _MANIFESTS[older]
        _MANIFESTS[key] = outcome.result
    return _MANIFESTS[key]


def _release_warehouse() -> None:
    """Close the DuckDB database dbt-duckdb keeps open after a build.

    dbt-duckdb caches one open database per process for reuse between invocations; left open, it holds
    the file's lock (other processes cannot open the warehouse) and pins its configuration (this process
    cannot open it read-only). dbt offers no public call to release it, hence the adapter's class state.
    """
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        environment, DuckDBConnectionManager._ENV = DuckDBConnectionManager._ENV, None
        if environment is not None:
            environment.close()


def _short_message(message: str | None) -> str:
    """dbt's message for a node, shortened: its heading and, for a runtime error, the cause below it
    (``Runtime Error in model x (path)`` / ``Out of Memory Error: …``)."""
    lines = [line.strip() for line in (message or "").splitlines() if line.strip()]
    if not lines:
        return "failed"
    return " ".join(lines[:2]) if lines[0].startswith("Runtime Error") else lines[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extractors.transform",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--select")
    parser.add_argument("--exclude")
    parser.add_argument("--unit-tests", action="store_true", help="run dbt's unit tests too")
    args = parser.parse_args(argv)
    try:
        result = build(args.warehouse, args.select, args.exclude, args.unit_tests)
    except TransformError as e:
        print(e, file=sys.stderr)
        return 1
    print(
        f"built {result.models} models, {result.seeds} seeds; {result.tests} tests and {result.unit_tests} "
        f"unit tests passed, {len(result.warned_tests)} warned, in {result.seconds} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
