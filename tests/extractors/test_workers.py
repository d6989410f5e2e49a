"""Supervised extraction workers: a document past its deadline is rejected ``timeout``, its worker is
replaced, and the next document is extracted as usual."""

from __future__ import annotations

from pathlib import Path

import duckdb

from extractors.generator.hostile import _grid, _pdf
from extractors.generator.render import render
from extractors.generator.seeds import seed_specs
from extractors.pipeline import InputDocument, extract_all
from extractors.workers import WorkerStats


def _status(folder: Path) -> tuple[str, str | None, str | None]:
    con = duckdb.connect()
    try:
        return con.execute("select status, error_code, error_message from read_parquet(?)",
                           [str(folder / "documents.parquet")]).fetchone()
    finally:
        con.close()


def test_a_document_past_its_deadline_is_rejected_timeout_and_the_next_one_loads(tmp_path, monkeypatch):
    # a character grid the page limit would refuse at once: with it lifted, laying it out takes minutes
    monkeypatch.setenv("BUDGETWH_MAX_CHARS_PER_PAGE", "10000000")
    monkeypatch.setenv("BUDGETWH_SECONDS_BASE", "3")
    monkeypatch.setenv("BUDGETWH_SECONDS_PER_PAGE", "0")
    slow = tmp_path / "grid.pdf"
    slow.write_bytes(_pdf([_grid(450, 500, 1.6)]))
    good = render(seed_specs()[0], "text", tmp_path)
    stats = WorkerStats()
    out = tmp_path / "extracted"
    ids = extract_all([InputDocument(slow), InputDocument(good)], out, workers=1, stats=stats)
    status, code, message = _status(out / ids[0])
    assert (status, code) == ("rejected", "timeout")
    assert message.startswith("grid.pdf: extraction took longer than its limit of 3 s")
    assert _status(out / ids[1])[:2] == ("loaded", None)
    assert stats.restarted == 1 and len(stats.peak_rss_mb) == 2


def _children(pid: int) -> set[int]:
    try:
        return {int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting for its (new) parent to reap it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def test_a_worker_dies_with_its_supervisor_even_while_it_extracts(tmp_path):
    """The supervisor SIGKILLed (the OOM killer, a killed Airflow task) while its worker is deep in a
    document: the worker goes too, rather than extracting on as an orphan of PID 1."""
    import os
    import signal
    import subprocess
    import sys
    import time

    slow = tmp_path / "grid.pdf"
    slow.write_bytes(_pdf([_grid(450, 500, 1.6)]))  # minutes of layout with the page limit lifted
    env = {**os.environ, "BUDGETWH_MAX_CHARS_PER_PAGE": "10000000", "BUDGETWH_SECONDS_BASE": "600",
           "BUDGETWH_SECONDS_CEILING": "600"}
    script = ("import sys; from pathlib import Path; from extractors.pipeline import InputDocument, "
              "extract_all; extract_all([InputDocument(Path(sys.argv[1]))], Path(sys.argv[2]), workers=1)")
    supervisor = subprocess.Popen([sys.executable, "-c", script, str(slow), str(tmp_path / "out")],
                                  cwd=Path(__file__).resolve().parents[2], env=env)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not _children(supervisor.pid):
            time.sleep(0.1)
        workers = _children(supervisor.pid)
        assert workers, "the supervisor started no worker"
        time.sleep(8)  # past the worker's imports: it is extracting the grid
        assert supervisor.poll() is None and all(_alive(w) for w in workers)
        assert not list((tmp_path / "out").glob("*/documents.parquet")), "the grid was extracted already"
        supervisor.send_signal(signal.SIGKILL)
        supervisor.wait()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(_alive(w) for w in workers):
            time.sleep(0.1)
        assert not [w for w in workers if _alive(w)], "a worker outlived its supervisor"
    finally:
        supervisor.kill()
        for worker in workers | _children(supervisor.pid):
            if _alive(worker):
                os.kill(worker, signal.SIGKILL)


def test_a_worker_killed_from_outside_is_recorded_by_its_signal_and_the_next_document_loads(tmp_path):
    """A worker SIGTERMed by something outside the run (an operator, a shutdown) costs its document, which
    is rejected saying so, not blamed on memory; a fresh worker extracts the next one."""
    import os
    import signal
    import subprocess
    import sys
    import time

    slow = tmp_path / "grid.pdf"
    slow.write_bytes(_pdf([_grid(450, 500, 1.6)]))  # minutes of layout with the page limit lifted
    good = render(seed_specs()[0], "text", tmp_path)
    env = {**os.environ, "BUDGETWH_MAX_CHARS_PER_PAGE": "10000000", "BUDGETWH_SECONDS_BASE": "600",
           "BUDGETWH_SECONDS_CEILING": "600"}
    script = ("import sys; from pathlib import Path; from extractors.pipeline import InputDocument, "
              "extract_all; print(*extract_all([InputDocument(Path(p)) for p in sys.argv[1:3]], "
              "Path(sys.argv[3]), workers=1))")
    supervisor = subprocess.Popen(
        [sys.executable, "-c", script, str(slow), str(good), str(tmp_path / "out")],
        cwd=Path(__file__).resolve().parents[2], env=env, stdout=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120

        def workers() -> set[int]:
            found = set()
            for pid in _children(supervisor.pid):
                try:
                    if "resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_text(errors="replace"):
                        found.add(pid)
                except OSError:  # gone since it was listed
                    pass
            return found

        while time.monotonic() < deadline and not workers():
            time.sleep(0.1)
        time.sleep(8)  # past the worker's imports: it is extracting the grid
        (worker,) = workers()
        os.kill(worker, signal.SIGTERM)
        out, _ = supervisor.communicate(timeout=120)
    finally:
        supervisor.kill()
    slow_id, good_id = out.split()
    assert _status(tmp_path / "out" / slow_id) == (
        "rejected", "worker_crashed",
        "grid.pdf: the extraction process was killed by SIGTERM, sent from outside the run")
    assert _status(tmp_path / "out" / good_id)[:2] == ("loaded", None)
