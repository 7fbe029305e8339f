"""Bad input to `hccquiz cohort report`: one clear line, exit 1, no traceback, nothing
written. Good input in many shapes: folders, globs, CSV and Parquet, repeated exports."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest
from cohort_support import START, review, write_log

ROWS = [review("a", True, when=START), review("b", False, when=START)]


def _report(cli_run, tmp_path: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    out, js = tmp_path / "out" / "r.html", tmp_path / "out" / "r.json"
    result = cli_run("cohort", "report", *args, "-o", out, "--json", js, "--as-of", "2026-10-01")
    if result.returncode:
        assert not out.exists() and not js.exists(), "nothing is written on bad input"
    return result


def _fails(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def _parquet(cli_run, tmp_path: Path, source: Path) -> Path:
    """A Parquet log made by DuckDB from a CSV log, as `progress export` makes them."""
    import csv

    from hccquiz.progress.export import write_log as write

    with open(source, encoding="utf-8", newline="") as handle:
        rows = [[v if v != "" else None for v in row] for row in list(csv.reader(handle))[1:]]
    target = source.with_suffix(".parquet")
    write([rows], target)
    return target


def test_truncated_csv_mid_row(tmp_path: Path, cli_run) -> None:
    log = write_log(tmp_path / "t1.csv", "t1", ROWS)
    log.write_bytes(log.read_bytes()[:-40])
    _fails(_report(cli_run, tmp_path, log), str(log), "not a complete progress log")


def test_csv_cut_at_a_line_boundary(tmp_path: Path, cli_run) -> None:
    log = write_log(tmp_path / "t1.csv", "t1", ROWS)
    lines = log.read_text().splitlines(keepends=True)
    log.write_text("".join(lines[:-1]))
    _fails(_report(cli_run, tmp_path, log), str(log), "1 row(s) but it says it has 2", "cut short")


def test_truncated_parquet(tmp_path: Path, cli_run) -> None:
    log = _parquet(cli_run, tmp_path, write_log(tmp_path / "t1.csv", "t1", ROWS))
    log.write_bytes(log.read_bytes()[:-100])
    _fails(_report(cli_run, tmp_path, log), str(log), "cut short")


def test_a_log_from_a_future_format_version(tmp_path: Path, cli_run) -> None:
    log = write_log(tmp_path / "t1.csv", "t1", ROWS, version=2)
    _fails(_report(cli_run, tmp_path, log), str(log), "newer hccquiz", "format 2", "upgrade")


def test_a_future_parquet_log(tmp_path: Path, cli_run) -> None:
    import duckdb

    log = tmp_path / "t1.parquet"
    duckdb.sql(
        f"COPY (SELECT 1 AS format_version) TO '{log}' "
        "(FORMAT parquet, KV_METADATA {'hccquiz-progress-format': '9'})"
    )
    _fails(_report(cli_run, tmp_path, log), str(log), "newer hccquiz", "format 9")


def test_a_mix_of_decks(tmp_path: Path, cli_run) -> None:
    write_log(tmp_path / "t1.csv", "t1", ROWS)
    write_log(tmp_path / "t2.csv", "t2", [review("c", True, when=START, deck_id="other")])
    deck = tmp_path / "sim.yaml"
    deck.write_text(
        "id: sim\ntitle: S\nlevels: [resident]\nitems:\n"
        "  - {id: a, question: q, answer: a}\n  - {id: b, question: q, answer: b}\n"
    )
    _fails(
        _report(cli_run, tmp_path, tmp_path / "t1.csv", tmp_path / "t2.csv", "--deck", deck),
        "deck(s) other",
        "no --deck file defines",
    )


@pytest.mark.parametrize("kind", ["anki", "hccquiz", "text"])
def test_a_file_of_another_app(tmp_path: Path, cli_run, kind: str) -> None:
    log = tmp_path / "collection.csv"
    if kind == "text":
        log.write_text("name,score\nalice,3\n")
    else:
        conn = sqlite3.connect(log)
        conn.execute("CREATE TABLE revlog (id INTEGER PRIMARY KEY)")
        conn.commit()
        conn.close()
    _fails(_report(cli_run, tmp_path, log), str(log), "not an hccquiz progress log")


def test_an_anki_collection_given_as_a_log(tmp_path: Path, cli_run) -> None:
    log = tmp_path / "collection.anki2"
    log.write_bytes(b"SQLite format 3\x00" + bytes(200))
    _fails(_report(cli_run, tmp_path, log), str(log), "not a progress log")


def test_an_empty_cohort(tmp_path: Path, cli_run) -> None:
    empty = write_log(tmp_path / "t1.csv", "t1", [])
    _fails(_report(cli_run, tmp_path, empty), "no reviews", "empty cohort")
    folder = tmp_path / "none"
    folder.mkdir()
    _fails(_report(cli_run, tmp_path, folder), str(folder), "no *.csv or *.parquet")
    _fails(_report(cli_run, tmp_path, str(tmp_path / "nothing-*.csv")), "no progress logs match")


def test_a_bad_value_names_the_file_and_review(tmp_path: Path, cli_run) -> None:
    rows = [review("a", True, when=START), {**review("b", True, when=START), "kind": "cram"}]
    log = write_log(tmp_path / "t1.csv", "t1", rows)
    _fails(_report(cli_run, tmp_path, log), f"{log}: review 2: kind 'cram' is unknown")


def test_logs_merged_by_hand_are_refused(tmp_path: Path, cli_run) -> None:
    log = write_log(tmp_path / "t1.csv", "t1", ROWS)
    other = write_log(tmp_path / "t2.csv", "t2", ROWS)
    log.write_text(log.read_text() + "".join(other.read_text().splitlines(keepends=True)[1:]))
    _fails(_report(cli_run, tmp_path, log), str(log), "not a complete progress log")


def test_folders_globs_csv_parquet_and_repeated_exports(tmp_path: Path, cli_run) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    write_log(logs / "t1-week1.csv", "t1", ROWS[:1])
    write_log(logs / "t1-week2.csv", "t1", ROWS)  # the later export of the same trainee
    _parquet(cli_run, tmp_path, write_log(tmp_path / "t2.csv", "t2", ROWS)).rename(
        logs / "t2.parquet"
    )
    result = _report(cli_run, tmp_path, logs)
    assert result.returncode == 0, result.stderr
    assert "2 trainee(s), 4 review(s)" in result.stderr
    assert "1 older log(s) of the same trainees left out" in result.stderr
    result = _report(cli_run, tmp_path, str(logs / "*.parquet"))
    assert result.returncode == 0 and "1 trainee(s), 2 review(s)" in result.stderr


def test_a_folder_named_like_a_partition_changes_no_value(tmp_path: Path, cli_run) -> None:
    """DuckDB would read ``trainee=x/`` in a path as a column: the log's own values win."""
    folder = tmp_path / "trainee=intruder"
    folder.mkdir()
    write_log(folder / "t1.csv", "t1", ROWS)
    _parquet(cli_run, tmp_path, write_log(tmp_path / "t2.csv", "t2", ROWS)).rename(
        folder / "t2.parquet"
    )
    result = cli_run("cohort", "report", str(folder / "*"), "--json", "-", "--as-of",
                     "2026-10-01")  # fmt: skip
    assert result.returncode == 0, result.stderr
    trainees = {t["trainee"] for t in json.loads(result.stdout)["trainees"]}
    assert trainees == {"t1", "t2"}
