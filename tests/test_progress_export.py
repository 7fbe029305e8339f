"""`hccquiz progress export` from the progress database: every review becomes one row of
the documented format, in CSV and Parquet alike, under a pseudonym and nothing else."""

from __future__ import annotations

import csv
import getpass
import io
import json
import random
import socket
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from hccquiz.clock import FixedClock
from hccquiz.progress.format import COLUMN_NAMES
from hccquiz.store import Store
from hccquiz.study import Quiz, Session, StudyConfig
from hccquiz.study.sync import sync_files

DECK = """\
id: tiny
title: "Tiny deck"
levels: [resident]
items:
  - id: hr
    levels: [fellow, resident]
    question: "What was the hazard ratio?"
    answer: "0.58"
  - id: hr-cloze
    type: cloze
    text: "OS HR {{c1::0.58}} (95% CI, {{c2::0.42 to 0.79}})"
  - id: pfs-choice
    type: choice
    question: "Median PFS with the combination?"
    choices: ["6.8 months", "4.3 months", "8.6 months"]
    answer: "6.8 months"
  - id: sba
    type: choice
    stem: "A 61-year-old man with Child-Pugh A cirrhosis and unresectable HCC."
    lead_in: "Which first-line regimen did IMbrave150 support?"
    choices:
      - {text: "Atezolizumab plus bevacizumab", why: "Right: the trial's experimental arm."}
      - {text: "Sorafenib", why: "The comparator."}
      - "Lenvatinib"
    answer: "Atezolizumab plus bevacizumab"
"""
START = datetime(2026, 3, 2, 9, 30, 41, tzinfo=UTC)
UTC_DAYS = StudyConfig(tz=UTC)


TRICKY = """\
  - id: tricky
    type: choice
    shuffle: false
    question: "Which wording?"
    choices: ['a, b', 'say "yes"', "two\\nlines", "plain"]
    answer: 'say "yes"'
"""


def _studied(tmp_path: Path, extra: str = "") -> Path:
    """A progress database with three days of study and a quiz (`extra` items added)."""
    db = tmp_path / "progress.db"
    tmp_path.mkdir(parents=True, exist_ok=True)
    deck = tmp_path / "tiny.yaml"
    deck.write_text(DECK + extra, encoding="utf-8")
    clock = FixedClock(START)
    with Store.open(db) as store:
        sync_files(store, [deck], now=START)
        for day in range(3):
            session = Session(store, clock=clock, config=UTC_DAYS)
            for n in range(6):
                if session.next_card() is None:
                    break
                clock.advance(seconds=13)
                session.grade((2, 4, 5, 3)[(n + day) % 4])
            clock.advance(days=1)
        quiz = Quiz(store, clock=clock, rng=random.Random(3), count=3, config=UTC_DAYS)
        while (question := quiz.next_question()) is not None:
            clock.advance(seconds=9)
            if question.auto_scored:
                quiz.answer(question.choices[1])
            else:
                quiz.grade(4)
    return db


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_review_becomes_one_row(tmp_path: Path, cli_run) -> None:
    db = _studied(tmp_path)
    out = tmp_path / "me.csv"
    result = cli_run("progress", "export", "--db", db, "-o", out)
    assert result.returncode == 0, result.stderr
    rows = _csv_rows(out)
    with Store.open(db) as store:
        reviews = store.reviews()
        cards = {r.card_id: store.card(r.card_id) for r in reviews}
    assert len(rows) == len(reviews) > 10
    assert list(rows[0]) == list(COLUMN_NAMES)
    for row, r in zip(rows, reviews, strict=True):
        card = cards[r.card_id]
        assert (row["deck_id"], row["item_id"], int(row["card"])) == (
            card.deck_id, card.item_id, card.number)  # fmt: skip
        assert row["content_hash"] == r.content_hash
        assert (row["kind"], int(row["grade"]), row["day"]) == (r.kind, r.quality, str(r.day))
        assert row["correct"] == ("true" if r.quality >= 3 else "false")
        assert int(row["answer_ms"]) == r.answer_ms
        exact = datetime.fromisoformat(r.reviewed_at)
        assert row["reviewed_at"] == exact.strftime("%Y-%m-%dT%H:%M:00Z")
        assert row["scheduler"] == "sm2" and row["app"] == "hccquiz"
        assert row["card_state"] == (
            "learning" if r.kind == "drill" else "new" if r.before.is_new else "review"
        )
        if r.kind == "study":
            assert row["due"] == str(r.after.due)
    assert {r["levels"] for r in rows if r["item_id"] == "hr"} == {'["fellow","resident"]'}
    choice = [r for r in rows if r["item_id"] == "pfs-choice"]
    assert choice[0]["options"] == '["6.8 months","4.3 months","8.6 months"]'
    sba = [r for r in rows if r["item_id"] == "sba"]
    assert sba and sba[0]["options"] == (
        '["Atezolizumab plus bevacizumab","Sorafenib","Lenvatinib"]'
    )
    assert sba[0]["key"] == '["Atezolizumab plus bevacizumab"]'
    quizzed = [r for r in rows if r["kind"] == "quiz" and r["item_type"] == "choice"]
    assert quizzed, "the quiz answered a choice item"
    for row in quizzed:  # Quiz.answer records the option picked (choices[1] as shown)
        picked = json.loads(row["picked"])
        assert len(picked) == 1 and picked[0] in json.loads(row["options"])
        assert row["correct"] == ("true" if picked == json.loads(row["key"]) else "false")
    assert {r["trainee"] for r in rows} == {rows[0]["trainee"]}
    assert rows[0]["trainee"].startswith("trainee-")


def test_parquet_holds_the_same_rows(tmp_path: Path, cli_run) -> None:
    db = _studied(tmp_path)
    csv_out, parquet_out = tmp_path / "me.csv", tmp_path / "me.parquet"
    assert cli_run("progress", "export", "--db", db, "-o", csv_out).returncode == 0
    assert cli_run("progress", "export", "--db", db, "-o", parquet_out).returncode == 0
    conn = duckdb.connect()
    conn.execute("SET TimeZone = 'UTC'")
    from_csv = conn.execute(
        f"SELECT * FROM read_csv('{csv_out}', all_varchar = true) ORDER BY seq::INT"
    ).fetchall()
    from_parquet = conn.execute(
        f"SELECT * EXCLUDE (reviewed_at), strftime(reviewed_at, '%Y-%m-%dT%H:%M:00Z') "
        f"FROM '{parquet_out}' ORDER BY seq"
    ).fetchall()
    assert len(from_csv) == len(from_parquet)
    for a, b in zip(from_csv, from_parquet, strict=True):
        a = list(a)
        a.append(a.pop(COLUMN_NAMES.index("reviewed_at")))
        assert [x or "" for x in a] == [
            "" if v is None else str(v).lower() if isinstance(v, bool) else str(v) for v in b
        ]
    meta = conn.execute(f"SELECT decode(value) FROM parquet_kv_metadata('{parquet_out}')")
    assert meta.fetchall() == [("1",)]


def test_nothing_identifying_leaves_the_machine(tmp_path: Path, cli_run) -> None:
    db = _studied(tmp_path)
    out = tmp_path / "me.csv"
    assert cli_run("progress", "export", "--db", db, "-o", out).returncode == 0
    text = out.read_text(encoding="utf-8")
    for secret in (str(tmp_path), str(Path.home()), getpass.getuser(), socket.gethostname()):
        assert secret not in text
    assert ":41" not in text.replace(":41:", "")  # the seconds (41) never appear


def test_the_pseudonym_is_random_stable_or_chosen(tmp_path: Path, cli_run) -> None:
    db = _studied(tmp_path)
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    assert cli_run("progress", "export", "--db", db, "-o", first).returncode == 0
    assert cli_run("progress", "export", "--db", db, "-o", second).returncode == 0
    assert _csv_rows(first)[0]["trainee"] == _csv_rows(second)[0]["trainee"]
    chosen = tmp_path / "c.parquet"
    assert cli_run("progress", "export", "--db", db, "-o", chosen,
                   "--pseudonym", "PGY2-07").returncode == 0  # fmt: skip
    assert duckdb.sql(f"SELECT DISTINCT trainee FROM '{chosen}'").fetchall() == [("PGY2-07",)]
    other = _studied(tmp_path / "other")
    third = tmp_path / "d.csv"
    assert cli_run("progress", "export", "--db", other, "-o", third).returncode == 0
    assert _csv_rows(third)[0]["trainee"] != _csv_rows(first)[0]["trainee"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--pseudonym", "Jane Doe"], "pseudonym 'Jane Doe' is not allowed"),
        (["-o", "{tmp}/x.xlsx"], "name the file .csv or .parquet"),
        (["--deck", "x.yaml"], "--deck goes with --from-anki"),
    ],
)
def test_bad_options_say_so_in_one_line(tmp_path: Path, cli_run, args, words) -> None:
    db = _studied(tmp_path)
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = cli_run("progress", "export", "--db", db, *args, cwd=tmp_path)
    assert result.returncode in (1, 2) and words in result.stderr
    assert "Traceback" not in result.stderr
    assert not [p for p in tmp_path.iterdir() if p.suffix in (".csv", ".parquet", ".xlsx")]


def test_no_database_or_no_reviews(tmp_path: Path, cli_run) -> None:
    result = cli_run("progress", "export", "--db", tmp_path / "none.db", cwd=tmp_path)
    assert result.returncode == 1 and "no progress database yet" in result.stderr
    assert not (tmp_path / "none.db").exists()
    empty = tmp_path / "empty.db"
    Store.open(empty).close()
    result = cli_run("progress", "export", "--db", empty, cwd=tmp_path)
    assert result.returncode == 1 and "no reviews yet" in result.stderr
    assert not list(tmp_path.glob("*.csv"))


def test_migration_0007_adds_picked_to_an_existing_log(tmp_path: Path) -> None:
    from hccquiz.store._schema import build_migrations

    db = _studied(tmp_path)
    conn = sqlite3.connect(db)
    before = conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
    # put the file back as the previous release left it: no picked column, no 0007 record
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0007_picked_options'")
    conn.execute("DROP TRIGGER reviews_append_only")
    conn.execute("ALTER TABLE reviews DROP COLUMN picked")
    conn.commit()
    conn.close()
    assert [m.name for m in build_migrations().pending(__import__("sqlite_utils").Database(db))]
    with Store.open(db) as store:
        reviews = store.reviews()
    assert len(reviews) == before and all(r.picked is None for r in reviews)
    assert list(tmp_path.glob("progress.db.before-0007_picked_options*.bak"))


def test_a_long_log_is_written_in_batches(tmp_path: Path) -> None:
    from hccquiz.progress.export import export_store

    db = _studied(tmp_path)
    with Store.open(db) as store:
        total = len(store.reviews())
        batches = list(store.export_reviews(COLUMN_NAMES, {"format_version": 1, "trainee": "t",
                                                           "app": "hccquiz"},
                                            batch=4))  # fmt: skip
        assert [len(b) for b in batches[:-1]] == [4] * (len(batches) - 1)
        assert sum(len(b) for b in batches) == total
        result = export_store(store, tmp_path / "x.csv", trainee="t")
    assert result.rows == total
    assert START + timedelta(days=1) > START


def test_the_documented_columns_are_the_format() -> None:
    from hccquiz.progress.format import COLUMNS

    doc = (Path(__file__).parents[1] / "docs" / "cohort.md").read_text(encoding="utf-8")
    table = doc.split("| column | what it holds |", 1)[1].split("\n\n", 1)[0]
    rows = [line.split("|")[1:3] for line in table.strip().splitlines()[1:]]
    assert [(n.strip(" `"), d.strip()) for n, d in rows] == [(c.name, c.doc) for c in COLUMNS]


def test_rows_are_numbered_without_gaps_after_an_undo(tmp_path: Path, cli_run) -> None:
    db = _studied(tmp_path)
    with Store.open(db) as store:
        reviews = store.reviews()
        latest: dict[int, int] = {}
        for r in reviews:
            latest[r.card_id] = r.id
        middle = min(latest.values())  # a card's latest review, with later rows after it
        assert middle < reviews[-1].id
        store.undo_review(middle)
        left = len(store.reviews())
    out = tmp_path / "gap.csv"
    assert cli_run("progress", "export", "--db", db, "-o", out).returncode == 0
    rows = _csv_rows(out)
    assert [int(r["seq"]) for r in rows] == list(range(1, left + 1))
    assert {int(r["log_rows"]) for r in rows} == {left}
    report = cli_run("cohort", "report", out, "--json", "-", "--as-of", "2026-04-01")
    assert report.returncode == 0, report.stderr


def test_sqlite_writes_the_csv_exactly_as_the_csv_module_would(tmp_path: Path) -> None:
    """The fast path (CSV lines made by SQLite) against Python's csv.writer on the same
    rows, with options holding commas, quotes and a line break."""
    db = _studied(tmp_path, extra=TRICKY)
    constants = {"format_version": 1, "trainee": "t-1", "app": "hccquiz"}
    with Store.open(db) as store:
        rows = [r for batch in store.export_reviews(COLUMN_NAMES, constants) for r in batch]
        lines = [line for batch in store.export_csv(COLUMN_NAMES, constants, batch=3)
                 for line in batch]  # fmt: skip
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    assert "".join(f"{line}\n" for line in lines) == buffer.getvalue()
    tricky = [line for line in lines if ",tricky," in line]
    assert tricky, "the item with commas, quotes and a line break was reviewed"
    assert all('""a, b"",""say \\""yes\\""""' in line for line in tricky)  # JSON, then CSV
    assert all("two\\nlines" in line and "\n" not in line for line in tricky)


def test_each_row_names_the_scheduler_that_set_its_due_date(tmp_path: Path, cli_run) -> None:
    """A trainee who switched to FSRS exports both: each review says which scheduler set
    its next due date, and the cohort report lists both."""
    from hccquiz.clock import DayBoundary
    from hccquiz.study.scheduling import switch_scheduler

    db = _studied(tmp_path)
    clock = FixedClock(START + timedelta(days=4))
    with Store.open(db) as store:
        assert switch_scheduler(store, "fsrs", now=clock.now(), boundary=DayBoundary(tz=UTC))
        session = Session(store, clock=clock, config=UTC_DAYS)
        for _ in range(4):
            if session.next_card() is None:
                break
            clock.advance(seconds=11)
            session.grade(4)
        reviews = store.reviews()
    out = tmp_path / "me.csv"
    assert cli_run("progress", "export", "--db", db, "-o", out).returncode == 0
    rows = _csv_rows(out)
    assert [row["scheduler"] for row in rows] == [r.scheduler for r in reviews]
    assert {row["scheduler"] for row in rows} == {"sm2", "fsrs"}
    result = cli_run("cohort", "report", out, "--json", "-", "--as-of", "2026-04-01",
                     cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["cohort"]["schedulers"] == ["fsrs", "sm2"]
