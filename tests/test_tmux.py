"""Drive the installed ``hccquiz study`` in tmux, as a person would: keys in, screen out."""

from __future__ import annotations

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
