"""The cohort report as one self-contained HTML page: inline CSS, inline SVG charts, a
few lines of inline script to sort tables, and a Content-Security-Policy that forbids
every network request. Every text that came from a log or a deck is escaped."""

from __future__ import annotations

from html import escape
from typing import Any

from .. import __version__
from ..deck.levels import Level
from .charts import activity_chart, mastery_chart, scatter_chart
from .flags import RULES
from .report import CohortReport

__all__ = ["CSP", "render_html"]

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
"""The page's Content-Security-Policy: nothing is loaded from anywhere."""

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d1d1f}
main{max-width:1180px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid #ddd}
.sub{color:#555;margin:0 0 16px}
.tiles{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.tile{border:1px solid #ddd;border-radius:8px;padding:10px 14px;min-width:120px}
.tile b{display:block;font-size:22px}.tile span{color:#555}
.chart{width:100%;max-width:760px;height:auto;display:block;margin:8px 0}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f5f5f7;position:sticky;top:0;cursor:pointer;user-select:none}
td.n{text-align:right;font-variant-numeric:tabular-nums}
tr.flagged td:first-child{border-left:3px solid #d62728}
tr.behind td:first-child{border-left:3px solid #ff7f0e}
.warn{color:#a11}.muted{color:#777}code{font-size:12px}
ul.flags{padding-left:18px}ul.flags li{margin:3px 0}
ul.issues{margin:0;padding-left:16px}table.flags td{font-size:13px}
summary{cursor:pointer;color:#555}
table.items td:first-child{min-width:15em;word-break:break-all}
.opt{display:flex;align-items:center;gap:6px;white-space:nowrap}
.opt i{display:inline-block;height:8px;background:#9ecae1}.opt.key i{background:#31a354}
.opt.over i{background:#d62728}
details{margin:8px 0}dt{font-weight:600}dd{margin:0 0 6px 16px}
"""

_SCRIPT = """
document.querySelectorAll("table.sortable").forEach(function (table) {
  table.querySelectorAll("th").forEach(function (th, col) {
    th.addEventListener("click", function () {
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      var down = th.dataset.dir !== "down"; th.dataset.dir = down ? "down" : "up";
      rows.sort(function (a, b) {
        var x = a.cells[col].dataset.v || a.cells[col].textContent;
        var y = b.cells[col].dataset.v || b.cells[col].textContent;
        var nx = parseFloat(x), ny = parseFloat(y);
        var c = isNaN(nx) || isNaN(ny) ? x.localeCompare(y) : nx - ny;
        return down ? -c : c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
});
"""

_LEVEL_NAMES = {level.value: level.display_name for level in Level}


def _num(value: float | None, fmt: str = "{:.2f}") -> str:
    if value is None:
        return '<td class="n muted" data-v="-999">–</td>'
    return f'<td class="n" data-v="{value}">{fmt.format(value)}</td>'


def _seconds(ms: float | None) -> str:
    return _num(None if ms is None else ms / 1000, "{:.1f} s")


def _options(item: dict[str, Any]) -> str:
    parts = []
    key_rates = [o["rate"] for o in item["options"] if o["is_key"] and o["rate"] is not None]
    key_rate = min(key_rates, default=None)
    for o in item["options"]:
        rate = o["rate"] or 0.0
        over = not o["is_key"] and key_rate is not None and rate > key_rate
        cls = "opt key" if o["is_key"] else "opt over" if over else "opt"
        mark = "✓ " if o["is_key"] else ""
        parts.append(f'<div class="{cls}"><i style="width:{rate * 80:.0f}px"></i>'
                     f"{rate:.0%} {mark}{escape(o['option'])}</div>")  # fmt: skip
    if parts and not item["options"][0]["pickers"]:
        parts.append('<div class="muted">no picks recorded</div>')
    return "".join(parts)


def _item_rows(report: CohortReport, flagged: dict[tuple[Any, ...], list[str]]) -> str:
    rows = []
    for item in report.items:
        key = (item["deck_id"], item["item_id"], item["card"], item["content_hash"])
        rules = flagged.get(key, []) + flagged.get((item["deck_id"], item["item_id"]), [])
        card = f" <span class=muted>card {item['card']}</span>" if item["card"] > 1 else ""
        version = {"current": "", "earlier": " <span class=warn>earlier version</span>"}
        levels = ", ".join(_LEVEL_NAMES.get(v, v) for v in item["levels"])
        rows.append(
            f'<tr class="{"flagged" if rules else ""}"><td>'
            f"<code>{escape(item['deck_id'])}/{escape(item['item_id'])}</code>{card}"
            f"{version.get(item['version'] or '', '')}"
            f'<div class="muted">{escape(item["item_type"])} · {escape(levels)} · '
            f"<code>{escape(item['content_hash'])}</code></div></td>"
            f'<td class="n">{item["reached"]:,}</td>{_num(item["facility"])}'
            f"{_num(item['discrimination'])}{_num(item['upper_lower'])}"
            f"{_seconds(item['answer_ms_mean'])}{_seconds(item['answer_ms_median'])}"
            f"{_num(item['lapse_rate'], '{:.0%}') if item['lapse_n'] else _num(None)}"
            f"<td>{_options(item)}</td>"
            f'<td class="warn">{escape("; ".join(RULES[r] for r in rules))}</td></tr>'
        )
    return "".join(rows)


def _trainee_rows(report: CohortReport) -> str:
    rows = []
    for t in report.trainees:
        behind = t["days_since"] >= 7 or t["overdue"] >= 50
        rows.append(
            f'<tr class="{"behind" if behind else ""}"><td><code>{escape(t["trainee"])}</code>'
            f'</td><td class="n">{t["reviews"]:,}</td><td class="n">{t["cards_studied"]:,}</td>'
            f"{_num(t['retention'], '{:.0%}')}{_num(t['first_try'], '{:.0%}')}"
            f'<td class="n">{t["overdue"]:,}</td>'
            f'<td class="n" data-v="{t["days_since"]}">{t["last_day"]} '
            f'<span class="muted">({t["days_since"]} d ago)</span></td>'
            f'<td class="n">{t["active_days"]}</td><td class="n">{t["reviews_7d"]:,}</td>'
            f"<td>{escape(', '.join(t['apps']))}</td></tr>"
        )
    return "".join(rows)


def _flag_rows(report: CohortReport) -> str:
    """One row per flagged question (or item), in the order the flags come: its place in
    the deck file, what is wrong, and the figures behind it."""
    by_key = {(i["deck_id"], i["item_id"], i["card"], i["content_hash"]): i for i in report.items}
    groups: dict[tuple[Any, ...], list[int]] = {}
    for n, f in enumerate(report.flags):
        groups.setdefault((f.deck_id, f.item_id, f.card, f.content_hash), []).append(n)
    rows = []
    for key, numbers in groups.items():
        first = report.flags[numbers[0]]
        where = report.locations.get(numbers[0])
        place = (
            f"<code>{escape(where.path.rsplit('/', 1)[-1])}:{where.line}</code>"
            if where
            else '<span class="muted">deck file not given</span>'
        )
        item = by_key.get(key)
        what = "".join(f"<li>{escape(report.flags[n].message)}</li>" for n in numbers)
        facility = _num(item["facility"]) if item else _num(None)
        discrimination = _num(item["discrimination"]) if item else _num(None)
        reached = f'<td class="n">{item["reached"]:,}</td>' if item else _num(None)
        rows.append(
            f"<tr><td><code>{escape(first.subject)}</code><div>{place}</div></td>"
            f'<td><ul class="issues">{what}</ul></td>{reached}{facility}{discrimination}</tr>'
        )
    return "".join(rows)


def _rule_counts(report: CohortReport) -> str:
    counts: dict[str, int] = {}
    for f in report.flags:
        counts[f.rule] = counts.get(f.rule, 0) + 1
    return " · ".join(f"<b>{n}</b> {escape(RULES[r])}" for r, n in counts.items()) or "none"


def render_html(report: CohortReport) -> str:
    """The report page (a complete HTML document)."""
    c = report.cohort
    flagged: dict[tuple[Any, ...], list[str]] = {}
    labels: dict[tuple[Any, ...], str] = {}
    for f in report.flags:
        if f.card is None:
            flagged.setdefault((f.deck_id, f.item_id), []).append(f.rule)
        else:
            key = (f.deck_id, f.item_id, f.card, f.content_hash)
            flagged.setdefault(key, []).append(f.rule)
            labels[key] = f.item_id
    decks = ", ".join(
        escape(report.titles.get(d, d)) + f" <code>{escape(d)}</code>" for d in c["decks"]
    )
    behind = sum(1 for t in report.trainees if t["days_since"] >= 7)
    warnings = "".join(f"<li><code>{escape(line)}</code></li>" for line in report.warning_lines())
    left_out = (
        f"<p class=muted>Older logs of the same trainees left out: "
        f"{escape(', '.join(report.loaded.left_out))}</p>"
        if report.loaded.left_out
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cohort report · {escape(", ".join(c["decks"]))} · {report.as_of}</title>
<style>{_CSS}</style></head>
<body><main>
<h1>Cohort report</h1>
<p class="sub">{decks} · reviews from {c["first_day"]} to {c["last_day"]} · as of {report.as_of}</p>
<div class="tiles">
<div class="tile"><b>{c["trainees"]:,}</b><span>trainees</span></div>
<div class="tile"><b>{c["reviews"]:,}</b><span>reviews</span></div>
<div class="tile"><b>{c["items"]:,}</b><span>items reached</span></div>
<div class="tile"><b class="warn">{len(report.flags)}</b><span>flags</span></div>
<div class="tile"><b>{behind:,}</b><span>trainees inactive 7+ days</span></div>
</div>
<h2 id="flags">Items to look at</h2>
<p>{_rule_counts(report)}</p>
<p class="muted">A flag needs at least {report.min_trainees} trainees behind its figure.
With the deck file given, each names the line to open in an editor.</p>
<table class="sortable flags"><thead><tr><th>item</th><th>what the cohort's answers say</th>
<th>reached</th><th>facility</th><th>discrimination</th></tr></thead>
<tbody>{_flag_rows(report) or '<tr><td colspan="5">No flags.</td></tr>'}</tbody></table>
<details><summary>The same flags as compiler warnings (PATH:LINE:COL), as the command
prints them</summary><ul class="flags">{warnings or "<li>No flags.</li>"}</ul></details>
<h2 id="items-chart">Facility and discrimination</h2>
{scatter_chart(report.items, labels)}
<h2 id="items">Items</h2>
<table class="sortable items"><thead><tr><th>item</th><th>reached</th><th>facility</th>
<th>discrimination</th><th>upper−lower 27%</th><th>mean time</th><th>median time</th>
<th>lapse at 1st review</th><th>options: share who picked each (✓ key)</th><th>flags</th>
</tr></thead><tbody>{_item_rows(report, flagged)}</tbody></table>
<h2 id="levels">Mastery per level</h2>
{mastery_chart(report.levels, _LEVEL_NAMES)}
<h2 id="trainees">Trainees</h2>
<p class="muted">Most overdue first. Marked: inactive for 7 days or more, or 50+ cards
overdue.</p>
<table class="sortable"><thead><tr><th>pseudonym</th><th>reviews</th><th>cards studied</th>
<th>retention</th><th>first-try score</th><th>overdue</th><th>last activity</th>
<th>active days</th><th>reviews, last 7 d</th><th>app</th></tr></thead>
<tbody>{_trainee_rows(report)}</tbody></table>
<h2 id="activity">Activity</h2>
{activity_chart(report.activity)}
<h2 id="definitions">How the figures are made</h2>
<dl>
<dt>Facility</dt><dd>Share of trainees right at their first exposure to the item.</dd>
<dt>Discrimination</dt><dd>Point-biserial correlation between being right at first
exposure and the trainee's score on the other items (−1 to 1; below 0.10 is flagged).</dd>
<dt>Upper−lower 27%</dt><dd>Facility among the top 27% of trainees by that score minus
facility among the bottom 27%.</dd>
<dt>Lapse at first review</dt><dd>Share of trainees who failed the item the first time it
came back on schedule.</dd>
<dt>Options</dt><dd>For choice items, the share of trainees who picked each option at
their first recorded answer (hccquiz records picks; Anki does not).</dd>
<dt>Retention</dt><dd>Share of scheduled reviews answered right. First-try score: share
of items right at first exposure. Overdue: cards due before {report.as_of} and not
reviewed since the trainee's log was exported.</dd>
<dt>Versions</dt><dd>An item edited mid-cohort is analysed per version (content hash).</dd>
</dl>
{left_out}
<p class="muted">hccquiz {escape(__version__)} · {len(report.loaded.logs)} log(s) ·
made offline; this file loads nothing from the network.</p>
</main>
<script>{_SCRIPT}</script>
</body></html>
"""
