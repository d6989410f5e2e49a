"""The Data Docs site GX rebuilds each run shows a document's failures, in a real headless browser.

Needs the Debian package ``chromium`` (``make browser`` installs it); skipped, saying so, without it.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess

import pytest

from expectations.runner import validate

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NO_BROWSER = "chromium not installed (apt-get install chromium)"
pytestmark = [pytest.mark.slow, pytest.mark.skipif(CHROMIUM is None, reason=NO_BROWSER)]
BROWSER_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]


def rendered_text(url: str) -> str:
    dom = subprocess.run([CHROMIUM, *BROWSER_FLAGS, "--dump-dom", url], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", dom)))


def test_a_documents_failures_are_browsable(seeded, tmp_path):
    summary = validate(seeded, run_id="docs-run")
    site = summary.data_docs.parent
    index = rendered_text(summary.data_docs.as_uri())
    assert "document_tongnan2022" in index and "document_qijiang2024" in index
    assert "budgetwh_error_rules" in index
    (page,) = site.glob("validations/budgetwh_error_rules/docs-run/*/*document_tongnan2022.html")
    text = rendered_text(page.as_uri())
    assert "BW-HIE-003: A function class (类) equals the sum of all its items" in text
    assert "general_budget_expenditure, table 2, 210, 2021, 2021 年预算数, page 5 38.85 14.37 -24.48" in text
    assert "decimal shift: 2101199 其他行政事业单位医疗支出 is 27.20; 2.72" in text
    screenshot = tmp_path / "tongnan.png"
    subprocess.run([CHROMIUM, *BROWSER_FLAGS, f"--screenshot={screenshot}", "--window-size=1400,2000",
                    page.as_uri()], capture_output=True, timeout=120, check=True)
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 20_000
