"""The report in a real browser: headless Chromium shows every section, and no script from a document runs.

Skipped when the ``chromium`` binary is absent (Debian package ``chromium``; .ci/run installs it).
Three renderings of a report built from documents whose text and metadata carry
``<script>`` and ``onerror=`` payloads that would set the title to PWNED and add
a ``#pwned`` element if they ever ran:

1. the report as written (its Content-Security-Policy forbids scripts anyway);
2. the same page with the CSP removed, so escaping alone must keep the payloads inert;
3. a control: that page plus one script of our own, which must run (so 2 proves something)
   and which measures that each section is laid out with a visible size.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from test_report import hostile_corpus  # tests/ is on sys.path (rootdir-relative imports)

from framing.reporting import build_report

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)

SECTIONS = ("overview", "form", "echoes", "claims", "features", "terms", "formulae", "frames", "actors", "documents",
            "methods")
TITLE = "How the official texts and the commentary differ"

#: Our own probe: records which sections have a visible box, in the title.
PROBE = """<script>
window.addEventListener("load", function () {
  var ids = %s, seen = [];
  ids.forEach(function (id) {
    var el = document.getElementById(id);
    if (!el) return;
    var r = el.getBoundingClientRect(), st = getComputedStyle(el);
    if (r.width > 300 && r.height > 40 && st.display !== "none" && st.visibility !== "hidden") seen.push(id);
  });
  document.title = "VISIBLE:" + seen.join(",");
});
</script>"""


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    profile.mkdir()
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", "--window-size=1366,900", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


def _dom(tmp_path: Path, page: Path) -> str:
    result = _chromium(tmp_path, "--dump-dom", page.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    assert "<body" in result.stdout, result.stderr[-2000:]
    return result.stdout


def _title(dom: str) -> str:
    m = re.search(r"<title>(.*?)</title>", dom, re.DOTALL)
    return m.group(1) if m else ""


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser-report")
    build_report(hostile_corpus(), out, n_boot=200, n_perm=200)
    return out / "report.html"


def _assert_payload_inert(dom: str) -> None:
    assert "PWNED" not in _title(dom)
    assert 'id="pwned"' not in dom
    assert "&lt;script&gt;document.title" in dom  # the payload is on the page, as text


def test_report_as_written_runs_no_document_script(hostile_page, tmp_path):
    dom = _dom(tmp_path, hostile_page)
    _assert_payload_inert(dom)
    assert _title(dom) == TITLE


def test_escaping_alone_keeps_payloads_inert_and_sections_are_visible(hostile_page, tmp_path):
    html = hostile_page.read_text(encoding="utf-8")
    no_csp = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n', "", html)
    assert no_csp != html
    bare = tmp_path / "no-csp.html"
    bare.write_text(no_csp, encoding="utf-8")
    _assert_payload_inert(_dom(tmp_path, bare))

    probed = tmp_path / "probed.html"
    ids = "[" + ",".join(f'"{s}"' for s in SECTIONS) + "]"
    probed.write_text(no_csp.replace("</body>", PROBE % ids + "\n</body>"), encoding="utf-8")
    dom = _dom(tmp_path, probed)
    title = _title(dom)
    assert title.startswith("VISIBLE:"), f"our own probe script did not run: {title!r}"
    assert title.split(":", 1)[1].split(",") == list(SECTIONS)
    _assert_payload_inert(dom)


def test_screenshot_of_the_seeds_report_is_not_blank(tmp_path):
    out = tmp_path / "seeds"
    root = Path(__file__).resolve().parents[1]
    build_report(root / "seeds", out)
    shot = tmp_path / "seeds.png"
    result = _chromium(tmp_path, "--hide-scrollbars", f"--screenshot={shot}", (out / "report.html").as_uri())
    assert result.returncode == 0 and shot.exists(), result.stderr[-2000:]
    from PIL import Image

    image = Image.open(shot).convert("L")
    assert image.size == (1366, 900)
    grey_levels = image.getcolors(maxcolors=256) or []
    assert len(grey_levels) > 20  # text, tags and colour, not a blank page


#: Our own probe at a narrow window: is any section heading under the menu after jumping to it?
HEADER_PROBE = """<script>
window.addEventListener("load", function () {
  var nav = document.querySelector("nav"), hidden = [];
  ["form", "echoes", "claims", "features", "documents"].forEach(function (id) {
    var h = document.querySelector("#" + id + " h2");
    if (!h) return;
    h.scrollIntoView();
    window.scrollBy(0, 0);
    var navBottom = getComputedStyle(nav).position === "sticky" || getComputedStyle(nav).position === "fixed"
      ? nav.getBoundingClientRect().bottom : 0;
    if (h.getBoundingClientRect().top < navBottom - 1) hidden.push(id);
  });
  document.title = "HIDDEN:" + hidden.join(",") + ";NAV:" + getComputedStyle(nav).position;
});
</script>"""


def test_seeds_report_first_screen_states_findings_unit_and_quotes(seeds_page, tmp_path):
    dom = _dom(tmp_path, seeds_page)
    overview = dom.split('id="overview"', 1)[1].split('id="form"', 1)[0]
    assert "Unit of analysis: documents" in overview
    assert "No statistical test is possible" in overview
    # one 380-word official text: three differences rest on 5 cues or more; the rest are listed as thin
    headlines = overview.count('<p class="fsent">')
    assert 3 <= headlines <= 6
    assert overview.count('class="fq g0"') >= headlines  # a quote (or its absence) from the official side each
    thin = overview.split("thin finding", 1)[1]
    assert "institutional self-presentation" in thin and "rests on 3 cues" in thin
    assert "Q&amp;A" not in overview.split("thin finding")[0]  # format is not a framing headline
    assert "pools 3 kinds of text" in overview


@pytest.mark.parametrize("width", [800, 1366])
def test_menu_covers_no_section_heading(seeds_page, tmp_path, width):
    html = seeds_page.read_text(encoding="utf-8")
    no_csp = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n', "", html)
    probed = tmp_path / "header-probe.html"
    probed.write_text(no_csp.replace("</body>", HEADER_PROBE + "\n</body>"), encoding="utf-8")
    profile = tmp_path / "p-header"
    profile.mkdir()
    result = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                             "--disable-background-networking", "--disable-component-update", "--disable-sync",
                             f"--user-data-dir={profile}", f"--window-size={width},900", "--dump-dom",
                             probed.as_uri()], capture_output=True, text=True, timeout=120, check=False)
    title = _title(result.stdout)
    assert title.startswith("HIDDEN:"), title
    assert title.split(";")[0] == "HIDDEN:", title
    if width <= 900:
        assert title.endswith("NAV:static")


def test_print_stylesheet_drops_the_menu_and_opens_folded_sections(seeds_page, tmp_path):
    pdf = tmp_path / "seeds.pdf"
    result = _chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", seeds_page.as_uri())
    assert result.returncode == 0 and pdf.exists() and pdf.stat().st_size > 10_000, result.stderr[-2000:]
    css = seeds_page.read_text(encoding="utf-8").split("@media print", 1)[1]
    assert "nav{display:none}" in css and "details" in css


@pytest.fixture(scope="module")
def seeds_page(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seeds-page")
    build_report(Path(__file__).resolve().parents[1] / "seeds", out, n_boot=200, n_perm=200)
    return out / "report.html"


#: Our own probe: pairs of labels of the overview chart that overlap on screen (a finding's title ran into the
#: numbers of its scale when it was longer than the space left of the axis).
CHART_PROBE = """<script>
window.addEventListener("load", function () {
  var texts = Array.prototype.slice.call(document.querySelectorAll("svg.findings-chart text")), hits = [];
  var boxes = texts.map(function (t) { return t.getBoundingClientRect(); });
  for (var i = 0; i < texts.length; i++) for (var j = i + 1; j < texts.length; j++) {
    var a = boxes[i], b = boxes[j];
    var w = Math.min(a.right, b.right) - Math.max(a.left, b.left), h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    if (w > 1 && h > 1) hits.push(texts[i].textContent.slice(0, 40) + " / " + texts[j].textContent.slice(0, 20));
  }
  document.title = "CHART:" + texts.length + ";OVERLAPS:" + hits.join(" | ");
});
</script>"""


def test_overview_chart_labels_do_not_overlap(seeds_page, tmp_path):
    html = seeds_page.read_text(encoding="utf-8")
    no_csp = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n', "", html)
    probed = tmp_path / "chart-probe.html"
    probed.write_text(no_csp.replace("</body>", CHART_PROBE + "\n</body>"), encoding="utf-8")
    title = _title(_dom(tmp_path, probed))
    assert title.startswith("CHART:"), f"our own probe script did not run: {title!r}"
    shown, overlaps = title[len("CHART:"):].split(";OVERLAPS:")
    assert int(shown) > 10  # the chart is there: a title, scale numbers and group labels per finding
    assert overlaps == "", overlaps
