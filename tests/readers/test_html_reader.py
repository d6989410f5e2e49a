"""HTML reader: spans expanded into a full grid, narrative as text, encodings, pages without tables."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from extractors.generator.hostile_office import GOOD_ROWS, HEADER, TITLE, write_office_cases
from extractors.model import DocumentError
from extractors.readers import html
from extractors.readers.html import read

PAGE = """<html><head><meta charset="{charset}"><title>三公经费汇总</title></head><body>
<div class="nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a></div>
<h1>2024年区级部门"三公"经费预算汇总表</h1>
<div class="trs_editor_view"><p>现将预算公开如下。<br>单位：万元</p>
<table><tr><th rowspan="2">单位名称</th><th rowspan="2">合计</th><th colspan="2">公务用车购置及运行费</th>
<th rowspan="2">公务接待费</th></tr><tr><th>购置费</th><th>运行费</th></tr>
<tr><td>审计局</td><td>1,234.50</td><td></td><td>12.00</td><td>1,222.50</td></tr>
<tr><td rowspan="2">统计局</td><td>3.00</td><td>1.00</td><td>2.00</td><td>&nbsp;</td></tr>
<tr><td>4.00</td><td colspan="2">3.00</td><td>1.00</td></tr></table>
<!-- note --><p>注：空白表示无数据。</p></div>
<div class="footer">主办单位：某区人民政府</div></body></html>"""


def write(tmp_path: Path, html: str, encoding: str = "utf-8", charset: str = "utf-8") -> Path:
    path = tmp_path / "page.html"
    path.write_bytes(html.replace("{charset}", charset).encode(encoding))
    return path


def test_spans_expand_into_one_cell_per_column_and_text_stays_text(tmp_path):
    doc = read(write(tmp_path, PAGE))
    assert doc.file_type == "html" and doc.metadata["title"] == "三公经费汇总"
    texts = [line.text for line in doc.lines if not line.is_row]
    assert texts == [
        '2024年区级部门"三公"经费预算汇总表',
        "现将预算公开如下。",
        "单位：万元",
        "注：空白表示无数据。",
    ]
    rows = [[c.text for c in line.cells] for line in doc.lines if line.is_row]
    assert rows == [
        ["单位名称", "合计", "公务用车购置及运行费", "公务用车购置及运行费", "公务接待费"],
        ["单位名称", "合计", "购置费", "运行费", "公务接待费"],
        ["审计局", "1,234.50", "", "12.00", "1,222.50"],
        ["统计局", "3.00", "1.00", "2.00", ""],
        ["统计局", "4.00", "3.00", "3.00", "1.00"],
    ]
    assert all(not line.is_row or len(line.cells) == 5 for line in doc.lines)


@pytest.mark.parametrize(
    ("encoding", "declared"), [("gbk", "gbk"), ("gb18030", "gb2312"), ("utf-8", "gbk"), ("gbk", "utf-8")]
)
def test_declared_and_wrongly_declared_encodings(tmp_path, encoding, declared):
    doc = read(write(tmp_path, PAGE, encoding, declared))
    assert doc.lines[0].text == '2024年区级部门"三公"经费预算汇总表'
    assert doc.lines[-1].text == "注：空白表示无数据。"


def test_page_without_figure_tables_is_rejected(tmp_path):
    path = write(
        tmp_path,
        "<html><body><h1>公开目录</h1><table><tr><td>[ 索引号 ]</td><td>x/2024-1</td></tr>"
        "<tr><td>[ 发布日期 ]</td><td>2024-02-05</td></tr></table><a href='a.zip'>附件</a></body></html>",
    )
    with pytest.raises(DocumentError) as err:
        read(path)
    assert err.value.code == "no_tables"


def test_real_index_page_is_not_a_disclosure(real_dir):
    with pytest.raises(DocumentError) as err:
        read(real_dir / "27_商务局_2026年部门预算.html")
    assert err.value.code == "no_tables"


def test_absurd_spans_are_refused(tmp_path):
    cells = "".join(f"<td rowspan='1000' colspan='1000'>{i}.00</td>" for i in range(3))
    path = write(
        tmp_path,
        f"<html><body><table><tr>{cells}</tr>" + "<tr><td>1.00</td></tr>" * 999 + "</table></body></html>",
    )
    with pytest.raises(DocumentError) as err:
        read(path)
    assert err.value.code == "too_large"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("hostile")
    return folder, write_office_cases(folder)


@pytest.mark.parametrize(
    "name", ["good.html", "wrong_encoding.html", "broken.html", "empty.html", "big.html", "big_table.html"]
)
def test_hostile_pages(hostile, name):
    """Each hostile page gets its own code, or loads with its good table read exactly."""
    folder, expected = hostile
    if expected[name] != "loaded":
        with pytest.raises(DocumentError) as err:
            read(folder / name)
        assert err.value.code == expected[name], err.value.message
        return
    doc = read(folder / name)
    rows = [[c.text for c in line.cells] for line in doc.lines if line.is_row]
    assert rows[:4] == [list(HEADER), *[list(r) for r in GOOD_ROWS]]
    assert TITLE in [line.text for line in doc.lines if not line.is_row]


# Read one page in a fresh process and print its peak resident memory (VmHWM, KiB) and the outcome.
_CHILD = """
import sys
from pathlib import Path
from extractors.model import DocumentError
from extractors.readers.html import read
try:
    outcome = f"loaded {sum(line.is_row for line in read(Path(sys.argv[1])).lines)}"
except DocumentError as e:
    outcome = e.code
peak = next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(peak, outcome)
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc to read peak memory")
@pytest.mark.parametrize("name", ["big.html", "big_table.html"])
def test_a_20_mb_page_stays_under_500_mb(hostile, name):
    folder, expected = hostile
    assert (folder / name).stat().st_size > 19 * 1024 * 1024
    out = subprocess.run([sys.executable, "-c", _CHILD, str(folder / name)], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).parents[2]).stdout.split()
    peak_kib, outcome = int(out[0]), out[1]
    assert outcome == expected[name]
    assert peak_kib < 500 * 1024, f"{name}: peak {peak_kib // 1024} MiB"


def test_tables_within_the_page_budget(tmp_path, monkeypatch):
    """The page budget counts cells before the tree is built: one more cell than allowed is refused."""
    path = write(tmp_path, PAGE, charset="utf-8")
    assert len(read(path).lines) > 0
    monkeypatch.setattr(html, "MAX_PAGE_CELLS", 18)  # the page has 19 td/th
    with pytest.raises(DocumentError) as err:
        read(path)
    assert err.value.code == "too_large" and "more than 18 table cells" in err.value.message
