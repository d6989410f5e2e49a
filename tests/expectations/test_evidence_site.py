"""The evidence site of a real run on the seeds' figures, in headless Chromium: the crops box the staged
cells, the pages open offline, nothing is requested beyond 127.0.0.1, the search filters departments.

The seed documents are rendered by the project's generator as a PDF and an XLSX, then run through
``budgetwh run`` (extract, load, dbt, validation, evidence). Set ``BUDGETWH_UPDATE_SCREENSHOTS=1`` to
write the README's screenshot of a finding page (docs/evidence-finding.png).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from browser import CHROMIUM, NO_BROWSER, Browser, non_local
from PIL import Image
from receivers import Receiver
from support import q

from expectations.evidence.locate import PART, SUSPECT, TOTAL
from expectations.evidence.render import COLOURS, LINE_WIDTH
from extractors.cli import main
from extractors.generator.render import render
from extractors.generator.seeds import seed_specs

pytestmark = [
    pytest.mark.slow,
    pytest.mark.xdist_group("e2e"),
    pytest.mark.skipif(CHROMIUM is None, reason=NO_BROWSER),
]
TONGNAN = "tongnan_2022_government_services_budget"
SCREENSHOT = Path(__file__).parents[2] / "docs" / "evidence-finding.png"


@pytest.fixture(scope="module")
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture(scope="module")
def run(tmp_path_factory, receiver) -> Path:
    """The run, its alerts going to a local receiver."""
    root = tmp_path_factory.mktemp("evidence")
    spec = next(s for s in seed_specs() if s.slug == TONGNAN)
    render(spec, "pdf", root / "input")
    render(spec, "xlsx", root / "input")
    warehouse = root / "w.duckdb"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("BUDGETWH_ALERT_WEBHOOK_URL", receiver.url + "/findings")
        env.delenv("BUDGETWH_EVIDENCE_BASE_URL", raising=False)
        assert (
            main(["run", "--input", str(root / "input"), "--warehouse", str(warehouse), "--workers", "1"])
            == 0
        )
    return warehouse


@pytest.fixture(scope="module")
def browser():
    with Browser() as b:
        yield b



def document_id(warehouse: Path, file_type: str) -> str:
    ((d,),) = q(warehouse, "select document_id from staging.documents where file_type = ?", [file_type])
    return d


def cell_bbox(
    warehouse: Path, document: str, row_code: str, measure: str, year: int, row_kind: str = "subject"
):
    rows = q(
        warehouse,
        "select page, x0, top, x1, bottom from staging.cells where document_id = ? "
        "and row_code = ? and measure = ? and fiscal_year = ? and row_kind = ?",
        [document, row_code, measure, year, row_kind],
    )
    assert len(rows) == 1, rows
    return rows[0]


def colour_region(image: Image.Image, colour: tuple[int, int, int]) -> list[tuple[int, int, int, int]]:
    """The bounding boxes of the connected outlines drawn in exactly ``colour`` (one per box)."""
    rgb = image.convert("RGB")
    width, height = rgb.size
    pixels = rgb.load()
    seen: set[tuple[int, int]] = set()
    regions = []
    for y in range(height):
        for x in range(width):
            if (x, y) in seen or pixels[x, y] != colour:
                continue
            stack, xs, ys = [(x, y)], [], []
            seen.add((x, y))
            while stack:
                px, py = stack.pop()
                xs.append(px)
                ys.append(py)
                for nx, ny in ((px + 1, py), (px - 1, py), (px, py + 1), (px, py - 1)):
                    if (
                        0 <= nx < width
                        and 0 <= ny < height
                        and (nx, ny) not in seen
                        and pixels[nx, ny] == colour
                    ):
                        seen.add((nx, ny))
                        stack.append((nx, ny))
            if len(xs) > 40:  # an outline, not a stray anti-aliased pixel of the page
                regions.append((min(xs), min(ys), max(xs) + 1, max(ys) + 1))
    return sorted(regions)


def expected_region(bbox, crop: dict) -> tuple[int, int, int, int]:
    """Where a staged bbox (PDF points) lands in the crop: × scale, minus the crop's origin."""
    x0, top, x1, bottom = bbox
    s, left, origin = crop["scale"], crop["left"], crop["top"]
    return (
        round((x0 - left) * s),
        round((top - origin) * s),
        round((x1 - left) * s),
        round((bottom - origin) * s),
    )


def assert_same_region(found, expected):
    assert all(abs(a - b) <= LINE_WIDTH + 1 for a, b in zip(found, expected, strict=True)), (found, expected)


def finding_crops(browser: Browser, page_url: str, rule: str, text: str) -> tuple[dict, list[dict]]:
    """The finding section of ``rule`` whose text contains ``text``: its key and its crops' attributes."""
    browser.open(page_url)
    found = browser.evaluate(f"""
        Array.from(document.querySelectorAll('section.finding[data-rule="{rule}"]'))
          .filter(s => s.textContent.includes({json.dumps(text)}))
          .map(s => ({{key: s.dataset.findingKey, id: s.id, text: s.textContent,
            crops: Array.from(s.querySelectorAll('img')).map(i => ({{
              src: i.src, page: +i.dataset.page, scale: +i.dataset.scale, left: +i.dataset.left,
              top: +i.dataset.top, boxes: JSON.parse(i.dataset.boxes),
              loaded: i.complete && i.naturalWidth > 0
            }}))}}))""")
    assert len(found) == 1, found
    return found[0], found[0]["crops"]


def crop_image(site: Path, crop: dict) -> Image.Image:
    return Image.open(site / "crops" / Path(crop["src"]).name)


def test_the_decimal_shift_in_21011_is_boxed_on_its_page(run, browser, tmp_path):
    site = Path(f"{run}.evidence")
    pdf = document_id(run, "pdf")
    page = (site / "documents" / f"{pdf}.html").as_uri()
    finding, crops = finding_crops(
        browser, page, "BW-HIE-002", "section 21011 is 14.37, its items sum to 38.85"
    )
    assert "decimal shift: 2101199" in finding["text"]
    (crop,) = crops
    assert crop["loaded"]
    image = crop_image(site, crop)
    total_page, *total = cell_bbox(run, pdf, "21011", "total", 2021)
    items = [cell_bbox(run, pdf, code, "total", 2021) for code in ("2101101", "2101199")]
    assert crop["page"] == total_page == items[0][0] == items[1][0]
    (red,) = colour_region(image, COLOURS[TOTAL])
    assert_same_region(red, expected_region(total, crop))
    (blue,) = colour_region(image, COLOURS[PART])
    assert_same_region(blue, expected_region(items[0][1:], crop))
    (orange,) = colour_region(image, COLOURS[SUSPECT])  # the likely decimal shift: 27.2 for 2.72
    assert_same_region(orange, expected_region(items[1][1:], crop))
    browser.evaluate(f"document.getElementById('{finding['id']}').scrollIntoView()")
    shot = browser.screenshot(tmp_path / "finding.png", full_page=False)
    assert Image.open(shot).size == (1280, 1600)
    if os.environ.get("BUDGETWH_UPDATE_SCREENSHOTS"):
        shutil.copyfile(shot, SCREENSHOT)


def test_the_vehicle_subtotal_shows_both_parts_boxed(run, browser):
    site = Path(f"{run}.evidence")
    pdf = document_id(run, "pdf")
    page = (site / "documents" / f"{pdf}.html").as_uri()
    _, crops = finding_crops(
        browser,
        page,
        "BW-ROW-005",
        "three public expenses 2022 (total): vehicle subtotal 6.00 vs purchase + operation 4.00",
    )
    (crop,) = crops
    image = crop_image(site, crop)
    _, *subtotal = cell_bbox(run, pdf, "total", "vehicle_total", 2022, "total")
    parts = [
        cell_bbox(run, pdf, "total", m, 2022, "total")[1:] for m in ("vehicle_purchase", "vehicle_operation")
    ]
    (red,) = colour_region(image, COLOURS[TOTAL])
    assert_same_region(red, expected_region(subtotal, crop))
    blue = colour_region(image, COLOURS[PART])
    assert len(blue) == 2  # the blank purchase cell and the operation cell
    for found, bbox in zip(blue, sorted(parts), strict=True):
        assert_same_region(found, expected_region(bbox, crop))


def test_an_xlsx_finding_shows_its_table_region_highlighted(run, browser):
    site = Path(f"{run}.evidence")
    xlsx = document_id(run, "xlsx")
    browser.open((site / "documents" / f"{xlsx}.html").as_uri())
    cells = browser.evaluate("""
        Array.from(document.querySelectorAll('section.finding[data-rule="BW-HIE-002"]'))
          .filter(s => s.textContent.includes('section 21011 is 14.37'))
          .map(s => Array.from(s.querySelectorAll('td[data-role]'))
            .map(td => [td.dataset.role, td.textContent]))""")
    assert cells == [[["total", "14.37"], ["part", "11.65"], ["suspect", "27.20"]]]


def test_every_page_opens_offline_and_asks_nothing_beyond_127_0_0_1(run, browser):
    site = Path(f"{run}.evidence")
    pages = [
        site / "index.html",
        site / "rules" / "index.html",
        site / "rules" / "BW-HIE-002.html",
        *sorted((site / "documents").glob("*.html")),
    ]
    browser.events.clear()
    for page in pages:
        browser.open(page.as_uri())
        assert browser.evaluate(
            "document.querySelectorAll('img').length === "
            "Array.from(document.images).filter(i => i.complete && i.naturalWidth > 0).length"
        )
    urls = browser.requested_urls()
    assert len(urls) >= len(pages) and non_local(urls) == []


def test_the_data_docs_open_offline_and_link_each_failure_to_its_evidence(run, browser):
    from expectations.runner import data_docs_index

    index = data_docs_index(run)
    pdf = document_id(run, "pdf")
    browser.events.clear()
    browser.open(index.as_uri())
    listed = browser.evaluate(
        "Array.from(document.querySelectorAll('table.budgetwh-static tbody tr a'))"
        ".map(a => a.getAttribute('href'))"
    )
    (failures,) = [
        h for h in listed if "budgetwh_error_rules" in h and pdf in h and h.startswith("validations/")
    ]
    browser.open(f"{index.parent.as_uri()}/{failures}")
    links = browser.evaluate(
        "Array.from(document.querySelectorAll('td.budgetwh-evidence a')).map(a => a.href)"
    )
    assert len(links) >= 5 and non_local(browser.requested_urls()) == []
    ((key,),) = q(
        run,
        "select finding_key from marts.fct_reconciliation_result where document_id = ? "
        "and rule_id = 'BW-HIE-003' and not passed",
        [pdf],
    )
    (shift,) = [u for u in links if u.endswith(f"/documents/{pdf}.html#f-{key}")]
    browser.open(shift)
    assert browser.evaluate(f"document.getElementById('f-{key}').dataset.rule") == "BW-HIE-003"


def test_the_index_lists_region_department_document_and_searches_by_department(run, browser):
    site = Path(f"{run}.evidence")
    browser.open((site / "index.html").as_uri())
    regions = browser.evaluate(
        "Array.from(document.querySelectorAll('section[data-region] h2')).map(h => h.textContent)"
    )
    assert regions == ["潼南区"]
    rows = browser.evaluate(
        "Array.from(document.querySelectorAll('tr[data-department]')).map(r => "
        "Array.from(r.cells).map(c => c.textContent))"
    )
    assert len(rows) == 2 and all(r[0] == "重庆市潼南区政务服务管理办公室" and r[5] == "failed" for r in rows)
    assert {r[4] for r in rows} == {"pdf", "xlsx"} and all(int(r[6]) >= 10 for r in rows)
    shown = browser.evaluate("""(() => { const s = document.getElementById('search');
        s.value = '审计'; s.dispatchEvent(new Event('input'));
        const none = document.querySelectorAll('tr[data-department]:not(.hidden)').length;
        s.value = '政务服务'; s.dispatchEvent(new Event('input'));
        return [none, document.querySelectorAll('tr[data-department]:not(.hidden)').length]; })()""")
    assert shown == [0, 2]


def test_the_annotated_pdf_has_a_page_per_page_with_findings(run):
    import pypdfium2

    site = Path(f"{run}.evidence")
    pdf = document_id(run, "pdf")
    pages_with_boxes = {
        p
        for (p,) in q(
            run,
            "select distinct page from marts.fct_reconciliation_result "
            "where document_id = ? and not passed and page is not null",
            [pdf],
        )
    }
    with pypdfium2.PdfDocument(site / "annotated" / f"{pdf}.pdf") as annotated:
        assert 1 <= len(annotated) <= len(pages_with_boxes) + 2
    assert (site / "originals" / f"{pdf}.pdf").read_bytes()[:5] == b"%PDF-"


def test_the_alert_carries_the_evidence_link_and_it_opens_the_findings_page(run, receiver, browser):
    (payload,) = [body for path, _, body in receiver.received if path == "/findings"]
    pdf = document_id(run, "pdf")
    (shift,) = [f for f in payload["findings"] if f["document"] == pdf and f["rule"] == "BW-HIE-002"]
    assert (shift["department"], shift["region"], shift["year"], shift["expected"], shift["actual"]) == (
        "重庆市潼南区政务服务管理办公室",
        "潼南区",
        2022,
        "38.85",
        "14.37",
    )
    assert shift["title"] and shift["place"].startswith("general_budget_expenditure, table 1, 21011, 2021")
    browser.open(shift["evidence_url"])
    anchor = shift["evidence_url"].rsplit("#", 1)[1]
    shown = browser.evaluate(
        f"(() => {{ const s = document.getElementById('{anchor}'); "
        "return [s.dataset.rule, s.textContent.includes('section 21011 is 14.37')]; })()"
    )
    assert shown == ["BW-HIE-002", True]


class ReviewServer:
    """``budgetwh serve``'s app under uvicorn on 127.0.0.1, in a thread."""

    def __init__(self, warehouse: Path, reviewers: str):
        import uvicorn

        from extractors.serve import create_app
        from extractors.serve import reviewers as parse

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        app = create_app(warehouse, parse(reviewers))
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)
        self.url = f"http://127.0.0.1:{self.port}"

    def close(self):
        self.server.should_exit = True
        self.thread.join(timeout=10)


def test_a_dismissal_made_on_the_review_page_survives_a_rerun_and_is_never_alerted(run, receiver, browser):
    pdf = document_id(run, "pdf")
    server = ReviewServer(run, "alice:s3cret,bob:other")
    try:
        page = f"{server.url}/documents/{pdf}.html"
        browser.events.clear()
        browser.open(page)
        assert browser.evaluate("document.querySelectorAll('form.review').length") == 0  # not logged in
        status = urllib.request.Request(
            f"{server.url}/review",
            method="POST",
            data=b"document_id=x&finding_key=y&anchor=z&verdict=dismissed",
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(status, timeout=10)
        assert refused.value.code == 401
        browser.open(f"{server.url}/login")
        since = len(browser.events)
        browser.evaluate("""(() => { document.querySelector('[name=reviewer]').value = 'alice';
            document.querySelector('[name=token]').value = 's3cret';
            document.querySelector('form').submit(); })()""")
        browser.wait_for("Page.loadEventFired", since)
        browser.open(page)
        section = 'section.finding[data-rule="BW-ROW-005"]'
        target = browser.evaluate(f"""Array.from(document.querySelectorAll('{section}'))
            .filter(s => s.textContent.includes('three public expenses 2022 (total)')).map(s => s.id)""")
        (anchor,) = target
        since = len(browser.events)
        browser.evaluate(f"""(() => {{ const s = document.getElementById('{anchor}');
            s.querySelector('[name=note]').value = 'the template prints the subtotal over both years';
            s.querySelector('button[value=dismissed]').click(); }})()""")
        browser.wait_for("Page.loadEventFired", since)
        assert (
            browser.evaluate(f"document.getElementById('{anchor}').querySelector('.verdict').dataset.verdict")
            == "dismissed"
        )
        assert non_local(browser.requested_urls()) == []
    finally:
        server.close()
    key = anchor.removeprefix("f-")
    posts = len(receiver.received)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("BUDGETWH_ALERT_WEBHOOK_URL", receiver.url + "/findings")
        assert (
            main(["run", "--input", str(run.parent / "input"), "--warehouse", str(run), "--workers", "1"])
            == 0
        )
    assert (
        len(receiver.received) == posts
    )  # every error finding alerted once already, the dismissed one never
    ((status, note, reviewer),) = q(
        run,
        """
        select r.review_status, v.note, v.reviewer from marts.fct_reconciliation_result as r
        join review.verdicts as v using (document_id, finding_key)
        where r.document_id = ? and r.finding_key = ?""",
        [pdf, key],
    )
    assert (status, note, reviewer) == (
        "dismissed",
        "the template prints the subtotal over both years",
        "alice",
    )
    ((dismissed, failed),) = q(
        run,
        "select dismissed_finding_count, failed_error_count from marts.dim_document where document_id = ?",
        [pdf],
    )
    assert dismissed == 1 and failed > 1
    browser.open((Path(f"{run}.evidence") / "documents" / f"{pdf}.html").as_uri())  # the rebuilt site
    assert browser.evaluate(
        f"document.getElementById('{anchor}').querySelector('.verdict').textContent"
    ).startswith("dismissed by alice")


def test_a_finding_is_cropped_on_at_most_three_pages_its_total_first():
    """A total whose parts a misread table spreads over many pages (深圳生态环境局 2026: 29) is cropped
    where it is printed and on the pages holding most of its parts; the annotated PDF has the rest."""
    from decimal import Decimal

    from expectations.evidence.locate import PART, TOTAL, Box, Finding
    from expectations.evidence.render import MAX_CROP_PAGES, crop_pages
    from expectations.evidence.site import CROPS_PER_DOCUMENT, cropped_findings

    def finding(severity: str, kind: str | None, number: int, boxes: list[Box]) -> Finding:
        return Finding("d", "BW-HIE-002", severity, kind, "t", 0, "201", 2026, 9, Decimal(1), Decimal(2),
                       Decimal(1), Decimal(0), "m", None, None, number=number, boxes=boxes)

    parts = [Box(PART, "p", Decimal(1), page, (0, 0, 1, 1), (page, 0)) for page in range(1, 30)]
    parts += [Box(PART, "p", Decimal(1), 12, (0, 2, 1, 3), (40, 0))]
    total = Box(TOTAL, "t", Decimal(2), 20, (0, 0, 1, 1), (50, 0))
    assert MAX_CROP_PAGES == 3
    assert crop_pages(finding("warning", None, 1, [*parts, total])) == [1, 12, 20]
    many = [finding("warning", "extraction_doubt", n, []) for n in range(CROPS_PER_DOCUMENT)]
    many += [finding("error", None, 500, []), finding("warning", None, 501, [])]
    chosen = cropped_findings(many)
    assert len(chosen) == CROPS_PER_DOCUMENT
    assert [f.number for f in chosen[:2]] == [500, 501]
