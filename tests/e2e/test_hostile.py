"""One hostile file costs one document, never the run (issue 20), on the real pipeline.

The generator's hostile corpus mixed with the two seed documents: every hostile file is rejected with its
own code, the seeds' marts equal those of a run of the seeds alone, no worker goes past 2 GB. And a run
SIGKILLed during extraction, run again, gives the marts of a clean run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from extractors.generator.hostile import write_hostile_corpus
from extractors.load import EXTRACTOR_VERSION
from extractors.model import document_key
from extractors.pipeline import run

pytestmark = pytest.mark.xdist_group("e2e")

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"
WORKER_MEMORY_CEILING_MB = 2048
# columns that say when or in which run a row was made, not what it holds
RUN_COLUMNS = ("run_id", "validation_run_id", "loaded_at", "validated_at", "built_at", "checked_at")


@pytest.fixture(scope="module")
def good_dir(tmp_path_factory) -> Path:
    """The two seed documents: ../shared/seeds, or the generator's rendering of their figures without it."""
    if SEEDS.is_dir():
        return SEEDS
    from extractors.generator.render import render
    from extractors.generator.seeds import seed_specs

    out = tmp_path_factory.mktemp("seeds")
    for spec in seed_specs():
        render(spec, "text", out)
    return out


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("hostile")
    return folder, write_hostile_corpus(folder)


def marts(warehouse: Path, documents: set[str] | None = None) -> dict[str, list[tuple]]:
    """Every mart's rows, without the columns that name the run; with ``documents``, only the marts
    keyed by document and only those documents' rows (the hostile corpus has workbooks that load)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        out = {}
        for (table,) in con.execute("select table_name from information_schema.tables "
                                    "where table_schema = 'marts' order by 1").fetchall():
            columns = [c for (c,) in con.execute(
                "select column_name from information_schema.columns where table_schema = 'marts' "
                "and table_name = ? order by ordinal_position", [table]).fetchall()]
            if documents is not None and "document_id" not in columns:
                continue
            kept = ", ".join(f'"{c}"' for c in columns if c not in RUN_COLUMNS)
            where = "where document_id in (select unnest($ids::varchar[]))" if documents is not None else ""
            params = {"ids": sorted(documents)} if where else {}
            out[table] = sorted(con.execute(f"select {kept} from marts.{table} {where}", params).fetchall(),
                                key=repr)
        return out
    finally:
        con.close()


def staged(warehouse: Path) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("select document_id, source_path, status, error_code from staging.documents"
                           ).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def good_alone(request, tmp_path_factory, good_dir) -> Path:
    """The seed documents run alone: the session's run of ../shared/seeds (only read here), or a run of
    the generator's rendering of them."""
    if good_dir == SEEDS:
        return request.getfixturevalue("seeds_run")
    warehouse = tmp_path_factory.mktemp("good") / "w.duckdb"
    run([good_dir], warehouse, workers=2)
    return warehouse


@pytest.fixture(scope="module")
def mixed(tmp_path_factory, hostile, good_dir):
    warehouse = tmp_path_factory.mktemp("mixed") / "w.duckdb"
    summary = run([hostile[0], good_dir], warehouse, workers=2)
    return warehouse, summary


def test_every_hostile_file_is_rejected_with_its_code(mixed, hostile):
    warehouse, _summary = mixed
    folder, expected = hostile
    # by document: files of the same bytes (html_as.xls, good.html) are one document, staged once
    wanted = {document_key(folder / name): (name, code) for name, code in expected.items()}
    codes = {doc_id: code or status for doc_id, _path, status, code in staged(warehouse)}
    assert {name: codes.get(doc_id) for doc_id, (name, _code) in wanted.items()} == dict(wanted.values())


def test_good_documents_marts_equal_a_run_of_them_alone(mixed, good_alone):
    alone = {doc_id for doc_id, _path, status, _code in staged(good_alone) if status == "loaded"}
    assert len(alone) == 2
    assert marts(mixed[0], alone) == marts(good_alone, alone)


def test_no_worker_goes_past_2_gb(mixed):
    peaks = mixed[1].workers.peak_rss_mb
    assert peaks and max(peaks) < WORKER_MEMORY_CEILING_MB, peaks
    assert mixed[1].workers.restarted >= 1  # the flate bomb's worker was replaced, and the run went on


def test_a_run_killed_during_extraction_resumes_to_the_marts_of_a_clean_run(tmp_path, good_dir):
    from extractors.generator.render import render
    from extractors.generator.synthesize import iter_corpus

    corpus = tmp_path / "corpus"
    for i, spec in enumerate(iter_corpus(8, 20)):
        render(spec, "pdf", corpus, stem=f"{i:02d}_{spec.slug}")
    inputs = [str(corpus), str(good_dir)]
    clean = tmp_path / "clean" / "w.duckdb"
    clean.parent.mkdir()
    run([Path(p) for p in inputs], clean, workers=2)

    killed = tmp_path / "killed" / "w.duckdb"
    killed.parent.mkdir()
    extracted = killed.parent / f".{killed.name}.work" / f"extracted-v{EXTRACTOR_VERSION}"
    process = subprocess.Popen([sys.executable, "-m", "extractors.cli", "run", "--input", *inputs,
                                "--warehouse", str(killed), "--workers", "1"], cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        if extracted.is_dir() and sum(1 for p in extracted.iterdir() if not p.name.startswith(".")) >= 3:
            break
        time.sleep(0.05)
    assert process.poll() is None, "the run ended before it could be killed during extraction"
    os.killpg(process.pid, signal.SIGKILL)  # the run and its workers, as the OOM killer or a reboot would
    process.wait()
    finished = {p.name for p in extracted.iterdir() if not p.name.startswith(".")}
    assert 3 <= len(finished) < 10 and not killed.exists()

    run([Path(p) for p in inputs], killed, workers=2)
    assert marts(killed) == marts(clean)
    assert not extracted.exists()  # loaded, then cleared
