"""Builders for TUI tests: a real store in a temp dir, a fixed clock and small decks."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

from hccquiz.clock import FixedClock
from hccquiz.store import Store
from hccquiz.study import StudyConfig, Workspace, sync_files
from hccquiz.study.preferences import MachineFile, Settings

START = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)

STUDY_DECK = """\
id: tuideck
title: "TUI Trial — a deck for the app tests"
levels: [resident]
items:
  - id: basic-hr
    source: "Key Findings 1"
    question: "What was the OS hazard ratio?"
    answer: "0.58"
    explanation: "95% CI, 0.42 to 0.79."
  - id: cloze-pfs
    type: cloze
    levels: [fellow]
    source: "Key Findings 3"
    text: "Median PFS {{c1::6.8 months::duration}} vs {{c2::4.3 months}}."
  - id: choice-n
    type: choice
    shuffle: false
    source: "Study Design"
    question: "How many patients were enrolled?"
    choices: ["501", "602", "954"]
    answer: "501"
  - id: choice-all
    type: choice
    shuffle: false
    levels: [phd]
    source: "Study Design"
    question: "Which were primary endpoints?"
    choices: ["OS", "PFS", "ORR"]
    answer: ["OS", "PFS"]
  - id: basic-followup
    source: "Study Design"
    question: "What was the median follow-up?"
    answer: "8.6 months"
"""

MARKUP_DECK = """\
id: markup
title: "Markup [bold]deck[/bold]"
levels: [med-student]
items:
  - id: inject
    source: "[link=https://evil.example]src[/link]"
    question: "Is [bold]x[/bold] bold? [/] <b>raw</b> [@click=app.quit]quit[/]"
    answer: "<script>alert(1)</script> and [red]red[/red]"
    explanation: "[i]not italic[/i]"
"""


def make_workspace(
    tmp_path: Path, deck_text: str = STUDY_DECK, config: StudyConfig | None = None
) -> Workspace:
    """A workspace on a fresh database with `deck_text` synced, its settings kept in the
    database and in a machine settings file in `tmp_path`."""
    deck = tmp_path / "deck.yaml"
    deck.write_text(deck_text, encoding="utf-8")
    clock = FixedClock(START)
    store = Store.open(tmp_path / "progress.db", durable=False)
    sync_files(store, [deck], now=clock.now())
    settings = Settings(store, MachineFile(tmp_path / "settings.json"))
    return Workspace(
        store,
        clock=clock,
        rng=random.Random(7),
        config=config,
        settings=settings,
        sources={"tuideck": f"named on the command line ({deck.name})"},
    )


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    """Everything on the app's screen as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Let worker threads (database reads off the UI thread) finish, then the messages
    they post."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
