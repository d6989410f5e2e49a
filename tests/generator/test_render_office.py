"""XLSX and HTML renderers: merged headers, numbers read back, reproducible bytes."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

import openpyxl
from bs4 import BeautifulSoup

from extractors.generator.render import read_sidecar, render
from extractors.generator.seeds import seed_spec

TONGNAN = "tongnan_2022_government_services_budget"
REPO = Path(__file__).resolve().parents[2]


def test_xlsx_sheets_merges_and_amounts(tmp_path):
    path = render(seed_spec(TONGNAN), "xlsx", tmp_path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:3] == ["情况说明", "附件1", "附件2"]
    three_public = wb["附件4"]
    merged = {str(r) for r in three_public.merged_cells.ranges}
    assert {"C3:G3", "H3:M3", "J4:L4", "A3:A5"} <= merged  # year groups, 公务用车 over 3 columns, 部门编码
    numbers = Counter(
        Decimal(str(v)).quantize(Decimal("0.01"))
        for ws in wb.worksheets
        for row in ws.iter_rows(values_only=True)
        for v in row
        if isinstance(v, int | float)
    )
    expected = Counter(
        Decimal(c["amount"])
        for c in read_sidecar(path)["cells"]
        if c["amount"] is not None and c["row_kind"] != "field"
    )
    assert expected - numbers == Counter()


def test_xlsx_is_byte_reproducible(tmp_path):
    """Across processes with different hash seeds and save times."""
    script = (
        "import sys; from pathlib import Path; from extractors.generator import render, synthesize; "
        "render(synthesize(4, '潼南区', '民政局', 2023, 'final_account'), 'xlsx', Path(sys.argv[1]))"
    )
    digests = []
    for n, hash_seed in enumerate(("1", "2")):
        out = tmp_path / str(n)
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run([sys.executable, "-c", script, str(out)], check=True, env=env, cwd=REPO)
        if n == 0:
            time.sleep(1.1)  # a different second on the clock: no timestamp may leak into the file
        digests.append(hashlib.sha256(next(out.glob("*.xlsx")).read_bytes()).hexdigest())
    assert digests[0] == digests[1]


def test_html_article_with_spanned_headers_and_grouped_amounts(tmp_path):
    path = render(seed_spec(TONGNAN), "html", tmp_path)
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    assert "[ 发布日期 ]" in soup.get_text() and "2022-02-" in soup.get_text()
    tables = soup.select("div.content table")
    assert len(tables) == len(seed_spec(TONGNAN).tables)
    header = tables[1].find("thead").find_all("th")
    assert [(th.get_text(), th.get("colspan")) for th in header][3] == ("2022 年预算数", "3")
    texts = {td.get_text() for td in soup.find_all("td")}
    cells = read_sidecar(path)["cells"]
    assert "1,932.10" in texts and "1932.1" not in texts  # thousands separators, two decimals
    assert [c["text"] for c in cells if c["amount"] and c["text"] not in texts] == []


def test_html_in_yuan_keeps_expected_amounts_in_wan_yuan(tmp_path):
    path = render(seed_spec(TONGNAN), "html", tmp_path, unit_name="元")
    page = path.read_text(encoding="utf-8")
    assert "单位：元" in page and "19,960,600.00" in page
    total = next(c for c in read_sidecar(path)["cells"] if c["table_type"] == "general_budget_expenditure")
    assert (total["text"], total["amount"]) == ("19,263,700.00", "1926.37")
