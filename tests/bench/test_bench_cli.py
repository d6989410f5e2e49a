"""The bench's own logic: figures, options, step timing, the sources it serves. No timings asserted."""

from __future__ import annotations

import argparse
import json

import pytest

from bench.__main__ import DEFAULTS, FULL, _child_argv, _sizes, build_parser, resolve, work_folder
from bench.end_to_end import _step
from bench.figures import REPO, Figure, read_figures, write_figures
from bench.nightly import filled_sources


def test_figure_json_line_carries_the_baseline_ratio_and_command():
    figure = Figure("e2e_pages_per_second", 62.456, "pages/s", ".venv/bin/python -m bench --only e2e",
                    baseline=31.2, target=">= 150")
    assert json.loads(figure.as_json()) == {
        "name": "e2e_pages_per_second", "value": 62.46, "unit": "pages/s", "baseline": 31.2, "ratio": 2.0,
        "command": ".venv/bin/python -m bench --only e2e", "target": ">= 150"}


def test_figure_without_baseline_has_null_ratio_and_no_target_key():
    record = json.loads(Figure("dbt_full_build_seconds_10k", 44.0, "s", "cmd").as_json())
    assert record["baseline"] is None and record["ratio"] is None
    assert "target" not in record


def test_figures_survive_the_trip_between_processes(tmp_path):
    figures = [Figure("a", 1.5, "s", "cmd", 3.0, "< 5"), Figure("b", 2.0, "MiB", "cmd")]
    write_figures(tmp_path / "f.json", figures)
    assert read_figures(tmp_path / "f.json") == figures


def test_sizes_are_sorted_counts_and_bad_ones_say_why():
    assert _sizes("10000,1000") == [1000, 10000]
    with pytest.raises(argparse.ArgumentTypeError, match="separated by commas"):
        _sizes("10k")
    with pytest.raises(argparse.ArgumentTypeError, match="positive"):
        _sizes("0,5")


def test_defaults_full_preset_and_explicit_options():
    default = resolve(build_parser().parse_args([]))
    assert (default.documents, default.sizes, default.delta) == (
        DEFAULTS["documents"], _sizes(DEFAULTS["sizes"]), DEFAULTS["delta"])
    full = resolve(build_parser().parse_args(["--full", "--delta", "5"]))
    assert (full.documents, full.sizes, full.delta) == (FULL["documents"], [10_000, 100_000, 1_000_000], 5)
    with pytest.raises(SystemExit, match="unknown section"):
        resolve(build_parser().parse_args(["--only", "e2e,speed"]))


def test_a_section_child_gets_the_resolved_options(tmp_path):
    args = resolve(build_parser().parse_args(["--sizes", "200,100", "--no-airflow"]))
    args.work = tmp_path
    child = build_parser().parse_args(_child_argv(args, "marts", tmp_path / "out.json")[3:])
    assert child.section == "marts"
    assert (child.sizes, child.no_airflow, child.work) == ([100, 200], True, tmp_path)
    assert child.corpus is None
    assert child.real == [REPO.parent / "shared" / "real", REPO.parent / "shared" / "real-wide"]


def test_a_kept_corpus_reaches_the_end_to_end_child(tmp_path):
    args = resolve(build_parser().parse_args(["--only", "e2e", "--full", "--corpus", str(tmp_path / "c")]))
    args.work = tmp_path
    child = build_parser().parse_args(_child_argv(args, "e2e", tmp_path / "out.json")[3:])
    assert (child.corpus, child.documents) == (tmp_path / "c", 10_000)


def test_pipeline_progress_messages_map_to_steps():
    assert _step("extracting 60 document(s) with 2 worker(s)") == "extract"
    assert _step("building marts (dbt)") == "transform"
    assert _step("building result marts (dbt)") == "finalize"
    assert _step("3 document(s) already extracted from the same bytes: not extracted again") is None


def test_local_sample_sources_get_their_port(tmp_path):
    text = filled_sources(8123, tmp_path / "sources.yml").read_text(encoding="utf-8")
    assert "{port}" not in text
    assert "http://127.0.0.1:8123/" in text


def test_keep_leaves_the_work_folder_and_a_temporary_one_goes(tmp_path):
    kept = tmp_path / "kept" / "bench"
    assert build_parser().parse_args(["--keep", str(kept)]).keep == kept
    with work_folder(kept) as work:
        (work / "marts.duckdb").write_text("x")
    assert work == kept and (kept / "marts.duckdb").read_text() == "x"
    with work_folder(None) as work:
        (work / "marts.duckdb").write_text("x")
    assert work != kept and not work.exists()


def test_the_extraction_bench_names_scans_and_files_that_are_not_pdfs_and_measures_the_rest(tmp_path, capsys):
    # real-wide's 重庆 127–130 are web pages named .pdf: the bench had stopped on them (PdfiumError)
    from bench.extraction import text_layer, text_pdfs
    from extractors.generator.hostile import _pdf
    from extractors.generator.render import render
    from extractors.generator.seeds import seed_specs

    text = render(seed_specs()[0], "pdf", tmp_path)
    (tmp_path / "page.pdf").write_text("<html><body>部门预算</body></html>", encoding="utf-8")
    (tmp_path / "blank.pdf").write_bytes(_pdf([b"0 0 m 100 100 l S"]))
    kinds = [text_layer(tmp_path / n) for n in (text.name, "page.pdf", "blank.pdf")]
    assert kinds == ["text", "unreadable", "scan"]
    assert text_pdfs([tmp_path, tmp_path / "missing"]) == [text]
    said = capsys.readouterr()
    out = said.out + said.err
    assert "left out as scans (OCR): blank.pdf" in out and "left out as not readable as PDF: page.pdf" in out
