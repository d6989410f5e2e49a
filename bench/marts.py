"""dbt build and validation as the warehouse grows, and the incremental rebuild for a delta.

PDFs are far too slow to reach a million documents, so the staged rows of a small extracted base (the
end-to-end section's warehouse, or one built here from generated documents) are replicated in SQL under
new document ids, each copy a department of its own (so no copy supersedes another). The facts per
document are real extractor output; only their number grows.

At each size: a full rebuild (``dbt build --full-refresh``, what a change of model SQL costs; past
``FULL_REBUILD_MAX_DOCUMENTS`` the size is reached by incremental builds of 100k documents instead), the
warehouse file's size, the validation of every document (``expectations.runner.validate``) and the result
marts. Then a delta of new documents is staged and the pipeline's own ``transform`` (dbt build, models
incremental by document) times the nightly rebuild, and once more with nothing new.

The disk is watched: replication and the builds stop (the figures measured so far are kept) when less
than ``MIN_FREE_DISK_BYTES`` would remain free.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_context
from pathlib import Path

import duckdb

from bench.figures import REPO, Figure, bench_command, say
from extractors.load import MEMORY_LIMIT_ENV

STAGING_CHILDREN = ("tables", "cells", "narrative_figures", "extraction_issues")
DBT = REPO / ".venv" / "bin" / "dbt"
# Copies staged per transaction: one transaction of a million documents' cells (~0.5 G rows) would hold
# all of them until commit; 10k documents' worth (~5.6 M cells) keeps each commit's memory modest (50k
# ran out of a 4 GB limit committing at 300k documents).
REPLICATE_BATCH_DOCUMENTS = 10_000
# DuckDB's default memory limit is 80 % of the machine; the bench shares it with everyone else
REPLICATE_MEMORY_LIMIT = "4GB"
# Stop before the disk does: the machine is shared, and a full disk breaks every other job on it.
MIN_FREE_DISK_BYTES = 20 * 1024**3
# A full rebuild writes the new tables before it drops the old ones: the file grows past its final size.
FULL_REBUILD_HEADROOM = 1.5
# Larger sizes are reached by incremental steps: a full rebuild of 1 M documents (564 M cells) under a
# 4 GB cap spilled 41 GB of temporary files beside a 20 GB file within 10 minutes and was stopped.
FULL_REBUILD_MAX_DOCUMENTS = 100_000
# how often a full rebuild's disk use is checked while it runs (its spill grows fast)
DISK_POLL_SECONDS = 5
# When a full rebuild would not fit, a size is reached by incremental builds of this many new documents
# each (a backfill), which never hold two copies of the big tables.
GROWTH_STEP_DOCUMENTS = 100_000
# Reaching a size (the full rebuild, the backfill steps of 100k documents, 56 M cells each) is set-up, not
# the nightly path the targets are about: it runs with this DuckDB memory limit unless
# BUDGETWH_MEMORY_LIMIT is set (a 100k step at 400k documents failed under 1.5 GB). The delta after it
# is built with the pipeline's own default.
BUILD_UP_MEMORY_LIMIT = "4GB"


class DiskLow(RuntimeError):
    """Going on would leave less than MIN_FREE_DISK_BYTES free."""


def check_disk(path: Path) -> int:
    """Free bytes on ``path``'s file system; raises DiskLow below the floor."""
    free = shutil.disk_usage(path).free
    if free < MIN_FREE_DISK_BYTES:
        raise DiskLow(f"{free / 1024**3:.1f} GB free on {path}, under the "
                      f"{MIN_FREE_DISK_BYTES / 1024**3:.0f} GB floor: stopping")
    return free


def replicate(warehouse: Path, documents: int) -> int:
    """Stage copies of the base documents until ``documents`` loaded documents are staged; returns that count.

    The base is the documents staged before any copy; copy ``k`` of base document ``d`` gets the id
    ``left(md5(d || '#' || k), 16)`` (the shape of a real id) and the department name ``<name> #k``. The
    base's rows are kept in tables of their own (``bench_base_<table>``), so staging a batch of copies
    reads the few base rows, never the growing staging tables.
    """
    con = duckdb.connect(str(warehouse), config={"memory_limit": REPLICATE_MEMORY_LIMIT,
                                                 "preserve_insertion_order": False})
    try:
        con.execute("create table if not exists bench_base as select document_id from staging.documents "
                    "where status = 'loaded'")
        for table in ("documents", *STAGING_CHILDREN):
            con.execute(f"create table if not exists bench_base_{table} as select * from staging.{table} "
                        "where document_id in (select document_id from bench_base)")
        base = con.execute("select count(*) from bench_base").fetchone()[0]
        staged = con.execute("select count(*) from staging.documents where status = 'loaded'").fetchone()[0]
        first_copy = staged // base
        last_copy = -(-documents // base) - 1
        batch = max(1, REPLICATE_BATCH_DOCUMENTS // base)
        for start in range(first_copy, last_copy + 1, batch):
            check_disk(warehouse.parent)
            _stage_copies(con, start, min(start + batch, last_copy + 1))
        return con.execute("select count(*) from staging.documents where status = 'loaded'").fetchone()[0]
    finally:
        con.close()


def _stage_copies(con: duckdb.DuckDBPyConnection, first_copy: int, end_copy: int) -> None:
    """Copies ``first_copy`` .. ``end_copy - 1`` of every base document, in one transaction."""
    con.execute("begin transaction")
    con.execute(
        "create or replace temp table copies as select b.document_id as base_id, k.range as copy, "
        "left(md5(b.document_id || '#' || k.range), 16) as document_id "
        "from bench_base b cross join range(?, ?) k", [first_copy, end_copy])
    con.execute("""
        insert into staging.documents
        select d.* replace (c.document_id as document_id, md5(c.document_id) as sha256,
                            d.department_name || ' #' || c.copy as department_name,
                            current_timestamp as loaded_at)
        from bench_base_documents d join copies c on d.document_id = c.base_id""")
    for table in STAGING_CHILDREN:
        con.execute(f"insert into staging.{table} select t.* replace (c.document_id as document_id) "
                    f"from bench_base_{table} t join copies c on t.document_id = c.base_id")
    con.execute("commit")


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
    """Seconds of ``dbt build --full-refresh``; stopped (DiskLow) if its spill nears the disk floor."""
    start = time.perf_counter()
    with build_up_memory():
        build = subprocess.Popen(full_rebuild_command(warehouse), cwd=REPO,
                                 env={**os.environ, "BUDGETWH_WAREHOUSE": str(warehouse)})
    try:
        while build.poll() is None:
            check_disk(warehouse.parent)
            time.sleep(DISK_POLL_SECONDS)
    except DiskLow:
        build.terminate()
        build.wait()
        raise
    if build.returncode:
        raise subprocess.CalledProcessError(build.returncode, build.args)
    return time.perf_counter() - start


@contextmanager
def build_up_memory():
    """BUDGETWH_MEMORY_LIMIT at BUILD_UP_MEMORY_LIMIT (unless set) while a size is reached."""
    given = os.environ.get(MEMORY_LIMIT_ENV)
    os.environ[MEMORY_LIMIT_ENV] = given or BUILD_UP_MEMORY_LIMIT
    try:
        yield
    finally:
        if given is None:
            del os.environ[MEMORY_LIMIT_ENV]


def in_own_process(step, *args) -> tuple[float, float]:
    """Seconds and peak resident MiB of ``step(*args)`` in a fresh process, as an Airflow task runs it: the
    bench's own process has held a 4 GB DuckDB by then, so its high-water mark says nothing of the step."""
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        return pool.submit(_seconds_and_peak, step, *args).result()


def _seconds_and_peak(step, *args) -> tuple[float, float]:
    seconds, _ = _timed(step, *args)
    return seconds, own_peak_rss_mib()


def own_peak_rss_mib() -> float:
    """This process's peak resident memory since it started its program (``VmHWM``, per address space).

    Not ``ru_maxrss``: Linux keeps it across ``execve``, so a spawned child starts with its parent's
    resident size at the fork (4.8 GB in the bench after the build-up) as its high-water mark."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


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
    print(f"{'documents':>10}{'cells':>14}{'replicate s':>13}{'dbt build s':>13}{'build':>13}{'file MB':>10}"
          f"{'free GB':>9}{'validate s':>12}{'finalize s':>12}")
    built_size = 0
    for size in sizes:
        label = _size_label(size)
        full = not built_size or (size <= FULL_REBUILD_MAX_DOCUMENTS
                                  and _fits(warehouse, built_size, size, FULL_REBUILD_HEADROOM))
        if not full and not _fits(warehouse, built_size, size, 1.0):
            say(f"marts: {label} documents would leave under {MIN_FREE_DISK_BYTES / 1024**3:.0f} GB free: "
                f"stopping at {_size_label(built_size)}")
            break
        try:
            if full:
                say(f"marts: staging {size} documents")
                seconds_replicate, documents = _timed(replicate, warehouse, size)
                say(f"marts: {documents} documents, {staged_cells(warehouse)} cells: full dbt rebuild")
                seconds_build = full_rebuild(warehouse)
            else:
                say(f"marts: {label} is reached by incremental builds of "
                    f"{_size_label(GROWTH_STEP_DOCUMENTS)} documents (a full rebuild past "
                    f"{_size_label(FULL_REBUILD_MAX_DOCUMENTS)} spills tens of GB, or would leave under "
                    f"{MIN_FREE_DISK_BYTES / 1024**3:.0f} GB free)")
                seconds_replicate, seconds_build, documents = _grow(warehouse, built_size, size, transform)
        except DiskLow as low:
            say(f"marts: {low}")
            break
        built_size = size
        cells = staged_cells(warehouse)
        file_mb = warehouse.stat().st_size / 1024**2
        how = "full" if full else f"+{_size_label(GROWTH_STEP_DOCUMENTS)} steps"
        figures.append(Figure(f"dbt_full_build_seconds_{label}" if full else
                              f"dbt_incremental_growth_seconds_{label}", seconds_build, "s", command))
        figures.append(Figure(f"warehouse_file_mb_{label}", file_mb, "MB", command))
        seconds_validate = seconds_finalize = float("nan")
        if size <= validate_up_to:
            say(f"marts: validating {documents} documents")
            seconds_validate, _ = _timed(validate, warehouse, new_run_id())
            seconds_finalize, _ = _timed(finalize, warehouse)
            figures.append(Figure(f"validation_seconds_{label}", seconds_validate, "s", command))
            figures.append(Figure(f"finalize_seconds_{label}", seconds_finalize, "s", command))
        free_gb = shutil.disk_usage(work).free / 1024**3
        print(f"{documents:>10}{cells:>14}{seconds_replicate:>13.1f}{seconds_build:>13.1f}{how:>13}{file_mb:>10.0f}"
              f"{free_gb:>9.1f}{seconds_validate:>12.1f}{seconds_finalize:>12.1f}", flush=True)
    if not built_size:
        return figures

    largest, delta_label = _size_label(built_size), _size_label(delta)
    say(f"marts: staging a delta of {delta} new documents on {largest}")
    built = loaded_documents(warehouse)
    replicate(warehouse, built_size + delta)
    new_documents = sorted(loaded_documents(warehouse) - built)
    seconds_incremental, peak = in_own_process(transform, warehouse)
    full = next((f.value for f in figures if f.name == f"dbt_full_build_seconds_{largest}"), None)
    figures.append(Figure(f"dbt_incremental_build_seconds_{delta_label}_on_{largest}",
                          seconds_incremental, "s", command, baseline=full, target="< 120"))
    figures.append(Figure(f"dbt_incremental_build_peak_memory_{delta_label}_on_{largest}", peak, "MiB",
                          command, target="< 2048"))
    print(f"incremental dbt build (pipeline transform, a process of its own) after {len(new_documents)} new "
          f"documents on {largest}: {seconds_incremental:.1f} s, peak {peak:.0f} MiB (full rebuild "
          f"{_seconds(full)}); warehouse file {warehouse.stat().st_size / 1024**2:.0f} MB", flush=True)
    say(f"marts: the same build with nothing new on {largest}")
    seconds_noop, _ = in_own_process(transform, warehouse)
    figures.append(Figure(f"dbt_incremental_build_nothing_new_seconds_on_{largest}", seconds_noop, "s",
                          command, baseline=full))
    print(f"incremental dbt build with nothing new on {largest}: {seconds_noop:.1f} s", flush=True)
    if delta <= validate_up_to:
        say(f"marts: validating the {len(new_documents)} new documents only")
        seconds_scoped, peak = in_own_process(validate_documents, warehouse, new_run_id(), new_documents)
        figures.append(Figure(f"validation_scoped_seconds_{delta_label}_on_{largest}", seconds_scoped, "s",
                              command))
        figures.append(Figure(f"validation_scoped_peak_memory_{delta_label}_on_{largest}", peak, "MiB",
                              command, target="< 2048"))
        print(f"validation scoped to the {len(new_documents)} new documents (a process of its own): "
              f"{seconds_scoped:.1f} s, peak {peak:.0f} MiB", flush=True)
    return figures


def _seconds(value: float | None) -> str:
    return "not measured at this size" if value is None else f"{value:.1f} s"


def _grow(warehouse: Path, built_documents: int, documents: int, transform) -> tuple[float, float, int]:
    """Stage and build (pipeline ``transform``, incremental) GROWTH_STEP_DOCUMENTS at a time up to
    ``documents``; returns (seconds staging, seconds building, documents staged)."""
    seconds_replicate = seconds_build = 0.0
    staged = built_documents
    while staged < documents:
        step = min(documents, staged + GROWTH_STEP_DOCUMENTS)
        seconds, staged = _timed(replicate, warehouse, step)
        seconds_replicate += seconds
        with build_up_memory():
            seconds, _ = _timed(transform, warehouse)
        seconds_build += seconds
        free = check_disk(warehouse.parent)
        say(f"marts: {staged} documents built incrementally ({seconds:.1f} s), file "
            f"{warehouse.stat().st_size / 1024**3:.1f} GB, {free / 1024**3:.1f} GB free")
    return seconds_replicate, seconds_build, staged


def _fits(warehouse: Path, built_documents: int, documents: int, headroom: float) -> bool:
    """Whether growing the warehouse from ``built_documents`` to ``documents`` keeps the disk floor, at the
    file's measured bytes per document times ``headroom`` (FULL_REBUILD_HEADROOM for a full rebuild)."""
    per_document = warehouse.stat().st_size / built_documents
    needed = per_document * (documents - built_documents) * headroom
    return shutil.disk_usage(warehouse.parent).free - needed >= MIN_FREE_DISK_BYTES


def loaded_documents(warehouse: Path) -> set[str]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {r[0] for r in con.execute("select document_id from staging.documents where status = 'loaded'")
                .fetchall()}
    finally:
        con.close()
