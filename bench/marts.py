"""dbt build and validation as the warehouse grows, and the incremental rebuild for a delta.

PDFs are far too slow to reach a million documents, so the staged rows of a small extracted base (the
end-to-end section's warehouse, or one built here from generated documents) are replicated in SQL under
new document ids, each copy a department of its own (so no copy supersedes another). The facts per
document are real extractor output; only their number grows.

At each size: a full rebuild (``dbt build --full-refresh``, what a new extractor version costs), the
validation of every document (``expectations.runner.validate``) and the result marts. Then a delta of new
documents is staged and the pipeline's own ``transform`` (dbt build, incremental models) times the
nightly rebuild.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
from pathlib import Path

import duckdb

from bench.figures import REPO, Figure, bench_command, say

STAGING_CHILDREN = ("tables", "cells", "narrative_figures", "extraction_issues")
DBT = REPO / ".venv" / "bin" / "dbt"


def replicate(warehouse: Path, documents: int) -> int:
    """Stage copies of the base documents until ``documents`` loaded documents are staged; returns that count.

    The base is the documents staged before any copy; copy ``k`` of base document ``d`` gets the id
    ``left(md5(d || '#' || k), 16)`` (the shape of a real id) and the department name ``<name> #k``.
    """
    con = duckdb.connect(str(warehouse))
    try:
        con.execute("create table if not exists bench_base as select document_id from staging.documents "
                    "where status = 'loaded'")
        base = con.execute("select count(*) from bench_base").fetchone()[0]
        staged = con.execute("select count(*) from staging.documents where status = 'loaded'").fetchone()[0]
        first_copy = staged // base
        last_copy = -(-documents // base) - 1
        if last_copy < first_copy:
            return staged
        con.execute("begin transaction")
        con.execute(
            "create temp table copies as select b.document_id as base_id, k.range as copy, "
            "left(md5(b.document_id || '#' || k.range), 16) as document_id "
            "from bench_base b cross join range(?, ?) k", [first_copy, last_copy + 1])
        con.execute("""
            insert into staging.documents
            select d.* replace (c.document_id as document_id, md5(c.document_id) as sha256,
                                d.department_name || ' #' || c.copy as department_name,
                                current_timestamp as loaded_at)
            from staging.documents d join copies c on d.document_id = c.base_id""")
        for table in STAGING_CHILDREN:
            con.execute(f"insert into staging.{table} select t.* replace (c.document_id as document_id) "
                        f"from staging.{table} t join copies c on t.document_id = c.base_id")
        con.execute("commit")
        return con.execute("select count(*) from staging.documents where status = 'loaded'").fetchone()[0]
    finally:
        con.close()


def staged_cells(warehouse: Path) -> int:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("select count(*) from staging.cells").fetchone()[0]
    finally:
        con.close()


def full_rebuild_command(warehouse: Path) -> list[str]:
    return [str(DBT), "build", "--full-refresh", "--exclude", "tag:post_validation",
            "--project-dir", str(REPO / "dbt_project"), "--profiles-dir", str(REPO / "dbt_project"),
            "--target-path", str(warehouse.parent / "dbt-target"),
            "--log-path", str(warehouse.parent / "dbt-logs"), "--quiet"]


def full_rebuild(warehouse: Path) -> float:
    start = time.perf_counter()
    subprocess.run(full_rebuild_command(warehouse), check=True, cwd=REPO,
                   env={**os.environ, "BUDGETWH_WAREHOUSE": str(warehouse)})
    return time.perf_counter() - start


def _timed(step, *args) -> tuple[float, object]:
    start = time.perf_counter()
    result = step(*args)
    return time.perf_counter() - start, result


def _size_label(documents: int) -> str:
    return f"{documents // 1000}k" if documents % 1000 == 0 and documents < 1_000_000 else \
        f"{documents / 1_000_000:g}M" if documents % 100_000 == 0 else str(documents)


def measure(base: Path, work: Path, sizes: list[int], delta: int, validate_up_to: int) -> list[Figure]:
    """Figures for ``sizes`` (ascending document counts) and the incremental rebuild after ``delta`` more."""
    from expectations.runner import validate as validate_documents
    from extractors.pipeline import finalize, new_run_id, transform, validate

    warehouse = work / "marts.duckdb"
    shutil.copyfile(base, warehouse)
    command = bench_command("--only", "marts", "--sizes", ",".join(map(str, sizes)), "--delta", delta,
                            "--validate-up-to", validate_up_to)
    figures: list[Figure] = []
    print(f"\n== marts as they grow (replicated staging of {base.name}); full rebuild command:\n"
          f"   BUDGETWH_WAREHOUSE=<file> {shlex.join(full_rebuild_command(warehouse))}")
    print(f"{'documents':>10}{'cells':>14}{'replicate s':>13}{'dbt full s':>12}{'validate s':>12}"
          f"{'finalize s':>12}")
    for size in sizes:
        say(f"marts: staging {size} documents")
        seconds_replicate, documents = _timed(replicate, warehouse, size)
        cells = staged_cells(warehouse)
        label = _size_label(size)
        say(f"marts: {documents} documents, {cells} cells: full dbt rebuild")
        seconds_build = full_rebuild(warehouse)
        figures.append(Figure(f"dbt_full_build_seconds_{label}", seconds_build, "s", command))
        seconds_validate = seconds_finalize = float("nan")
        if size <= validate_up_to:
            say(f"marts: validating {documents} documents")
            seconds_validate, _ = _timed(validate, warehouse, new_run_id())
            seconds_finalize, _ = _timed(finalize, warehouse)
            figures.append(Figure(f"validation_seconds_{label}", seconds_validate, "s", command))
            figures.append(Figure(f"finalize_seconds_{label}", seconds_finalize, "s", command))
        print(f"{documents:>10}{cells:>14}{seconds_replicate:>13.1f}{seconds_build:>12.1f}"
              f"{seconds_validate:>12.1f}{seconds_finalize:>12.1f}")

    largest, delta_label = _size_label(sizes[-1]), _size_label(delta)
    say(f"marts: staging a delta of {delta} new documents on {largest}")
    built = loaded_documents(warehouse)
    replicate(warehouse, sizes[-1] + delta)
    new_documents = sorted(loaded_documents(warehouse) - built)
    seconds_incremental, _ = _timed(transform, warehouse)
    full = next(f.value for f in figures if f.name == f"dbt_full_build_seconds_{largest}")
    figures.append(Figure(f"dbt_incremental_build_seconds_{delta_label}_on_{largest}",
                          seconds_incremental, "s", command, baseline=full, target="< 120"))
    print(f"incremental dbt build (pipeline transform) after {len(new_documents)} new documents on "
          f"{largest}: {seconds_incremental:.1f} s (full rebuild {full:.1f} s)")
    if delta <= validate_up_to:
        say(f"marts: validating the {len(new_documents)} new documents only")
        seconds_scoped, _ = _timed(validate_documents, warehouse, new_run_id(), new_documents)
        figures.append(Figure(f"validation_scoped_seconds_{delta_label}_on_{largest}", seconds_scoped, "s",
                              command))
        print(f"validation scoped to the {len(new_documents)} new documents: {seconds_scoped:.1f} s")
    return figures


def loaded_documents(warehouse: Path) -> set[str]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {r[0] for r in con.execute("select document_id from staging.documents where status = 'loaded'")
                .fetchall()}
    finally:
        con.close()
