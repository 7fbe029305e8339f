"""The HTML report in a real headless Chromium (Debian's `chromium`): one file that loads
nothing, runs without a console error, and draws its charts."""

from __future__ import annotations

import os
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from browser_support import open_page
from cohort_support import SimItem, simulate

from hccquiz.cohort.html import render_html
from hccquiz.cohort.report import build_report

if not shutil.which("chromium"):
    if os.environ.get("CI"):
        raise RuntimeError(".ci/run installs chromium; it is missing")
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)

MEASURE = """(() => {
  const charts = Array.from(document.querySelectorAll("svg.chart")).map(svg => {
    const box = svg.getBoundingClientRect();
    const marks = Array.from(svg.querySelectorAll("circle, rect.bar, rect.box"))
      .filter(m => { const b = m.getBoundingClientRect(); return b.width > 0 && b.height > 0; });
    return {width: box.width, height: box.height, marks: marks.length,
            labels: svg.querySelectorAll("text.label").length};
  });
  const th = document.querySelector("table.items").querySelectorAll("th")[2];
  const before = document.querySelector("table.items tbody tr td").textContent;
  th.click();
  const after = document.querySelector("table.items tbody tr td").textContent;
  const resources = performance.getEntriesByType("resource").length;
  return {charts, sorted: before !== after, resources};
})()"""


def _report_page(tmp_path: Path) -> Path:
    items = [SimItem(f"item-{i:02d}", 1.6, -2.2 + 0.25 * i) for i in range(18)]
    items.append(SimItem("flat", 0.0, 0.0))
    items.append(SimItem("misconception", 1.5, 1.2, ("right", "tempting <b>", "fair", "never"),
                         (0.85, 0.15, 0.0)))  # fmt: skip
    cohort = simulate(tmp_path / "logs", items, trainees=120, seed=5)
    report = build_report([str(cohort.folder)], as_of=date(2026, 10, 1))
    page = tmp_path / "report.html"
    page.write_text(render_html(report), encoding="utf-8")
    return page


def test_report_renders_in_chromium_without_errors(tmp_path: Path) -> None:
    page = _report_page(tmp_path)
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "no external resources"
    assert "tempting &lt;b&gt;" in html and "tempting <b>" not in html
    result = open_page(page, MEASURE)
    assert result.errors == [], result.errors
    assert not [c for c in result.console if c[0] in ("error", "warning")]
    charts = result.value["charts"]
    assert len(charts) == 3
    for chart, marks in zip(charts, (20, 2, 5), strict=True):  # dots; box + mean; days
        assert chart["width"] > 300 and chart["height"] > 60
        assert chart["marks"] >= marks
    assert charts[0]["labels"] >= 2, "flagged items are labelled on the scatter"
    assert result.value["sorted"], "clicking a column header sorts the table"
    assert result.value["resources"] == 0
    assert result.screenshot.startswith(b"\x89PNG")
