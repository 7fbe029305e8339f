"""A choice answer is right or wrong by the options picked, whatever its self-grade.

Study records exactly what was picked (``[]`` when nothing was), as quiz does; the
scheduler keeps the reader's self-grade, but the progress log's ``correct`` and the
cohort report's facility come from the picks whenever they are known (`hccquiz.grading`)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from cohort_support import START, review, write_log
from hypothesis import given, settings
from hypothesis import strategies as st
from tui_support import make_workspace, screen_text, settle

from hccquiz.cohort import build_report
from hccquiz.grading import answer_correct, choice_correct
from hccquiz.progress.export import export_store
from hccquiz.study import Filters, Session
from hccquiz.tui import create_app

SIZE = (100, 40)
PHD = Filters(levels=("phd",))  # the select-all card: OS, PFS, ORR; key OS and PFS


async def test_nothing_picked_then_graded_good_records_an_empty_pick(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    app = create_app(ws, start="study", filters=PHD)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "3", "space")  # reveal with nothing picked; Good; record
        await settle(pilot)
    (r,) = ws.store.reviews()
    assert (r.quality, r.picked) == (4, ())


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_a_passing_grade_on_a_wrong_answer_is_kept_and_named(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    """The scheduler trusts the self-grade (as Anki does); the screen says the answer
    still counts as wrong."""
    ws = make_workspace(tmp_path)
    app = create_app(ws, start="study", filters=PHD)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("a", "enter", "3")  # OS alone: wrong; then Good
        await settle(pilot)
        text = " ".join(screen_text(app).split())
        assert "reports count it wrong" in text and "space Good" in text
        await pilot.press("space")
        await settle(pilot)
    (r,) = ws.store.reviews()
    assert (r.quality, r.picked) == (4, ("OS",))


async def test_a_passing_grade_on_a_right_answer_says_nothing(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    app = create_app(ws, start="study", filters=PHD)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a", "b", "enter", "4")  # OS and PFS: right; then Easy
        await settle(pilot)
        assert "reports count it wrong" not in screen_text(app)


def _export(ws_store, path: Path) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    export_store(ws_store, path, trainee="t")
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _graded_choice(tmp_path: Path, picks: list[list[str] | None], quality: int = 4):  # type: ignore[no-untyped-def]
    """The select-all card graded `quality` once per study day with each of `picks`."""
    ws = make_workspace(tmp_path)
    for picked in picks:
        session = Session(ws.store, clock=ws.clock, config=ws.config, filters=PHD)
        card = session.next_card()
        assert card is not None and card.item.id == "choice-all"
        session.grade(quality, picked=picked)
        ws.clock.advance(days=30)
    return ws


@pytest.mark.parametrize(
    ("picked", "quality", "correct"),
    [
        ([], 4, "false"),  # nothing picked, self-graded Good: wrong
        (["OS"], 5, "false"),  # half the key, self-graded Easy: wrong
        (["OS", "PFS", "ORR"], 4, "false"),  # a wrong option too
        (["PFS", "OS"], 2, "true"),  # exactly the key, self-graded Again: right
        (None, 4, "true"),  # no picks recorded (an old row): by the grade
        (None, 2, "false"),
    ],
)
def test_the_export_judges_a_choice_answer_by_its_picks(
    tmp_path: Path, picked: list[str] | None, quality: int, correct: str
) -> None:
    ws = _graded_choice(tmp_path, [picked], quality)
    (row,) = _export(ws.store, tmp_path / "log.csv")
    assert row["grade"] == str(quality)
    assert row["picked"] == ("" if picked is None else json.dumps(picked, separators=(",", ":")))
    assert row["correct"] == correct
    # the Python-batched rows (export_reviews) say the same
    batches = list(ws.store.export_reviews(["correct"], {}))
    assert [r[0] for batch in batches for r in batch] == [correct]


def test_a_pick_of_an_older_version_is_judged_by_its_grade(tmp_path: Path) -> None:
    """The key of a version no longer in the deck is not known: its grade decides."""
    ws = _graded_choice(tmp_path, [[]])
    deck = tmp_path / "deck.yaml"
    text = deck.read_text(encoding="utf-8")
    deck.write_text(text.replace("Which were primary endpoints?", "Primary endpoints?"))
    from hccquiz.study import sync_files

    sync_files(ws.store, [deck], now=ws.clock.now())
    (row,) = _export(ws.store, tmp_path / "log.csv")
    assert row["picked"] == "[]" and row["key"] == "" and row["correct"] == "true"


def _cohort_log(folder: Path, n: int, picked: list[str], correct: bool) -> None:
    """Trainee `n`'s log: the select-all item answered once with `picked`, its
    ``correct`` column as an hccquiz before this fix wrote it (from the self-grade)."""
    when = START + timedelta(minutes=n)
    row = review(
        "choice-all",
        correct,
        when=when,
        item_type="choice",
        picked=picked,
        options=["OS", "PFS", "ORR"],
        key=["OS", "PFS"],
    )
    basic = review("basic", True, when=when + timedelta(minutes=1))
    write_log(folder / f"t{n}.csv", f"t{n}", [row, basic])


def test_the_cohort_facility_comes_from_the_picks(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    # six trainees self-graded Good; only two picked exactly the key
    picks = [[], [], ["OS"], ["OS", "PFS", "ORR"], ["OS", "PFS"], [" PFS", "OS"]]
    for n, picked in enumerate(picks):
        _cohort_log(folder, n, picked, correct=True)
    report = build_report([str(folder)], as_of=date(2026, 10, 1)).to_json()
    (item,) = [i for i in report["items"] if i["item_id"] == "choice-all"]
    assert item["facility"] == pytest.approx(2 / 6)
    rules = {f["rule"] for f in report["flags"] if f["item_id"] == "choice-all"}
    assert "facility-high" not in rules


def test_the_cohort_keeps_the_grade_where_no_pick_is_known(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    for n in range(5):
        when = START + timedelta(minutes=n)
        rows = [review("b", n < 2, when=when), review("c", True, when=when)]
        write_log(folder / f"t{n}.csv", f"t{n}", rows)
    report = build_report([str(folder)], as_of=date(2026, 10, 1)).to_json()
    (item,) = [i for i in report["items"] if i["item_id"] == "b"]
    assert item["facility"] == pytest.approx(2 / 5)


_OPTION = st.sampled_from(["OS", "PFS", "ORR", " OS ", "DFS"])


@given(st.lists(_OPTION, max_size=4), st.lists(_OPTION, min_size=1, max_size=3))
def test_choice_correct_is_set_equality_ignoring_outer_spaces(
    picked: list[str], key: list[str]
) -> None:
    assert choice_correct(picked, key) == ({p.strip() for p in picked} == {k.strip() for k in key})
    assert answer_correct(0, picked, key) == answer_correct(5, picked, key)


def test_answer_correct_falls_back_to_the_grade() -> None:
    assert [answer_correct(q) for q in range(6)] == [False] * 3 + [True] * 3
    assert not answer_correct(5, [], ["OS"]) and answer_correct(2, ["OS"], ["OS"])


_PAIRS = st.tuples(
    st.lists(st.sampled_from(["OS", "PFS", "ORR", " OS", "PFS\t", "ÖS"]), max_size=4),
    st.lists(st.sampled_from(["OS", "PFS", " ORR "]), min_size=1, max_size=3),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_PAIRS, min_size=1, max_size=8))
def test_sqlite_and_duckdb_judge_picks_as_grading_does(pairs) -> None:  # type: ignore[no-untyped-def]
    """The export's SQL (SQLite) and the report's (DuckDB) say what `choice_correct` says."""
    import sqlite3

    import duckdb

    from hccquiz.cohort.scans import CORRECT, KEY_SET
    from hccquiz.store._export import correct_sql

    rows = [(json.dumps(p), json.dumps(k)) for p, k in pairs]
    expected = [choice_correct(p, k) for p, k in pairs]
    lite = sqlite3.connect(":memory:")
    sql = f"SELECT {correct_sql('r.key')} FROM r ORDER BY n"
    lite.execute("CREATE TABLE r (n INTEGER, picked TEXT, key TEXT, quality INTEGER)")
    lite.executemany("INSERT INTO r VALUES (?, ?, ?, 5)", [(n, *r) for n, r in enumerate(rows)])
    assert [v == "true" for (v,) in lite.execute(sql, {"pass": 3})] == expected
    duck = duckdb.connect()
    duck.execute("CREATE TABLE s (n INT, picked VARCHAR, key VARCHAR, item_type VARCHAR, "
                 "correct BOOLEAN)")  # fmt: skip
    duck.executemany("INSERT INTO s VALUES (?, ?, ?, 'choice', true)",
                     [(n, *r) for n, r in enumerate(rows)])  # fmt: skip
    got = duck.execute(
        f"SELECT {CORRECT} FROM s JOIN (SELECT n, key, {KEY_SET} AS key_set FROM s) q USING (n) "
        "ORDER BY n"
    ).fetchall()
    assert [v for (v,) in got] == expected
