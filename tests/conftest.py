"""Shared test helpers: run the real CLI in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_cli(
    *args: str | Path,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m hccquiz ARGS`` as a user would, capturing text output."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "hccquiz", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=full_env,
        timeout=timeout,
    )


@pytest.fixture(autouse=True)
def private_settings_file(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> Path:
    """Every test (and every CLI it runs) uses its own machine settings file, never the
    user's ~/.config/hccquiz/settings.json."""
    path = tmp_path_factory.mktemp("config") / "settings.json"
    monkeypatch.setenv("HCCQUIZ_CONFIG", str(path))
    return path


@pytest.fixture
def cli_run():
    """The `run_cli` helper as a fixture."""
    return run_cli
