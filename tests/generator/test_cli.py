"""The command line writes samples, corpora and mutation sets with their sidecars."""

from __future__ import annotations

import json

from extractors.generator.cli import main


def test_samples(tmp_path, capsys):
    assert main(["samples", "--out", str(tmp_path)]) == 0
    for fmt, ext in (("text", "txt"), ("pdf", "pdf"), ("xlsx", "xlsx"), ("html", "html")):
        files = sorted(p.name for p in (tmp_path / fmt).glob(f"*.{ext}"))
        assert len(files) == 6
        assert "qijiang_2024_government_services_budget." + ext in files
    sidecar = json.loads(
        (tmp_path / "text" / "tongnan_2022_government_services_budget.txt.expected.json").read_text()
    )
    assert sidecar["region_name"] == "潼南区" and sidecar["fiscal_year"] == 2022
    assert "wrote 24 files" in capsys.readouterr().err


def test_corpus_reports_progress(tmp_path, capsys):
    assert (
        main(
            [
                "corpus",
                "--n",
                "4",
                "--seed",
                "7",
                "--format",
                "pdf",
                "--out",
                str(tmp_path),
                "--progress-every",
                "2",
            ]
        )
        == 0
    )
    assert len(list(tmp_path.glob("0000/*.pdf"))) == 4
    err = capsys.readouterr().err
    assert "2/4 documents" in err and "pages/s" in err


def test_mutations_record_their_change(tmp_path):
    assert main(["mutations", "--n", "3", "--seed", "7", "--out", str(tmp_path)]) == 0
    sidecars = [json.loads(p.read_text()) for p in sorted(tmp_path.glob("*.expected.json"))]
    assert len(sidecars) == 3
    assert all(s["mutation"]["old_text"] != s["mutation"]["new_text"] for s in sidecars)


def test_bad_input_is_a_one_line_error(tmp_path, capsys):
    assert main(["corpus", "--n", "0", "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err.startswith("error: a corpus holds 1")


def test_corpus_files_do_not_depend_on_worker_count(tmp_path):
    for workers in ("1", "2"):
        args = ["corpus", "--n", "6", "--seed", "3", "--format", "text", "--workers", workers]
        assert main([*args, "--progress-every", "2", "--out", str(tmp_path / workers)]) == 0
    one, two = (sorted((tmp_path / w).rglob("*")) for w in ("1", "2"))
    assert len(one) == 1 + 12  # the folder, 6 documents with their sidecars
    assert [p.read_bytes() for p in one if p.is_file()] == [p.read_bytes() for p in two if p.is_file()]
