"""Anki export, checked with a real client: packages are imported into a throwaway
collection with the official `anki` package, and what Anki stores and renders is asserted.

Expected values are computed from the decks (and, for text, from markdown-it directly),
never copied from the exporter's output.
"""

from __future__ import annotations

import gc
import hashlib
import html
import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import genanki
import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.notes import Note
from anki.scheduler.v3 import CardAnswer
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

import hccquiz.deck.discovery as discovery_module
from hccquiz import anki
from hccquiz.anki import batch as ankibatch
from hccquiz.anki import plan as ankiplan
from hccquiz.cli import cli
from hccquiz.deck.discovery import (
    bundled_deck_dir,
    deck_files,
    deck_sources,
    local_deck_dir,
    resolve_deck_args,
)
from hccquiz.deck.file import load_deck, load_deck_text
from hccquiz.deck.levels import Level
from hccquiz.deck.models import ChoiceItem, ClozeItem, Deck
from hccquiz.errors import DeckError, HccquizError
from hccquiz.text import html as render

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "decks" / "imbrave150.yaml"
STAMP = 1_700_000_000

# markdown-it as the reference renderer, configured independently of hccquiz.text.html.
REFERENCE = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])

TINY = """\
id: {deck_id}
title: "{title}"
levels: [resident]
tags: [trial]
items:
  - id: hr
    levels: [fellow, resident]
    tags: [efficacy, first line]
    question: "What was the hazard ratio for {subject}?"
    answer: "0.58"
    explanation: "95% CI, 0.42 to 0.79."
  - id: hr-cloze
    type: cloze
    levels: [phd]
    text: "OS HR {{{{c1::0.58}}}} (95% CI, {{{{c2::0.42 to 0.79::CI}}}}), again {{{{c1::0.58}}}}"
  - id: pfs-choice
    type: choice
    tags: [efficacy]
    question: "Median PFS with the combination?"
    choices: ["6.8 months", "4.3 months", "8.6 months"]
    answer: "6.8 months"
    explanation: "Versus 4.3 months with sorafenib."
"""

ESCAPES = """\
id: escapes
title: "Escapes <b>bold</b> & co"
description: "<script>alert('description')</script> & <b>desc</b>"
tags: ["<script>"]
levels: [resident]
items:
  - id: basic
    question: "Is <script>alert(1)</script> & <b>bold</b> shown as text?"
    answer: "<i>yes</i> &amp; A&B"
    explanation: "[click](javascript:alert(1)) and <img src=x onerror=alert(1)>"
  - id: cloze
    type: cloze
    text: "P {{c1::<0.001}} & {{c2::<b>x</b>::a <hint>}}"
  - id: choice
    type: choice
    question: "Pick <script>"
    choices: ["<script>alert(2)</script>", "A & B", "<b>plain</b>"]
    answer: "A & B"
"""


# ---------------------------------------------------------------------------- helpers


@pytest.fixture(autouse=True)
def _clock_stamps(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests that want SOURCE_DATE_EPOCH set it themselves."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.fixture
def collection(tmp_path: Path) -> Iterator[Collection]:
    """A fresh, empty Anki collection."""
    folder = tmp_path / "anki-profile"
    folder.mkdir()
    col = Collection(str(folder / "collection.anki2"))
    yield col
    col.close()


def import_apkg(col: Collection, path: Path, **options: Any) -> Any:
    """Import like Anki's File > Import and return the import log."""
    request = ImportAnkiPackageRequest(
        package_path=str(path), options=ImportAnkiPackageOptions(**options)
    )
    return col.import_anki_package(request).log


def notes_by_guid(col: Collection) -> dict[str, Note]:
    return {note.guid: note for note in map(col.get_note, col.find_notes(""))}


def export(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    """`hccquiz export ARGS` in-process, as click runs it."""
    return CliRunner().invoke(cli, ["export", *map(str, args)], env=env)


def visible(fragment: str) -> str:
    """What a reader sees of an HTML fragment: tags dropped, entities decoded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def visible_blocks(fragment: str) -> str:
    """`visible`, with a space where a block (paragraph, div) ends, as a reader sees it."""
    return visible(re.sub(r"</p>|</div>|<div\b", r" \g<0>", fragment))


def without_style(card_html: str) -> str:
    """A rendered card without the note type's stylesheet."""
    return re.sub(r"<style>.*?</style>", "", card_html, flags=re.DOTALL)


def reference_text(markdown: str) -> str:
    """The visible text markdown-it itself renders for `markdown`."""
    return visible(REFERENCE.render(markdown))


def expected_tags(deck: Deck, item: Any) -> set[str]:
    tags = {f"hccquiz::deck::{deck.id}"}
    tags |= {f"hccquiz::level::{level.value}" for level in deck.item_levels(item)}
    return tags | {"_".join(tag.split()) for tag in deck.item_tags(item)}


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def tiny(deck_id: str = "tiny", title: str = "Tiny deck", subject: str = "overall survival") -> str:
    return TINY.format(deck_id=deck_id, title=title, subject=subject)


@pytest.fixture
def bundled() -> Deck:
    return load_deck(BUNDLED)


@pytest.fixture
def bundled_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Result]:
    """The bundled deck exported by the CLI with its default output path."""
    monkeypatch.chdir(tmp_path)
    result = export(BUNDLED)
    return tmp_path / "exports" / "imbrave150.apkg", result


# ------------------------------------------------------------- the bundled deck, end to end


def test_bundled_deck_imports_with_every_note_and_card(
    bundled: Deck, bundled_export: tuple[Path, Result], collection: Collection
) -> None:
    path, result = bundled_export
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines() == [
        f"exports/imbrave150.apkg: {len(bundled.items)} notes, {bundled.card_count} cards "
        f"from imbrave150; levels: "
        + ", ".join(
            f"{level.value} {sum(level in bundled.item_levels(i) for i in bundled.items)}"
            for level in Level
            if any(level in bundled.item_levels(i) for i in bundled.items)
        )
    ]
    log = import_apkg(collection, path)
    assert len(log.new) == len(bundled.items)
    assert not log.updated and not log.duplicate and not log.conflicting
    assert collection.note_count() == len(bundled.items)
    assert collection.card_count() == bundled.card_count
    assert sum(isinstance(i, ClozeItem) for i in bundled.items) > 0  # the deck has every type
    assert sum(isinstance(i, ChoiceItem) for i in bundled.items) > 0

    notes = notes_by_guid(collection)
    kinds = {"basic": "hccquiz Basic", "cloze": "hccquiz Cloze", "choice": "hccquiz Choice"}
    deck_name = f"hccquiz::{bundled.title}"
    for item in bundled.items:
        note = notes[genanki.guid_for("hccquiz", bundled.id, item.id)]
        assert note.note_type()["name"] == kinds[item.type]
        assert set(note.tags) == expected_tags(bundled, item)
        cards = note.cards()
        assert {collection.decks.name(card.did) for card in cards} == {deck_name}
        if isinstance(item, ClozeItem):  # one card per deletion number
            assert sorted(card.ord + 1 for card in cards) == item.card_numbers
        else:
            assert len(cards) == 1


def test_bundled_deck_fields_carry_the_deck_text(
    bundled: Deck, bundled_export: tuple[Path, Result], collection: Collection
) -> None:
    import_apkg(collection, bundled_export[0])
    notes = notes_by_guid(collection)
    citation = bundled.source.citation if bundled.source else ""
    for item in bundled.items:
        note = notes[genanki.guid_for("hccquiz", bundled.id, item.id)]
        explanation = reference_text(item.explanation) if item.explanation else ""
        source = " · ".join(filter(None, [item.source and reference_text(item.source), citation]))
        assert visible(note["Source"]) == visible(source)
        if isinstance(item, ClozeItem):
            assert visible(note["Text"]) == reference_text(item.text)
            assert visible(note["Extra"]) == explanation
        elif isinstance(item, ChoiceItem):  # the vignette, then the question
            stem = REFERENCE.render(item.stem) if item.stem else ""
            question = stem + REFERENCE.render(item.prompt)
            assert visible_blocks(note["Question"]) == visible_blocks(question)
            objective = (
                f"<div>Educational objective: {REFERENCE.renderInline(item.objective)}</div>"
                if item.objective
                else ""
            )
            wanted = (REFERENCE.render(item.explanation) if item.explanation else "") + objective
            assert visible_blocks(note["Explanation"]) == visible_blocks(wanted)
        else:
            assert visible(note["Question"]) == reference_text(item.question)
            assert visible(note["Answer"]) == reference_text(item.answer)
            assert visible(note["Explanation"]) == explanation
            levels = sorted(bundled.item_levels(item), key=list(Level).index)
            assert note["Levels"] == ", ".join(level.display_name for level in levels)


def test_cloze_cards_hide_their_deletion_and_show_it_on_the_answer(
    bundled: Deck, bundled_export: tuple[Path, Result], collection: Collection
) -> None:
    import_apkg(collection, bundled_export[0])
    notes = notes_by_guid(collection)
    checked = 0
    for item in bundled.items:
        if not isinstance(item, ClozeItem):
            continue
        for card in notes[genanki.guid_for("hccquiz", bundled.id, item.id)].cards():
            number = card.ord + 1
            deletions = [d for d in item.deletions if d.number == number]
            active_question = re.findall(
                rf'<span class="cloze" data-cloze="[^"]*" data-ordinal="{number}">(.*?)</span>',
                card.question(),
            )
            hints = [f"[{d.hint.strip()}]" if d.hint else "[...]" for d in deletions]
            assert [visible(span) for span in active_question] == hints
            active_answer = re.findall(
                rf'<span class="cloze" data-ordinal="{number}">(.*?)</span>', card.answer()
            )
            assert [visible(span) for span in active_answer] == [
                visible(REFERENCE.renderInline(d.answer.strip())) for d in deletions
            ]
            checked += 1
    assert checked == sum(i.card_count for i in bundled.items if isinstance(i, ClozeItem))


def test_choice_cards_list_the_options_and_mark_the_right_ones(
    bundled: Deck, bundled_export: tuple[Path, Result], collection: Collection
) -> None:
    import_apkg(collection, bundled_export[0])
    notes = notes_by_guid(collection)
    choice_items = [i for i in bundled.items if isinstance(i, ChoiceItem)]
    assert choice_items
    for item in choice_items:
        (card,) = notes[genanki.guid_for("hccquiz", bundled.id, item.id)].cards()
        question, answer = without_style(card.question()), without_style(card.answer())
        front = [visible(li) for li in re.findall(r"<li>(.*?)</li>", question)]
        assert sorted(front) == sorted(reference_text(c) for c in item.choices)
        assert "hcq-correct" not in question and "✓" not in question
        marked = re.findall(r'<li class="hcq-(correct|wrong)">(.*?)</li>', answer)
        whys = [re.findall(r'<div class="hcq-why">(.*?)</div>', text) for _, text in marked]
        options = [re.sub(r'<div class="hcq-why">.*?</div>', "", text) for _, text in marked]
        assert [visible(text).removeprefix("✓ ") for text in options] == front
        correct = {
            visible(text).removeprefix("✓ ")
            for (kind, _), text in zip(marked, options, strict=True)
            if kind == "correct"
        }
        assert correct == {reference_text(a) for a in item.answers}
        assert all(text.count("✓") == (kind == "correct") for kind, text in marked)
        for text, why in zip(front, whys, strict=True):  # each option's rationale under it
            option = next(o for o in item.options if reference_text(o.text) == text)
            assert [visible(w) for w in why] == ([reference_text(option.why)] if option.why else [])


def test_note_types_have_fixed_ids_fields_and_shared_css(
    bundled_export: tuple[Path, Result], collection: Collection
) -> None:
    import_apkg(collection, bundled_export[0])
    expected = {  # frozen forever: a change ships as a new note type with a new id
        "hccquiz Basic": (1488147486, ["Question", "Answer", "Explanation", "Source", "Levels"]),
        "hccquiz Cloze": (2065318004, ["Text", "Extra", "Source"]),
        "hccquiz Choice": (
            1103125978,
            ["Question", "Choices", "Answer", "Explanation", "Source"],
        ),
    }
    css = set()
    for name, (model_id, fields) in expected.items():
        notetype = collection.models.by_name(name)
        assert notetype is not None, name
        assert notetype["id"] == model_id
        assert [field["name"] for field in notetype["flds"]] == fields
        assert notetype["type"] == (1 if name == "hccquiz Cloze" else 0)
        assert "<script" not in "".join(t["qfmt"] + t["afmt"] for t in notetype["tmpls"])
        css.add(notetype["css"])
    assert len(css) == 1


# What trainees hold: the fields and templates of each note type. Changing any of them
# means shipping a new note type with a new id (see docs/anki.md), then updating this.
FROZEN_NOTE_TYPES = {
    "hccquiz Basic": "e77bb18a214638cf",
    "hccquiz Cloze": "c4578116e878529c",
    "hccquiz Choice": "2f969a4d22628ccd",
}


def test_note_type_fields_and_templates_are_frozen(
    bundled_export: tuple[Path, Result], collection: Collection
) -> None:
    import_apkg(collection, bundled_export[0])
    for name, digest in FROZEN_NOTE_TYPES.items():
        notetype = collection.models.by_name(name)
        assert notetype is not None
        shape = [
            notetype["id"],
            notetype["type"],
            [field["name"] for field in notetype["flds"]],
            [[t["name"], t["qfmt"], t["afmt"]] for t in notetype["tmpls"]],
        ]
        actual = hashlib.sha256(json.dumps(shape).encode()).hexdigest()[:16]
        assert actual == digest, f"{name} changed: ship it as a new note type with a new id"


def test_new_cards_come_in_deck_order(
    bundled: Deck, bundled_export: tuple[Path, Result], collection: Collection
) -> None:
    import_apkg(collection, bundled_export[0])
    notes = notes_by_guid(collection)
    dues = [
        min(c.due for c in notes[genanki.guid_for("hccquiz", bundled.id, i.id)].cards())
        for i in bundled.items
    ]
    assert dues == sorted(dues) and len(set(dues)) == len(dues)


# --------------------------------------------------------------------------- safe text


def test_raw_html_in_deck_text_arrives_as_visible_text(
    tmp_path: Path, collection: Collection
) -> None:
    path = tmp_path / "escapes.apkg"
    anki.export_apkg(load_deck_text(ESCAPES), path, timestamp=STAMP)
    import_apkg(collection, path)
    notes = list(notes_by_guid(collection).values())
    assert len(notes) == 3
    rendered = []
    for note in notes:
        for card in note.cards():
            rendered += [card.question(), card.answer()]
        rendered += [value for _, value in note.items()]
    everything = "\n".join(rendered)
    for forbidden in ("<script", "<b>", "<i>", "<img", 'href="javascript'):
        assert forbidden not in everything.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in everything
    basic = next(n for n in notes if n.note_type()["name"] == "hccquiz Basic")
    assert visible(basic["Question"]) == "Is <script>alert(1)</script> & <b>bold</b> shown as text?"
    assert visible(basic["Answer"]) == "<i>yes</i> & A&B"
    cloze = next(n for n in notes if n.note_type()["name"] == "hccquiz Cloze")
    assert cloze["Text"] == (
        "P {{c1::&lt;0.001}} &amp; {{c2::&lt;b&gt;x&lt;/b&gt;::a &lt;hint&gt;}}"
    )
    assert len(cloze.cards()) == 2
    (deck,) = [d for d in collection.decks.all() if d["name"].startswith("hccquiz::")]
    assert deck["name"] == "hccquiz::Escapes <b>bold</b> & co"  # a name, not HTML
    assert "<script" not in deck["desc"] and "&lt;script&gt;" in deck["desc"]


# ------------------------------------------------------------------- updates on re-import


def _answer_first_card(col: Collection, deck_name: str) -> tuple[int, int]:
    col.decks.select(col.decks.id_for_name(deck_name))
    queued = col.sched.get_queued_cards().cards[0]
    card = col.get_card(queued.card.id)
    card.start_timer()
    col.sched.answer_card(
        col.sched.build_answer(card=card, states=queued.states, rating=CardAnswer.GOOD)
    )
    card.load()
    assert card.reps == 1
    return card.id, card.reps


def test_reexport_after_edit_updates_notes_and_keeps_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, collection: Collection
) -> None:
    monkeypatch.chdir(tmp_path)
    deck_file = write(tmp_path / "decks", "tiny.yaml", tiny())
    assert export().exit_code == 0
    apkg = tmp_path / "exports" / "tiny.apkg"
    first_stamp = anki.read_stamp(apkg)
    log = import_apkg(collection, apkg)
    assert len(log.new) == 3
    card_id, reps = _answer_first_card(collection, "hccquiz::Tiny deck")

    deck_file.write_text(tiny(subject="progression-free survival"))
    result = export()  # at once: very likely within the same second as the first export
    assert result.exit_code == 0, result.output
    assert anki.read_stamp(apkg) > first_stamp
    log = import_apkg(collection, apkg)
    assert not log.new and not log.duplicate and not log.conflicting
    guid = genanki.guid_for("hccquiz", "tiny", "hr")
    assert guid in {collection.get_note(entry.id.nid).guid for entry in log.updated}
    assert collection.note_count() == 3 and collection.card_count() == 4
    assert "progression-free survival" in notes_by_guid(collection)[guid]["Question"]
    card = collection.get_card(card_id)
    assert card.reps == reps and card.type != 0  # still reviewed, not reset to new
    # Ticking "import any learning progress" changes nothing: the package holds none.
    deck_file.write_text(tiny(subject="overall response"))
    assert export().exit_code == 0
    assert len(import_apkg(collection, apkg, with_scheduling=True).updated) == 3
    card = collection.get_card(card_id)
    assert card.reps == reps and card.type != 0


def test_adding_an_item_adds_one_note_and_leaves_the_others(
    tmp_path: Path, collection: Collection
) -> None:
    deck_file = write(tmp_path, "tiny.yaml", tiny())
    apkg = tmp_path / "tiny.apkg"
    anki.export_apkg(load_deck(deck_file), apkg)
    import_apkg(collection, apkg)
    deck_file.write_text(
        tiny() + '  - id: extra\n    question: "New question?"\n    answer: "New answer"\n'
    )
    anki.export_apkg(load_deck(deck_file), apkg)
    log = import_apkg(collection, apkg)
    assert len(log.new) == 1 and len(log.updated) == 3 and not log.duplicate
    assert collection.note_count() == 4


def test_an_edit_stamped_no_later_is_not_an_update_and_the_cli_warns(
    tmp_path: Path, collection: Collection
) -> None:
    """Why every export must be stamped later: Anki ignores a same-time edit."""
    deck_file = write(tmp_path, "tiny.yaml", tiny())
    apkg = tmp_path / "tiny.apkg"
    env = {"SOURCE_DATE_EPOCH": str(STAMP)}
    assert export(deck_file, "-o", apkg, env=env).exit_code == 0
    import_apkg(collection, apkg)
    again = export(deck_file, "-o", apkg, env=env)  # nothing changed: no warning
    assert again.exit_code == 0 and "warning" not in again.stderr
    deck_file.write_text(tiny(subject="progression-free survival"))
    result = export(deck_file, "-o", apkg, env=env)
    assert result.exit_code == 0
    assert "is not newer than the replaced file's" in result.stderr
    log = import_apkg(collection, apkg)
    assert not log.new and not log.updated and len(log.duplicate) == 3
    newer = export(deck_file, "-o", apkg, env={"SOURCE_DATE_EPOCH": str(STAMP + 1)})
    assert newer.exit_code == 0 and "warning" not in newer.stderr
    assert len(import_apkg(collection, apkg).updated) == 3


def test_choose_timestamp_is_monotonic_and_honours_source_date_epoch() -> None:
    assert anki.choose_timestamp(100.9) == 100
    assert anki.choose_timestamp(100.9, previous=99) == 100
    assert anki.choose_timestamp(100.9, previous=100) == 101
    assert anki.choose_timestamp(100.9, previous=500) == 501  # a clock behind the last export
    assert anki.choose_timestamp(100.9, previous=500, source_date_epoch="42") == 42
    assert anki.choose_timestamp(100.9, source_date_epoch=" ") == 100  # empty means unset
    for bad in ("abc", "-5", "1.5", "0"):
        with pytest.raises(anki.AnkiExportError, match="SOURCE_DATE_EPOCH"):
            anki.choose_timestamp(100.9, source_date_epoch=bad)


def test_read_stamp_ignores_files_that_are_not_hccquiz_exports(tmp_path: Path) -> None:
    assert anki.read_stamp(tmp_path / "missing.apkg") is None
    other = write(tmp_path, "other.apkg", "not a zip")
    assert anki.read_stamp(other) is None
    genanki.Package(genanki.Deck(1 << 30, "x")).write_to_file(str(tmp_path / "g.apkg"))
    assert anki.read_stamp(tmp_path / "g.apkg") is None


# ---------------------------------------------------------------------------- filters


def _exported_guids(col: Collection, path: Path) -> set[str]:
    import_apkg(col, path)
    return set(notes_by_guid(col))


def test_level_filter_exports_only_that_level(
    bundled: Deck, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, collection: Collection
) -> None:
    monkeypatch.chdir(tmp_path)
    result = export(BUNDLED, "--level", "phd")
    assert result.exit_code == 0, result.output
    wanted = [i for i in bundled.items if Level.PHD in bundled.item_levels(i)]
    assert 0 < len(wanted) < len(bundled.items)
    assert f"{len(wanted)} notes" in result.stdout and "levels: phd " in result.stdout
    path = tmp_path / "exports" / "imbrave150-phd.apkg"
    guids = _exported_guids(collection, path)
    assert guids == {genanki.guid_for("hccquiz", bundled.id, i.id) for i in wanted}
    assert all("hccquiz::level::phd" in n.tags for n in notes_by_guid(collection).values())


def test_tag_filter_and_level_filter_combine(
    bundled: Deck, tmp_path: Path, collection: Collection
) -> None:
    path = tmp_path / "out.apkg"
    result = export(
        BUNDLED, "-o", path, "--tag", "statistics", "--level", "fellow", "--level", "phd"
    )
    assert result.exit_code == 0, result.output
    wanted = {
        genanki.guid_for("hccquiz", bundled.id, i.id)
        for i in bundled.items
        if "statistics" in bundled.item_tags(i)
        and {Level.FELLOW, Level.PHD} & set(bundled.item_levels(i))
    }
    assert wanted and _exported_guids(collection, path) == wanted


def test_tag_filter_alone(bundled: Deck, tmp_path: Path, collection: Collection) -> None:
    path = tmp_path / "efficacy.apkg"
    assert export(BUNDLED, "-o", path, "--tag", "efficacy").exit_code == 0
    wanted = {
        genanki.guid_for("hccquiz", bundled.id, i.id)
        for i in bundled.items
        if "efficacy" in bundled.item_tags(i)
    }
    assert wanted and _exported_guids(collection, path) == wanted


def test_default_file_names_say_what_was_filtered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "decks", "tiny.yaml", tiny())
    assert export("--level", "resident", "--level", "fellow").exit_code == 0
    assert export("--tag", "first line").exit_code == 0
    names = sorted(p.name for p in (tmp_path / "exports").iterdir())
    assert names == ["tiny-resident_fellow.apkg", "tiny-tag-first-line.apkg"]


def test_tags_with_spaces_are_made_safe_and_match_filters(
    tmp_path: Path, collection: Collection
) -> None:
    deck_file = write(tmp_path, "tiny.yaml", tiny())
    path = tmp_path / "t.apkg"
    assert export(deck_file, "-o", path, "--tag", "first_line").exit_code == 0
    assert _exported_guids(collection, path) == {genanki.guid_for("hccquiz", "tiny", "hr")}
    (note,) = notes_by_guid(collection).values()
    assert {"first_line", "efficacy", "trial"} <= set(note.tags)


def test_a_filter_that_matches_nothing_is_an_error(tmp_path: Path, cli_run: Any) -> None:
    result = cli_run("export", BUNDLED, "--tag", "no-such-tag", cwd=tmp_path)
    assert result.returncode == 1
    assert "hccquiz: no item of imbrave150 matches --tag no-such-tag" in result.stderr
    assert not (tmp_path / "exports").exists()
    unknown = cli_run("export", BUNDLED, "--level", "intern", cwd=tmp_path)
    # a usage error, as in study (issue 10, item 11): exit 2, the levels listed
    assert unknown.returncode == 2 and "'intern' is not one of 'med-student'" in unknown.stderr
    assert "Traceback" not in unknown.stderr


def test_a_filter_value_that_matches_nothing_is_reported(tmp_path: Path) -> None:
    result = export(BUNDLED, "-o", tmp_path / "x.apkg", "--tag", "efficacy", "--tag", "efficasy")
    assert result.exit_code == 0
    assert "warning: --tag efficasy matches no item" in result.stderr


# --------------------------------------------------------------------- reproducibility


def test_source_date_epoch_gives_byte_identical_packages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, collection: Collection
) -> None:
    env = {"SOURCE_DATE_EPOCH": str(STAMP)}
    first, second = tmp_path / "a" / "deck.apkg", tmp_path / "b" / "deck.apkg"
    assert export(BUNDLED, "-o", first, env=env).exit_code == 0
    # Another clock and another time zone must change nothing.
    monkeypatch.setattr(time, "time", lambda: 4_000_000_000.5)
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    try:
        assert export(BUNDLED, "-o", second, env=env).exit_code == 0
        assert first.read_bytes() == second.read_bytes()
        assert export(BUNDLED, "-o", tmp_path / "clock.apkg").exit_code == 0
    finally:
        monkeypatch.undo()
        time.tzset()
    assert anki.read_stamp(tmp_path / "clock.apkg") == 4_000_000_000  # the clock, otherwise
    later = tmp_path / "later.apkg"
    assert export(BUNDLED, "-o", later, env={"SOURCE_DATE_EPOCH": str(STAMP + 1)}).exit_code == 0
    assert later.read_bytes() != first.read_bytes()
    import_apkg(collection, first)
    assert set(collection.db.list("select distinct mod from notes")) == {STAMP}


# ------------------------------------------------------------------------ ids and decks


def test_guids_are_per_deck_and_item_and_one_file_can_hold_several_decks(
    tmp_path: Path, collection: Collection
) -> None:
    a = write(tmp_path, "a.yaml", tiny("deck-a", "Deck A"))
    b = write(tmp_path, "b.yaml", tiny("deck-b", "Deck B"))  # the same item ids
    path = tmp_path / "both.apkg"
    result = export(a, b, "-o", path)
    assert result.exit_code == 0, result.output
    assert "6 notes, 8 cards from deck-a, deck-b" in result.stdout
    import_apkg(collection, path)
    notes = notes_by_guid(collection)
    for deck_file in (a, b):
        deck = load_deck(deck_file)
        for item in deck.items:
            note = notes[genanki.guid_for("hccquiz", deck.id, item.id)]
            assert {collection.decks.name(c.did) for c in note.cards()} == {
                f"hccquiz::{deck.title}"
            }
    assert len(notes) == 6


def test_anki_deck_id_is_derived_stably_from_the_deck_id() -> None:
    digest = hashlib.sha256(b"hccquiz::deck::imbrave150").digest()
    assert anki.anki_deck_id("imbrave150") == 1482916025  # frozen: decks keep their id
    assert anki.anki_deck_id("imbrave150") == (1 << 30) + int.from_bytes(digest[:8]) % (1 << 30)
    assert anki.anki_deck_id("imbrave150") != anki.anki_deck_id("imbrave151")
    built = anki.build_package(load_deck(BUNDLED))
    assert [d.deck_id for d in built.package.decks] == [anki.anki_deck_id("imbrave150")]


def test_choice_order_is_shuffled_stably_unless_shuffle_is_false() -> None:
    options = [f"option {n}" for n in range(8)]
    deck_yaml = (
        "id: order\ntitle: Order\nlevels: [resident]\nitems:\n"
        + "".join(
            f"  - {{id: q{n}, type: choice, question: Q{n}, choices: {options}, "
            f"answer: option 0, shuffle: {str(n == 0).lower()}}}\n"
            for n in range(6)
        )
    ).replace("'", '"')
    deck = load_deck_text(deck_yaml)

    def orders() -> list[list[str]]:
        package = anki.build_package(deck).package
        return [
            [visible(li) for li in re.findall(r"<li>(.*?)</li>", note.fields[1])]
            for note in package.decks[0].notes
        ]

    first = orders()
    assert first == orders()  # the same every export
    assert all(sorted(order) == sorted(options) for order in first)
    assert first[0] != options  # q0 shuffles (a fixed seed: this cannot flake)
    assert all(order == options for order in first[1:])  # shuffle: false keeps the order


def test_select_all_that_apply_marks_every_answer(tmp_path: Path, collection: Collection) -> None:
    deck = load_deck_text(
        "id: multi\ntitle: Multi\nlevels: [resident]\nitems:\n"
        "  - {id: m, type: choice, question: 'Which?', choices: [a, b, c, d], answer: [b, d]}\n"
    )
    path = tmp_path / "multi.apkg"
    anki.export_apkg(deck, path)
    import_apkg(collection, path)
    (note,) = notes_by_guid(collection).values()
    (card,) = note.cards()
    assert "Select all that apply." in card.question()
    correct = re.findall(r'<li class="hcq-correct">(.*?)</li>', card.answer())
    assert sorted(visible(c) for c in correct) == ["✓ b", "✓ d"]


# ------------------------------------------------------------------------- the command


def test_no_deck_exports_every_deck_in_decks_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "decks", "a.yaml", tiny("deck-a", "Deck A"))
    write(tmp_path / "decks", "b.yml", tiny("deck-b", "Deck B"))
    result = export()
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "exports/deck-a.apkg: 3 notes, 4 cards from deck-a; levels: resident 2, fellow 1, phd 1",
        "exports/deck-b.apkg: 3 notes, 4 cards from deck-b; levels: resident 2, fellow 1, phd 1",
    ]
    out = export("-o", f"{tmp_path}/folder/")  # a folder: one file per deck again
    assert out.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "folder").iterdir()) == [
        "deck-a.apkg",
        "deck-b.apkg",
    ]
    by_name = export("b", "-o", tmp_path / "b-only.apkg")  # a deck named from decks/
    assert by_name.exit_code == 0 and "from deck-b;" in by_name.stdout


def test_without_a_decks_folder_the_packaged_decks_are_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "site-packages" / "hccquiz"
    write(package / "_decks", "tiny.yaml", tiny())
    monkeypatch.setattr(discovery_module, "__file__", str(package / "deck" / "discovery.py"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    result = export()
    assert result.exit_code == 0, result.output
    assert (work / "exports" / "tiny.apkg").is_file()
    monkeypatch.setattr(
        discovery_module,
        "__file__",
        str(tmp_path / "nowhere" / "hccquiz" / "deck" / "discovery.py"),
    )
    missing = export()
    assert missing.exit_code == 1
    assert "no decks/ folder here" in str(missing.exception)


def test_bad_decks_are_reported_with_locations_and_nothing_is_written(
    tmp_path: Path, cli_run: Any
) -> None:
    good = write(tmp_path / "decks", "good.yaml", tiny())
    bad = write(tmp_path / "decks", "bad.yaml", "id: bad\ntitle: Bad\nitems:\n  - id: x\n")
    result = cli_run("export", "decks", cwd=tmp_path)
    assert result.returncode == 1
    assert re.search(rf"^{re.escape(str(Path('decks') / bad.name))}:\d+:\d+: ", result.stderr, re.M)
    assert "nothing exported" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "exports").exists()
    assert good.exists()


def test_a_deck_the_filters_empty_is_skipped_when_others_match(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "decks", "tiny.yaml", tiny())
    write(
        tmp_path / "decks",
        "other.yaml",
        "id: other\ntitle: Other\nlevels: [attending]\n"
        "items:\n  - {id: q, question: Q, answer: A}\n",
    )
    result = export("--level", "attending")
    assert result.exit_code == 0
    assert "skipped: no item of tiny matches --level attending" in result.stderr
    assert [p.name for p in (tmp_path / "exports").iterdir()] == ["other-attending.apkg"]


def test_output_must_be_an_apkg(tmp_path: Path) -> None:
    result = export(BUNDLED, "-o", tmp_path / "deck.zip")
    assert result.exit_code == 1
    assert "must end in .apkg" in str(result.exception)


def test_exports_leave_no_temporary_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr("tempfile.tempdir", None)  # re-read TMPDIR
    anki.export_apkg(load_deck(BUNDLED), tmp_path / "out" / "deck.apkg")
    assert list(scratch.iterdir()) == []
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["deck.apkg"]


# ------------------------------------------------------------------ the Python API


def test_hccquiz_export_apkg_is_the_python_api(tmp_path: Path, collection: Collection) -> None:
    import hccquiz

    assert "export_apkg" in hccquiz.__all__ and hccquiz.export_apkg is anki.export_apkg
    deck = hccquiz.load_deck(write(tmp_path, "tiny.yaml", tiny()))
    path = tmp_path / "api.apkg"
    result = hccquiz.export_apkg([deck], path, levels=["phd"])
    assert (result.path, result.decks, result.notes, result.cards) == (path, ("tiny",), 1, 2)
    assert _exported_guids(collection, path) == {genanki.guid_for("hccquiz", "tiny", "hr-cloze")}


@pytest.mark.parametrize(
    "module", ["hccquiz", "hccquiz.anki", "hccquiz.anki.plan", "hccquiz.deck.discovery"]
)
def test_only_hccquiz_anki_loads_genanki(module: str) -> None:
    code = f"import sys, {module}; print('\\n'.join(sorted(sys.modules)))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert not [name for name in run.stdout.split() if name.split(".")[0] == "genanki"]


def test_hccquiz_anki_re_exports_the_genanki_free_names() -> None:
    for name in anki.__all__:
        assert hasattr(anki, name), name
    for name in ankiplan.__all__:
        if name in anki.__all__:
            assert getattr(anki, name) is getattr(ankiplan, name)


def test_export_decks_reports_results_and_messages_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "decks", "tiny.yaml", tiny())
    other = (
        "id: other\ntitle: Other\nlevels: [attending]\nitems: [{id: q, question: Q, answer: A}]\n"
    )
    write(tmp_path / "decks", "other.yaml", other)
    events: list[Any] = []
    thresholds = gc.get_threshold()
    done = ankibatch.export_decks(
        [Path("decks")], levels=["journal-editor", "attending"], progress=events.append
    )
    assert gc.get_threshold() == thresholds
    (result,) = done.results
    assert result.path == Path("exports/other-attending_journal-editor.apkg")
    assert (result.decks, result.notes) == (("other",), 1) and result.path.is_file()
    assert done.messages == (
        "skipped: no item of tiny matches --level attending --level journal-editor",
        "warning: --level journal-editor matches no item",
    )
    assert events == [result, *done.messages]
    combined = ankibatch.export_decks([Path("decks")], tmp_path / "all.apkg", tags=["trial"])
    assert [(r.decks, r.skipped) for r in combined.results] == [(("tiny",), ("other",))]
    assert combined.messages == ()


def test_export_decks_writes_nothing_when_a_deck_is_invalid(tmp_path: Path) -> None:
    write(tmp_path / "decks", "good.yaml", tiny())
    write(tmp_path / "decks", "copy.yaml", tiny())
    write(tmp_path / "decks", "bad.yaml", "id: bad\ntitle: Bad\nitems:\n  - id: x\n")
    out = tmp_path / "out.apkg"
    with pytest.raises(DeckError) as caught:
        ankibatch.export_decks([tmp_path / "decks"], out)
    problems = [str(problem) for problem in caught.value.problems]
    assert any(p.startswith(str(tmp_path / "decks" / "bad.yaml")) for p in problems)
    assert any("deck id 'tiny' is already used by" in p for p in problems)
    assert not out.exists()


def test_deck_arguments_resolve_to_files_folders_and_bundled_deck_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    deck_file = write(tmp_path / "decks", "tiny.yaml", tiny())
    # a local decks/ is used besides the bundled decks, never instead (issue 10, item 10)
    assert bundled_deck_dir() == ROOT / "decks"
    assert local_deck_dir() == Path("decks")
    assert resolve_deck_args([]) == [Path("decks/tiny.yaml")]  # export: the educator's decks
    assert [(s.path, s.origin) for s in deck_sources([])] == [
        (Path("decks/tiny.yaml"), "local"),
        *((p, "bundled") for p in sorted((ROOT / "decks").glob("*.yaml"))),
    ]
    assert resolve_deck_args(["tiny", str(deck_file)]) == [Path("decks/tiny.yaml"), deck_file]
    with pytest.raises(HccquizError, match="nope: no such deck file, folder or deck in decks/"):
        resolve_deck_args(["nope"])
    assert deck_files([Path("decks")]) == [Path("decks/tiny.yaml")]
    (tmp_path / "empty").mkdir()
    with pytest.raises(HccquizError, match=re.escape("no *.yaml or *.yml deck files")):
        deck_files([tmp_path / "empty"])


# ---------------------------------------------------------------------------- render


def test_markdown_renders_and_raw_html_is_escaped() -> None:
    assert render.markdown_to_html("**HR** 0.58 <b>x</b> & <script>") == (
        "<strong>HR</strong> 0.58 &lt;b&gt;x&lt;/b&gt; &amp; &lt;script&gt;"
    )
    assert render.markdown_to_html("- one\n- two") == "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"
    assert render.markdown_to_html("a\n\nb") == "<p>a</p>\n<p>b</p>"
    assert 'href="javascript' not in render.markdown_to_html("[x](javascript:alert(1))")
    assert render.inline_markdown_to_html("2020.") == "2020."  # not a list in a sentence


def test_cloze_markers_survive_rendering_with_their_content_escaped() -> None:
    text = "**OS** HR {{c1::0.58}} ({{c2::P<0.001::p <value>}}), {{c1::*again*}} `{{c3::code}}`"
    assert render.cloze_to_html(text) == (
        "<strong>OS</strong> HR {{c1::0.58}} ({{c2::P&lt;0.001::p &lt;value&gt;}}), "
        "{{c1::<em>again</em>}} <code>{{c3::code}}</code>"
    )
    assert render.cloze_to_html("\ue0000\ue001 {{c1::x}}") == "\ufffd0\ufffd {{c1::x}}"


TEXTS = st.lists(
    st.sampled_from(
        [
            *"ab1 *_.,;:?!()<>&#-+=|~`[]\\{}\"'é\t\n",
            *["**", "&amp;", "1. ", "http://x.y", "a@b.c", "\ue000", "·", "word", "  "],
        ]
    ),
    max_size=16,
).map("".join)


def _reference_block(text: str) -> str:
    tokens = REFERENCE.parse(text)
    if [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]:
        return REFERENCE.renderer.render(tokens[1].children or [], REFERENCE.options, {})
    return REFERENCE.renderer.render(tokens, REFERENCE.options, {}).rstrip("\n")


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_the_fast_path_renders_exactly_as_markdown_it(text: str) -> None:
    assert render.markdown_to_html(text) == _reference_block(text)
    assert render.inline_markdown_to_html(text) == REFERENCE.renderInline(text)
