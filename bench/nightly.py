"""The nightly run when nothing was published since the last one: how long it takes to find that out.

* CLI: ``budgetwh crawl`` on the bundled local portal (the generator's documents served on 127.0.0.1),
  once to ingest everything, then again: the second run is the no-op.
* Airflow: ``airflow dags test budget_disclosures_nightly`` on an inbox of the generator's samples in an
  Airflow of its own (own AIRFLOW_HOME, SQLite metadata), twice; the second run is the no-op.

Each first run is reported too (a full ingest of the sample), without a target.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

from bench.figures import PYTHON, REPO, Figure, say

BIN = REPO / ".venv" / "bin"
DAG_ID = "budget_disclosures_nightly"


def _timed_run(argv: list[str], env: dict[str, str] | None = None, cwd: Path = REPO) -> float:
    start = time.perf_counter()
    result = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"{shlex.join(argv)} exited {result.returncode}:\n"
                           f"{(result.stdout + result.stderr)[-2000:]}")
    return seconds


def filled_sources(port: int, out: Path) -> Path:
    """The local sample's sources file with its ``{port}`` filled, for the CLI (which takes no variables)."""
    from extractors.portal import SOURCES

    out.write_text(SOURCES.read_text(encoding="utf-8").replace("{port}", str(port)), encoding="utf-8")
    return out


def measure_cli(work: Path) -> list[Figure]:
    from extractors.portal import local_sample
    from extractors.portal.generated import generated_disclosures

    warehouse, archive = work / "cli.duckdb", work / "archive"
    disclosures = generated_disclosures(work / "documents")
    with local_sample(work / "portal", disclosures=disclosures) as variables:
        sources = filled_sources(variables["port"], work / "sources.yml")
        argv = [str(BIN / "budgetwh"), "crawl", "--sources", str(sources), "--warehouse", str(warehouse),
                "--archive", str(archive)]
        say(f"nightly: first crawl of the local portal ({len(disclosures)} disclosures)")
        first = _timed_run(argv)
        say("nightly: second crawl, nothing new")
        noop = _timed_run(argv)
    command = shlex.join([".venv/bin/budgetwh", "crawl", "--sources", "<local_sample.yml with {port} filled>",
                          "--warehouse", "cli.duckdb"]) + "  # run twice; the second is timed"
    print(f"\n== nightly CLI: first crawl + ingest of {len(disclosures)} disclosures {first:.1f} s; "
          f"no-op crawl {noop:.1f} s")
    return [Figure("nightly_noop_cli_seconds", noop, "s", command, baseline=first, target="< 5"),
            Figure("nightly_first_cli_seconds", first, "s", command)]


def airflow_env(home: Path, **settings: str) -> dict[str, str]:
    """An isolated Airflow (own AIRFLOW_HOME and data dir) running this repository's DAGs, failing fast,
    with no pings; ``settings`` add to it (the orchestration tests use it too)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "BUDGETWH_"))}
    env.update({
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "false",
        "BUDGETWH_DATA_DIR": str(home / "data"),
        "BUDGETWH_TASK_RETRIES": "0",
        "DO_NOT_TRACK": "true",
    })
    env.update(settings)
    return env


def measure_airflow(work: Path) -> list[Figure]:
    home, inbox = work / "airflow", work / "inbox"
    home.mkdir(parents=True)
    subprocess.run([sys.executable, "-m", "extractors.generator", "samples", "--out", str(inbox)],
                   check=True, cwd=REPO, capture_output=True)
    env = airflow_env(home)
    airflow = str(BIN / "airflow")
    say("nightly: airflow db migrate")
    _timed_run([airflow, "db", "migrate"], env, home)
    argv = [airflow, "dags", "test", DAG_ID, "-c", json.dumps({"inbox": str(inbox)})]
    say("nightly: airflow dags test, first run (ingests the samples)")
    first = _timed_run(argv, env, home)
    say("nightly: airflow dags test, second run (nothing new)")
    noop = _timed_run(argv, env, home)
    command = (f"AIRFLOW_HOME=<fresh> airflow dags test {DAG_ID} -c '{{\"inbox\": \"<samples>\"}}'"
               f"  # inbox: {PYTHON} -m extractors.generator samples; run twice, the second is timed")
    print(f"\n== nightly Airflow: first run {first:.1f} s; no-op run {noop:.1f} s")
    return [Figure("nightly_noop_airflow_seconds", noop, "s", command, baseline=first, target="< 60"),
            Figure("nightly_first_airflow_seconds", first, "s", command)]
