"""Drive the installed ``hccquiz study`` in tmux, as a person would: keys in, screen out."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from hccquiz.store import Store

ROOT = Path(__file__).resolve().parents[1]
HCCQUIZ = Path(sys.executable).parent / "hccquiz"

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Tmux:
    """One detached tmux session on a private socket."""

    def __init__(self, command: str, size: tuple[int, int] = (80, 24)) -> None:
        self.socket = f"hccquiz-test-{uuid.uuid4().hex[:8]}"
        self.run("new-session", "-d", "-s", "t", "-x", str(size[0]), "-y", str(size[1]), command)

    def run(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], check=True,
                              capture_output=True, text=True).stdout  # fmt: skip

    def screen(self) -> str:
        return self.run("capture-pane", "-t", "t", "-p")

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", "t", *keys)

    def wait_for(self, check: Callable[[str], bool], timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if check(screen):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"screen never matched:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


def test_study_two_cards_in_tmux(tmp_path: Path) -> None:
    db = tmp_path / "progress.db"
    marker = tmp_path / "exited"
    command = f"cd {ROOT} && {HCCQUIZ} study --db {db}; touch {marker}; sleep 5"
    tmux = Tmux(command)
    try:
        first = tmux.wait_for(lambda s: "New 20" in s and "space Show answer" in s)
        question = next(line for line in first.splitlines() if line.startswith("│  "))
        tmux.keys("Space")
        tmux.wait_for(lambda s: "Good ·" in s and "IMbrave150 ·" in s)
        tmux.keys("3")
        second = tmux.wait_for(lambda s: "New 19" in s and question not in s)
        assert "space Show answer" in second
        tmux.keys("Space")
        tmux.wait_for(lambda s: "Good ·" in s)
        tmux.keys("4")
        tmux.wait_for(lambda s: "New 18" in s)
        tmux.keys("q")
        deadline = time.monotonic() + 10
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), tmux.screen()
    finally:
        tmux.close()
    with Store.open(db) as store:
        assert [(r.kind, r.quality) for r in store.reviews()] == [("study", 4), ("study", 5)]


def _row(screen: str, title: str) -> tuple[int, int, int] | None:
    """(new, learning, review) of the home screen's table row for the deck titled `title`,
    or None while the table has not been drawn (the deck's details also name the title)."""
    for line in screen.splitlines():
        if title not in line:
            continue
        numbers = [int(n) for n in re.findall(r"(?<=\s)\d+(?=\s|$)", line.split("…")[-1])]
        if len(numbers) >= 3:
            return numbers[-3], numbers[-2], numbers[-1]
    return None


def _summary(screen: str) -> tuple[int, int, int, int] | None:
    """(total, new, learning, review) of the session summary's "Left today" line, or None
    while it has not been drawn."""
    words = " ".join(screen.split())
    found = re.search(r"Left today (\d+): new (\d+) · learning (\d+) · review (\d+)", words)
    if found is None:
        return None
    total, new, learning, review = map(int, found.groups())
    return total, new, learning, review


def test_a_whole_day_home_summary_and_stats_agree(tmp_path: Path) -> None:
    """Study, grade two cards Again, suspend one, undo, quit, reopen: home, the session
    summary and `hccquiz stats --json` give the same counts (issue 10, item 5)."""
    db = tmp_path / "day.db"
    env = f"HCCQUIZ_CONFIG={tmp_path / 'settings.json'}"
    tmux = Tmux(f"cd {ROOT} && {env} {HCCQUIZ} study --db {db}; sleep 30")
    try:
        tmux.wait_for(lambda s: "New 20" in s and "space Show answer" in s)
        for n in range(12):
            left = 20 - n
            tmux.wait_for(lambda s, left=left: f"New {left} " in s and "Show answer" in s)
            tmux.keys("Space")
            screen = tmux.wait_for(lambda s: "Good ·" in s and "   space " in s)
            grade = "1" if n in (3, 7) else "3"
            if "[ ]" in screen or "[x]" in screen:  # a choice card: mark the grade, then go on
                tmux.keys(grade)
                tmux.keys("Space")
            else:
                tmux.keys(grade)
        tmux.wait_for(lambda s: "New 8 " in s and "Show answer" in s)
        tmux.keys("s")
        tmux.wait_for(lambda s: "Card suspended" in s)
        tmux.keys("u")
        tmux.wait_for(lambda s: "Undone." in s)
        tmux.keys("s")
        tmux.wait_for(lambda s: "Card suspended" in s and "New 8 " in s)
        tmux.keys("q")
        tmux.wait_for(lambda s: "hccquiz —" not in s)  # the app has quit
    finally:
        tmux.close()
    title = "IMbrave150 — Atezolizumab"
    tmux = Tmux(f"cd {ROOT} && {env} HCCQUIZ_DB={db} {HCCQUIZ} 2>&1; sleep 30")
    try:
        tmux.wait_for(lambda s: f"{title}" in s and "Left today" in s)
        home = _row(tmux.wait_for(lambda s: "today:" in s and _row(s, title) is not None), title)
        tmux.keys("s")
        tmux.wait_for(lambda s: "space Show answer" in s)
        tmux.keys("Escape")
        summary = _summary(
            tmux.wait_for(lambda s: "Next due" in s and "…" not in s and _summary(s) is not None)
        )
        tmux.keys("Enter")
        again = _row(tmux.wait_for(lambda s: "Left today" in s and _row(s, title) is not None),
                     title)  # fmt: skip
        tmux.keys("q")
    finally:
        tmux.close()
    stats = subprocess.run([HCCQUIZ, "stats", "--json", "--db", str(db)], capture_output=True,
                           text=True, check=True, cwd=ROOT)  # fmt: skip
    left = json.loads(stats.stdout)["left_today"]
    # 12 introduced, one suspended (its place taken by the next new card), two in the drill
    assert home is not None and summary is not None
    assert home == again == summary[1:] == (left["new"], left["learning"], left["review"])
    assert home == (8, 2, 0) and summary[0] == left["total"] == 10
