"""`hccquiz progress export --from-anki`, checked with the official `anki` package: our
.apkg is imported into a throwaway collection, cards are answered through Anki's own
scheduler, the collection is closed, and every review must map to the right item, card
and grade; the collection file must be left byte-for-byte as it was."""

from __future__ import annotations

import csv
import hashlib
import sqlite3
from pathlib import Path

import genanki
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.scheduler.v3 import CardAnswer

import hccquiz
from hccquiz.store import Store

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
    levels: [phd]
    text: "OS HR {{c1::0.58}} (95% CI, {{c2::0.42 to 0.79}})"
  - id: pfs-choice
    type: choice
    question: "Median PFS with the combination?"
    choices: ["6.8 months", "4.3 months", "8.6 months"]
    answer: "6.8 months"
"""
RATINGS = [CardAnswer.GOOD, CardAnswer.AGAIN, CardAnswer.EASY, CardAnswer.HARD, CardAnswer.GOOD]
QUALITY = {CardAnswer.AGAIN: 2, CardAnswer.HARD: 3, CardAnswer.GOOD: 4, CardAnswer.EASY: 5}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _study_in_anki(tmp_path: Path) -> tuple[Path, Path, list[tuple[str, int, int]]]:
    """Import the deck's .apkg, add one foreign note, answer cards; (collection, deck,
    answers as (guid, card ordinal, quality) in order)."""
    deck_file = tmp_path / "tiny.yaml"
    deck_file.write_text(DECK, encoding="utf-8")
    apkg = tmp_path / "tiny.apkg"
    hccquiz.export_apkg([hccquiz.load_deck(deck_file)], apkg, timestamp=1_700_000_000)
    profile = tmp_path / "profile"
    profile.mkdir()
    path = profile / "collection.anki2"
    col = Collection(str(path))
    answers: list[tuple[str, int, int]] = []
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(apkg), options=ImportAnkiPackageOptions())
        )
        foreign = col.new_note(col.models.by_name("Basic"))
        foreign["Front"], foreign["Back"] = "not from hccquiz", "no"
        col.add_note(foreign, col.decks.id_for_name("Default"))
        for name in ("hccquiz::Tiny deck", "Default"):
            col.decks.select(col.decks.id_for_name(name))
            for n in range(12):
                queued = col.sched.get_queued_cards().cards
                if not queued:
                    break
                card = col.get_card(queued[0].card.id)
                card.start_timer()
                rating = RATINGS[n % len(RATINGS)]
                col.sched.answer_card(
                    col.sched.build_answer(card=card, states=queued[0].states, rating=rating)
                )
                answers.append((card.note().guid, card.ord, QUALITY[rating]))
    finally:
        col.close()
    return path, deck_file, answers


def test_anki_reviews_map_to_items_cards_and_grades(tmp_path: Path, cli_run) -> None:
    collection, deck_file, answers = _study_in_anki(tmp_path)
    before = _digest(collection)
    siblings = sorted(p.name for p in collection.parent.iterdir())
    out = tmp_path / "anki.csv"
    result = cli_run("progress", "export", "--from-anki", collection, "--deck", deck_file,
                     "-o", out, "--pseudonym", "res-01")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert _digest(collection) == before, "the collection must not change"
    assert sorted(p.name for p in collection.parent.iterdir()) == siblings
    ours = {genanki.guid_for("hccquiz", "tiny", i): i for i in ("hr", "hr-cloze", "pfs-choice")}
    expected = [(ours[g], o, q) for g, o, q in answers if g in ours]
    foreign = len(answers) - len(expected)
    assert foreign >= 1 and len(expected) >= 5
    assert f"skipped {foreign} review(s) of notes that did not come from hccquiz" in result.stderr
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(expected)
    seen: set[tuple[str, int]] = set()
    deck = hccquiz.load_deck(deck_file)
    from hccquiz.deck.content import item_contents

    hashes = {i.id: h for i, (_, h) in zip(deck.items, item_contents(deck.items), strict=True)}
    for row, (item_id, ordinal, quality) in zip(rows, expected, strict=True):
        assert row["item_id"] == item_id
        assert int(row["card"]) == (ordinal + 1 if item_id == "hr-cloze" else 1)
        assert int(row["grade"]) == quality
        assert row["correct"] == ("true" if quality >= 3 else "false")
        assert row["content_hash"] == hashes[item_id]
        assert (row["app"], row["trainee"], row["deck_id"]) == ("anki", "res-01", "tiny")
        assert row["scheduler"] in ("anki-sm2", "anki-fsrs")
        card = (item_id, int(row["card"]))
        assert row["kind"] == ("drill" if card in seen else "study")
        assert row["card_state"] == "new" if card not in seen else row["card_state"] != "new"
        seen.add(card)
        assert row["reviewed_at"].endswith(":00Z")
    choice = [r for r in rows if r["item_id"] == "pfs-choice"]
    assert choice and choice[0]["options"] == '["6.8 months","4.3 months","8.6 months"]'
    assert choice[0]["key"] == '["6.8 months"]' and choice[0]["picked"] == ""
    assert [int(r["seq"]) for r in rows] == list(range(1, len(rows) + 1))
    assert {int(r["log_rows"]) for r in rows} == {len(rows)}


def test_the_exported_anki_log_feeds_a_cohort_report(tmp_path: Path, cli_run) -> None:
    collection, deck_file, _ = _study_in_anki(tmp_path)
    log = tmp_path / "anki.parquet"
    assert cli_run("progress", "export", "--from-anki", collection, "--deck", deck_file,
                   "-o", log, "--pseudonym", "r1").returncode == 0  # fmt: skip
    result = cli_run("cohort", "report", log, "--deck", deck_file, "--json", "-",
                     "--as-of", "2030-01-01", cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "cohort-report.html").exists(), "only the JSON was asked for"
    assert '"apps": [\n   "anki"\n  ]' in result.stdout
    result = cli_run("cohort", "report", log, "--as-of", "2030-01-01", cwd=tmp_path)
    assert result.returncode == 0 and (tmp_path / "cohort-report.html").exists()


def test_other_files_are_refused_untouched(tmp_path: Path, cli_run) -> None:
    other = tmp_path / "other.anki2"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.commit()
    conn.close()
    text = tmp_path / "notes.anki2"
    text.write_text("hello", encoding="utf-8")
    ours = tmp_path / "progress.db"
    Store.open(ours).close()
    for path, words in (
        (
            other,
            "not an Anki collection (an SQLite database without Anki's col, notes, cards, revlog",
        ),
        (text, "not an Anki collection (not a SQLite database)"),
        (ours, "this is an hccquiz progress database, not an Anki collection"),
    ):
        before = _digest(path)
        out = tmp_path / "out.csv"
        result = cli_run("progress", "export", "--from-anki", path, "-o", out, "--pseudonym", "x")
        assert result.returncode == 1
        assert words in result.stderr and len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr
        assert _digest(path) == before and not out.exists()


def test_a_collection_open_in_anki_is_read_without_its_lock(tmp_path: Path, cli_run) -> None:
    """Anki keeps the collection open (and its latest answers in the -wal file): the
    export copies both, takes no lock, and leaves both files exactly as they were."""
    collection, deck_file, answers = _study_in_anki(tmp_path)
    col = Collection(str(collection))
    try:
        col.decks.select(col.decks.id_for_name("hccquiz::Tiny deck"))
        col.sched.set_due_date([c for c in col.find_cards("deck:hccquiz*")], "0")
        queued = col.sched.get_queued_cards().cards[0]
        card = col.get_card(queued.card.id)
        card.start_timer()
        col.sched.answer_card(
            col.sched.build_answer(card=card, states=queued.states, rating=CardAnswer.GOOD)
        )
        files = {p: _digest(p) for p in collection.parent.iterdir() if p.is_file()}
        out = tmp_path / "open.csv"
        result = cli_run("progress", "export", "--from-anki", collection, "--deck", deck_file,
                         "-o", out, "--pseudonym", "r1")  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert {p: _digest(p) for p in collection.parent.iterdir() if p.is_file()} == files
        with open(out, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert len(rows) == len([a for a in answers if a[0] in _our_guids()]) + 1
        assert any(p.name.endswith("-wal") for p in files), "the answer waits in the WAL"
    finally:
        col.close()


def _our_guids() -> set[str]:
    return {genanki.guid_for("hccquiz", "tiny", i) for i in ("hr", "hr-cloze", "pfs-choice")}
