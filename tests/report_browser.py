"""Open an HTML file in Debian's headless Chromium (chromium-headless-shell) through
Playwright, recording console errors and every request the page makes.

Playwright's own browser download does not work here, so it drives the Debian binary via
executable_path. Without a browser the test is skipped, saying so; with
LEADSCORE_REQUIRE_BROWSER=1 (set by .ci/run) the skip becomes a failure.
"""

import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from leadscore.settings import PROJECT_ROOT

CHROMIUM_CANDIDATES = (
    "/usr/bin/chromium-headless-shell",
    "/usr/lib/chromium/chromium-headless-shell",
)
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--no-first-run",
    "--metrics-recording-only",
]
SCREENSHOT_DIR = PROJECT_ROOT / "target"

# Per chart <figure>: whether it holds a plot, its trace count, the points plotly laid out
# (sum of each trace's _length) and the SVG marks drawn with geometry.
CHART_STATS_JS = """() => Object.fromEntries(Array.from(document.querySelectorAll('figure.chart')).map(f => {
  const gd = f.querySelector('.js-plotly-plot');
  const full = gd && gd._fullData ? gd._fullData : [];
  const marks = f.querySelectorAll('.cartesianlayer g.trace path[d]');
  const drawn = Array.from(marks).filter(p => (p.getAttribute('d') || '').length > 8).length;
  return [f.id, {hasPlot: !!gd, traces: full.length,
                 points: full.reduce((n, t) => n + (t._length || 0), 0), drawn: drawn,
                 names: full.map(t => t.name || ''),
                 x: full.flatMap(t => t.x ? Array.from(t.x).map(String) : [])}];
}))"""


def chromium_or_skip() -> str:
    """The Chromium binary, or skip (fail under LEADSCORE_REQUIRE_BROWSER=1) saying why."""
    executable = os.environ.get("LEADSCORE_CHROMIUM") or next(
        (p for p in CHROMIUM_CANDIDATES if Path(p).is_file()), None
    )
    reason = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reason = "the playwright package is not installed (make venv)"
    if reason is None and (executable is None or not Path(executable).is_file()):
        reason = "no headless Chromium (apt-get install chromium-headless-shell)"
    if reason is None:
        return executable
    if os.environ.get("LEADSCORE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser test required (LEADSCORE_REQUIRE_BROWSER=1) but {reason}")
    pytest.skip(f"browser test skipped: {reason}")


@dataclass
class OpenedPage:
    page: object
    console_errors: list = field(default_factory=list)
    requests: list = field(default_factory=list)

    def chart_stats(self) -> dict:
        return self.page.evaluate(CHART_STATS_JS)

    def screenshot(self, name: str) -> Path:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / name
        self.page.screenshot(path=str(path), full_page=True)
        print(f"report screenshot: {path}")
        return path


@contextmanager
def open_in_browser(html_path: Path):
    """The page loaded from a file:// URL, every script run, with its errors and requests."""
    from playwright.sync_api import sync_playwright

    executable = chromium_or_skip()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            opened = OpenedPage(page)
            page.on(
                "console",
                lambda m: opened.console_errors.append(m.text) if m.type == "error" else None,
            )
            page.on("pageerror", lambda e: opened.console_errors.append(str(e)))
            page.on("request", lambda r: opened.requests.append(r.url))
            page.goto(Path(html_path).resolve().as_uri(), wait_until="load")
            page.wait_for_function(
                "() => document.querySelectorAll('.js-plotly-plot .main-svg').length > 0"
            )
            yield opened
        finally:
            browser.close()


def assert_every_chart_drawn(opened: OpenedPage, html_path: Path) -> dict:
    """No console error, no request but the file itself, and every chart drawn with data."""
    assert opened.console_errors == [], opened.console_errors
    assert opened.requests == [Path(html_path).resolve().as_uri()], opened.requests
    stats = opened.chart_stats()
    assert len(stats) >= 10, stats.keys()
    empty = {
        cid: s
        for cid, s in stats.items()
        if not (s["hasPlot"] and s["traces"] > 0 and s["points"] > 0 and s["drawn"] > 0)
    }
    assert not empty, "charts without drawn data: " + ", ".join(
        f"{cid} (plot {s['hasPlot']}, traces {s['traces']}, points {s['points']}, marks {s['drawn']})"
        for cid, s in empty.items()
    )
    return stats
