"""``hccquiz serve`` in a real headless Chromium, shell completion, and the serve command's
warnings (issue 15)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from click.testing import CliRunner
from serve_support import CHROMIUM, study_one_card

from hccquiz.cli import cli
from hccquiz.cli._serve import SERVE
from hccquiz.store import Store
from hccquiz.tui.serve import is_local, public_url


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
def test_a_browser_tab_studies_a_card_and_the_review_is_on_disk(tmp_path: Path) -> None:
    text = asyncio.run(study_one_card(tmp_path, tmp_path / "shot.png"))
    assert "Show answer" in text and "Good" in text
    assert (tmp_path / "shot.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with Store.open(tmp_path / "progress.db") as store:
        reviews = store.reviews()
    assert [(r.kind, r.quality) for r in reviews] == [("study", 4)]  # Good, saved on disk
    log = (tmp_path / "serve.log").read_text(errors="replace")
    assert "Traceback" not in log, log[-4000:]  # serving, and stopping with Ctrl+C


def _serve(*args: str) -> tuple[int, str, list[tuple[str, str, int, str]]]:
    served: list[tuple[str, str, int, str]] = []
    result = CliRunner().invoke(cli, ["serve", *args], obj={SERVE: lambda *a: served.append(a)})
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else ""), served


def test_serve_binds_to_this_machine_and_warns_otherwise(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    code, out, served = _serve("--db", db)
    assert code == 0 and "warning" not in out
    command, host, port, url = served[0]
    assert (host, port, url) == ("127.0.0.1", 8000, "http://127.0.0.1:8000")
    assert command.endswith(f"-m hccquiz home --db {db}")
    code, out, served = _serve("--db", db, "--host", "0.0.0.0", "--port", "9000")
    assert code == 0
    assert "warning: --host 0.0.0.0 is not this machine only: anyone who can reach port 9000" in out
    assert served[0][3].endswith(":9000") and "0.0.0.0" not in served[0][3]
    code, out, _ = _serve("--port", "0")
    assert code == 2 and "0 is not in the range 1<=x<=65535" in out
    assert is_local("::1") and is_local("localhost") and is_local("127.0.0.2")
    assert not is_local("192.168.1.2") and not is_local("example.org")
    assert public_url("::1", 80) == "http://[::1]:80"


def test_serve_says_when_the_port_is_taken(tmp_path: Path, cli_run) -> None:  # type: ignore[no-untyped-def]
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli_run("serve", "--port", port, "--db", tmp_path / "p.db", timeout=60)
    assert result.returncode == 1
    assert f"hccquiz: cannot serve on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("shell", "marker"),
    [("bash", "complete -o nosort -F _hccquiz_completion hccquiz"),
     ("zsh", "#compdef hccquiz"), ("fish", "complete --no-files --command hccquiz")],
)  # fmt: skip
def test_completion_scripts_come_from_click(shell: str, marker: str, cli_run) -> None:  # type: ignore[no-untyped-def]
    result = cli_run("completion", shell)
    assert result.returncode == 0 and marker in result.stdout
    assert "_HCCQUIZ_COMPLETE" in result.stdout
    # the README's one line: click's own variable gives the same script
    direct = cli_run(env={"_HCCQUIZ_COMPLETE": f"{shell}_source"})
    assert direct.returncode == 0 and direct.stdout.strip() == result.stdout.strip()


def test_completion_completes_commands_and_setting_keys(cli_run) -> None:  # type: ignore[no-untyped-def]
    env = {"_HCCQUIZ_COMPLETE": "bash_complete", "COMP_WORDS": "hccquiz bro", "COMP_CWORD": "1"}
    assert cli_run(env=env).stdout.split() == ["plain,browse"]
    env.update(COMP_WORDS="hccquiz config set key", COMP_CWORD="3")
    assert "plain,keymap" in cli_run(env=env).stdout.split()
