"""Make docs/cohort-report.png: a simulated cohort of 120 residents on the bundled deck
(2PL answers, one misleading distractor), reported with the deck file and shot in
headless Chromium. Run: .venv/bin/python docs/cohort_screenshot.py"""

from __future__ import annotations

import random
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import open_page  # noqa: E402
from cohort_support import SimItem, simulate  # noqa: E402

from hccquiz.cohort.html import render_html  # noqa: E402
from hccquiz.cohort.report import build_report  # noqa: E402
from hccquiz.deck.content import item_contents  # noqa: E402
from hccquiz.deck.file import load_deck  # noqa: E402
from hccquiz.deck.models import ChoiceItem  # noqa: E402

DECK = ROOT / "decks" / "imbrave150.yaml"


def main() -> None:
    deck = load_deck(DECK)
    rng = random.Random(150)
    hashes = {i.id: h for i, (_, h) in zip(deck.items, item_contents(deck.items), strict=True)}
    items = []
    planted = False
    for n, item in enumerate(deck.items[:40]):
        levels = tuple(level.value for level in deck.item_levels(item))
        a, b = rng.uniform(0.8, 2.2), rng.gauss(-0.6, 1.0)
        if n == 7:
            a = 0.0  # one item nobody can learn from
        if isinstance(item, ChoiceItem) and not item.multiple:
            key = [item.answer] if isinstance(item.answer, str) else item.answer
            options = (key[0], *[c for c in item.choices if c not in key])
            weights = [rng.random() for _ in options[1:]]
            if not planted:  # a misconception: most wrong answers go to one distractor
                weights, b, planted = [5.0, *([0.3] * (len(weights) - 1))], 0.9, True
            items.append(SimItem(item.id, a, b, options, tuple(weights), "choice", levels))
        elif not isinstance(item, ChoiceItem):
            items.append(SimItem(item.id, a, b, item_type=item.type, levels=levels))
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        cohort = simulate(work / "logs", items, trainees=120, seed=7, reach=0.9, hashes=hashes)
        for path in cohort.folder.iterdir():  # the deck's id, not the simulator's
            path.write_text(path.read_text().replace(",sim,", f",{deck.id},"))
        report = build_report([str(cohort.folder)], [(DECK, deck)], as_of=date(2026, 9, 16))
        page = work / "report.html"
        page.write_text(render_html(report), encoding="utf-8")
        shot = open_page(page, "1", width=1200, height=900, max_height=2600)
    assert not shot.errors, shot.errors
    (ROOT / "docs" / "cohort-report.png").write_bytes(shot.screenshot)


if __name__ == "__main__":
    main()
