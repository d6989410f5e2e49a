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
