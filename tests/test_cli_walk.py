"""Every command and every option, found through click's introspection, run with valid
values on a temp database: the test net of issue 10. The app's commands run headless
under a Textual auto-pilot (one step of study, quiz or home), the others for real. Any
traceback, or an exit code other than 0, fails.

Adding an option without saying here which values it takes fails `test_every_param_is_
covered`: a flag or a click.Choice is covered by itself (every choice is run), anything
else needs an entry in `VALUES`.
"""

from __future__ import annotations

import shutil
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from tui_support import settle

from hccquiz.cli import cli
from hccquiz.cli._serve import SERVE
from hccquiz.cli._study import AUTOPILOT
from hccquiz.store import Store
from hccquiz.study._settings import SETTINGS

ROOT = Path(__file__).resolve().parents[1]
SUMMARY = ROOT / "tests" / "fixtures" / "himalaya-nejm-evid-2022-summary.txt"  # not ../shared
TUI = {"study", "quiz", "home", "browse", ""}
"""Commands that open the app ("" is a bare `hccquiz`)."""

DB_COMMANDS = ("config list", "config get", "config set", "config unset", "sync", "study",
               "quiz", "home", "browse", "serve")  # fmt: skip
VALUES: dict[tuple[str, str], list[list[str]]] = {
    ("validate", "paths"): [["{root}/decks"], ["{deck}"]],
    ("export", "decks"): [[], ["imbrave150"], ["{deck}"], ["{root}/decks"]],
    ("export", "output"): [["{tmp}/out{n}.apkg"], ["{tmp}/"]],
    ("export", "tags"): [["efficacy"]],
    ("lint", "paths"): [["{root}/decks"], ["{deck}"]],
    ("lint", "summary"): [["{summary}"]],
    ("draft", "summary"): [["{summary}"]],
    ("draft", "output"): [["{tmp}/draft{n}.yaml"]],
    ("draft", "deck_id"): [["trial-draft"]],
    ("draft", "merge_path"): [["{tmp}/merge.yaml"]],
    ("sync", "decks"): [["imbrave150"], ["{deck}"], ["{root}/decks"]],
    ("study", "decks"): [[], ["imbrave150"], ["{deck}"], ["{root}/decks"]],
    ("quiz", "decks"): [[], ["imbrave150"], ["{deck}"]],
    ("home", "decks"): [[], ["imbrave150"], ["{deck}"]],
    ("study", "tags"): [["efficacy"]],
    ("quiz", "tags"): [["efficacy"]],
    ("home", "tags"): [["efficacy"]],
    ("quiz", "count"): [["1"], ["500"]],
    ("browse", "decks"): [
        [],
        ["imbrave150"],
        ["{deck}"],
        ["imbrave150", "hazard", "ratio"],
        ["varices"],
    ],
    ("browse", "tags"): [["efficacy"]],
    ("browse", "search"): [["hazard ratio"], ['question:"0.58'], ["-"]],
    ("serve", "decks"): [[], ["imbrave150"], ["{root}/decks"]],
    ("serve", "host"): [["127.0.0.1"], ["::1"], ["localhost"], ["0.0.0.0"]],
    ("serve", "port"): [["1"], ["8000"], ["65535"]],
    ("serve", "url"): [["https://quiz.example.org"]],
    ("config list", "deck_id"): [["imbrave150"]],
    ("config get", "deck_id"): [["imbrave150"]],
    ("config set", "deck_id"): [["imbrave150"]],
    ("config unset", "deck_id"): [["imbrave150"]],
    ("config set", "value"): [["{value}"]],
    **{(cmd, "db_path"): [["{tmp}/other{n}.db"]] for cmd in DB_COMMANDS},
    ("stats", "db_path"): [["{tmp}/progress.db"]],  # stats never creates a database
    ("stats", "decks"): [[], ["imbrave150"], ["{deck}"], ["{root}/decks"]],
    ("optimize", "db_path"): [["{tmp}/progress.db"]],  # nor does optimize
    ("decks", "db_path"): [["{tmp}/progress.db"], ["{tmp}/none{n}.db"]],
    ("progress export", "output"): [["{tmp}/progress{n}.csv"], ["{tmp}/progress{n}.parquet"]],
    ("progress export", "pseudonym"): [["PGY2-07"]],
    ("progress export", "collection"): [["{tmp}/anki/collection.anki2"]],
    ("progress export", "decks"): [["{root}/decks", "--from-anki", "{tmp}/anki/collection.anki2"]],
    ("progress export", "db_path"): [["{tmp}/progress.db"]],
    ("cohort report", "logs"): [["{tmp}/walk-log.csv"], ["{tmp}/walk-*.csv"]],
    ("cohort report", "decks"): [["{root}/decks"]],
    ("cohort report", "output"): [["{tmp}/report{n}.html"]],
    ("cohort report", "json_path"): [["{tmp}/report{n}.json"], ["-"]],
    ("cohort report", "as_of"): [["2026-12-01"]],
    ("cohort report", "min_trainees"): [["1"], ["100000"]],
    **{
        (f"db {cmd}", "db_path"): [["{tmp}/progress.db"]]
        for cmd in ("check", "backup", "restore", "recover")
    },
    ("db restore", "replacement"): [["{tmp}/spare.db"]],
    ("db recover", "output"): [["{tmp}/recovered{n}.db"]],
}
"""Valid values of every parameter that is neither a flag nor a click.Choice."""

BASE: dict[str, list[str]] = {
    "validate": ["{deck}"],
    "lint": ["{deck}"],
    "draft": ["{summary}", "--id", "walk-draft"],
    "sync": ["{deck}"],
    "config get": ["new_per_day"],
    "config set": ["new_per_day", "25"],
    "config unset": ["new_per_day"],
    "cohort report": ["{tmp}/walk-log.csv"],
}
"""The required arguments each command is run with while another parameter varies."""

PER_DECK = {s.key for s in SETTINGS if s.per_deck}


@dataclass
class Run:
    command: str
    args: list[str]

    def __str__(self) -> str:
        return f"hccquiz {self.command} {' '.join(self.args)}".strip()


def _commands(group: click.Group = cli, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    for name, command in group.commands.items():
        path = f"{prefix}{name}"
        if isinstance(command, click.Group):
            yield path, command
            yield from _commands(command, f"{path} ")
        else:
            yield path, command


def _params(command: click.Command) -> list[click.Parameter]:
    return command.get_params(click.Context(command))


def _flag(param: click.Parameter) -> str:
    assert isinstance(param, click.Option)
    return (
        next(o for o in param.opts if o.startswith("--"))
        if any(o.startswith("--") for o in param.opts)
        else param.opts[0]
    )


def runs() -> Iterator[Run]:
    """One run per value of every parameter of every command (and a bare `hccquiz`)."""
    yield Run("", [])
    for option in _params(cli):
        yield Run("", [_flag(option)])
    for path, command in _commands():
        base = BASE.get(path, [])
        for param in _params(command):
            if param.name == "_click_default_help" or (
                isinstance(param, click.Option) and param.is_flag
            ):
                flag = _flag(param)
                yield Run(path, [*base, flag] if flag not in ("--help", "-h") else [flag])
                continue
            if isinstance(param, click.Argument):
                values = (
                    [[c] for c in param.type.choices]
                    if isinstance(param.type, click.Choice)
                    else VALUES[(path, param.name)]
                )
                for value in values:
                    args = _with_argument(path, command, param, value, base)
                    yield Run(path, args)
                continue
            values = (
                [[c] for c in param.type.choices]
                if isinstance(param.type, click.Choice)
                else VALUES[(path, param.name)]
            )
            for value in values:
                if path.startswith("config") and param.name == "deck_id" and base:
                    args = [*_per_deck(base), _flag(param), *value]
                else:
                    args = [*base, _flag(param), *value]
                yield Run(path, args)


def _per_deck(base: list[str]) -> list[str]:
    return [next(iter(sorted(PER_DECK))), *base[1:]]


def _with_argument(
    path: str, command: click.Command, param: click.Argument, value: list[str], base: list[str]
) -> list[str]:
    """The base arguments with `param` set to `value` (the others kept as in the base)."""
    arguments = [p for p in _params(command) if isinstance(p, click.Argument)]
    if not base:
        return value
    index = arguments.index(param)
    args = list(base)
    args[index : index + 1] = value
    if path == "config set" and param.name == "key":  # a valid value for that key
        setting = next(s for s in SETTINGS if s.key == value[0])
        args[1] = setting.choices[-1] if setting.choices else setting.default
    if path == "config set" and param.name == "value":
        args[1] = "30"
    return args


async def drive(pilot) -> None:  # type: ignore[no-untyped-def]
    """One step in whichever screen opened, then quit."""
    from hccquiz.tui.screens.browse import BrowserScreen
    from hccquiz.tui.screens.home import HomeScreen
    from hccquiz.tui.screens.quiz import QuizScreen
    from hccquiz.tui.screens.study import StudyScreen

    await settle(pilot)
    screen = pilot.app.screen
    if isinstance(screen, StudyScreen):
        await pilot.press("space", screen.session.grades[0].key)
    elif isinstance(screen, QuizScreen):
        await pilot.press("space")
        await settle(pilot)
        await pilot.press(pilot.app.screen.quiz.config.scale.grades[-1].key)
    elif isinstance(screen, BrowserScreen):
        await pilot.press("down", "s")
        await settle(pilot)
    elif isinstance(screen, HomeScreen):
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("escape")
    await settle(pilot)
    await pilot.press("q")


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HCCQUIZ_DB", str(tmp_path / "progress.db"))
    shutil.copy(ROOT / "decks" / "imbrave150.yaml", tmp_path / "copy-of-imbrave150.yaml")
    runner = CliRunner()
    assert runner.invoke(cli, ["sync", str(ROOT / "decks")]).exit_code == 0
    merge = runner.invoke(cli, ["draft", str(SUMMARY), "--id", "walk-draft", "-o", "merge.yaml"])
    assert merge.exit_code == 0, merge.output
    # a graded card, its progress log and an Anki collection, for progress export and cohort
    from cohort_support import anki_collection_with_a_review

    from hccquiz.clock import SystemClock
    from hccquiz.study import Session

    with Store.open(tmp_path / "progress.db") as store:
        session = Session(store, clock=SystemClock())
        assert session.next_card() is not None
        session.grade(4)
    shutil.copy(tmp_path / "progress.db", tmp_path / "spare.db")  # for db restore FILE
    log = runner.invoke(cli, ["progress", "export", "-o", "walk-log.csv"])
    assert log.exit_code == 0, log.output
    anki_collection_with_a_review(tmp_path / "anki", ROOT / "decks" / "imbrave150.yaml")
    return tmp_path


def test_every_param_is_covered() -> None:
    missing = [
        f"{path} {param.name}"
        for path, command in _commands()
        for param in _params(command)
        if param.name != "_click_default_help"
        and not (isinstance(param, click.Option) and param.is_flag)
        and not isinstance(param.type, click.Choice)
        and (path, param.name) not in VALUES
    ]
    assert not missing, f"say in VALUES which values these take: {missing}"
    stale = [key for key in VALUES if key[0] not in dict(_commands())]
    assert not stale, f"VALUES names commands that are gone: {stale}"


def test_every_command_and_option_runs_without_a_traceback(workdir: Path) -> None:
    runner = CliRunner()
    failures = []
    count = 0
    for n, run in enumerate(runs()):
        deck = str(workdir / "copy-of-imbrave150.yaml")
        fill = {"root": str(ROOT), "deck": deck, "summary": str(SUMMARY), "tmp": str(workdir),
                "n": str(n), "value": "30"}  # fmt: skip
        args = [a.format(**fill) for a in ([*run.command.split(), *run.args])]
        tui = run.command in TUI and not {"--help", "-h", "--version"} & set(args)
        served: list[tuple[str, str, int, str]] = []
        hook = {SERVE: lambda *a, served=served: served.append(a)}
        result: Result = runner.invoke(cli, args, obj={AUTOPILOT: drive, **hook} if tui else hook)
        if run.command == "serve" and "--help" not in args and "-h" not in args:
            assert served and " home --db " in served[0][0], run  # what each tab runs
        count += 1
        output = result.output + (result.stderr if result.stderr_bytes else "")
        trace = "".join(traceback.format_exception(result.exception)) if result.exception else ""
        if (
            result.exit_code != 0
            or "Traceback" in output
            or (result.exception and not isinstance(result.exception, SystemExit))
        ):
            failures.append(f"{run} -> exit {result.exit_code}\n{output[-600:]}\n{trace[-1500:]}")
    assert not failures, "\n\n".join(failures)
    assert count > 100  # the walk really walked, and the app really ran its steps:
    with Store.open(workdir / "progress.db") as store:
        kinds = {r.kind for r in store.reviews()}
        assert {"study", "quiz"} <= kinds
