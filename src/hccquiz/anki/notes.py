"""Decks -> genanki notes: the three note types (fixed ids, shared CSS) and their fields.

Note GUIDs come from the deck and item ids, so a re-import updates notes instead of
duplicating them, and a trainee's scheduling survives text edits. `build_package` is pure:
no clock, no files. `hccquiz.anki.package` turns what it builds into ``.apkg`` bytes.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import genanki

from ..deck.levels import Level, in_level_order
from ..deck.models import AnyItem, ChoiceItem, ClozeItem, Deck
from ..text.html import cloze_to_html, escape_html, inline_markdown_to_html, markdown_to_html
from .plan import AnkiExportError, EmptyExportError, note_tags, parse_levels, select_items

__all__ = [
    "BASIC_MODEL_ID",
    "CHOICE_MODEL_ID",
    "CLOZE_MODEL_ID",
    "CSS",
    "BuiltPackage",
    "anki_deck_id",
    "build_package",
    "note_guid",
]

# Fixed forever: Anki matches note types by id. A change to fields or templates ships as
# a new type with a new id, never as a silent change to one of these.
BASIC_MODEL_ID = 1488147486
"""Model id of *hccquiz Basic*: Question, Answer, Explanation, Source, Levels."""
CLOZE_MODEL_ID = 2065318004
"""Model id of *hccquiz Cloze*: Text, Extra, Source (a real Anki cloze type)."""
CHOICE_MODEL_ID = 1103125978
"""Model id of *hccquiz Choice*: Question, Choices, Answer, Explanation, Source."""

CSS = """\
.card { font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 20px; line-height: 1.45; text-align: left; color: #1d1d1f;
  background-color: #fff; }
.hcq { max-width: 40em; margin: 0 auto; }
.hcq-answer, .hcq-explanation { margin-top: .8em; }
.hcq-source, .hcq-levels { margin-top: 1.2em; font-size: .75em; color: #6e6e73; }
.hcq-source a { color: inherit; }
.hcq-instruction { font-style: italic; margin-top: .6em; }
ol.hcq-choices { padding-left: 2em; }
ol.hcq-choices li { margin: .3em 0; }
.hcq-correct { color: #1a7f37; font-weight: bold; }
.hcq-wrong { opacity: .6; }
.hcq-wrong:has(.hcq-why) { opacity: 1; }
.hcq-wrong:has(.hcq-why) > .hcq-option { opacity: .6; }
.hcq-why { font-size: .8em; font-weight: normal; color: #3a3a3c; margin: .15em 0 .45em; }
.hcq-stem { margin-bottom: .6em; }
.hcq-objective { margin-top: .8em; padding: .3em .6em; border-left: 3px solid #0a58ca; }
.cloze { font-weight: bold; color: #0a58ca; }
table { border-collapse: collapse; }
th, td { border: 1px solid #c7c7cc; padding: .2em .5em; }
.nightMode .card, .card.nightMode, .night_mode .card { color: #f2f2f7; background-color: #1c1c1e; }
.nightMode .hcq-source, .nightMode .hcq-levels, .night_mode .hcq-source,
.night_mode .hcq-levels { color: #aeaeb2; }
.nightMode .hcq-correct, .night_mode .hcq-correct { color: #4ac26b; }
.nightMode .hcq-why, .night_mode .hcq-why { color: #d1d1d6; }
.nightMode .cloze, .night_mode .cloze { color: #6ea8fe; }
"""
"""The stylesheet shared by the three note types (light and night mode, no JavaScript)."""

_EXTRAS = (
    '{{#Explanation}}<div class="hcq-explanation">{{Explanation}}</div>{{/Explanation}}'
    '{{#Source}}<div class="hcq-source">{{Source}}</div>{{/Source}}'
)
_SELECT_ALL = '<div class="hcq-instruction">Select all that apply.</div>'


@dataclass(frozen=True)
class BuiltPackage:
    """A genanki package and what it holds."""

    package: genanki.Package
    decks: tuple[str, ...]
    """Ids of the decks that have notes in the package."""
    skipped: tuple[str, ...]
    """Ids of the decks the filters emptied, left out of the package."""
    notes: int
    cards: int
    levels: Mapping[Level, int]
    """Notes per level, in level order (only the filtered levels when filtered)."""


def _model(
    model_id: int, name: str, fields: list[str], qfmt: str, afmt: str, cloze: bool = False
) -> genanki.Model:
    return genanki.Model(
        model_id,
        name,
        fields=[{"name": f} for f in fields],
        templates=[{"name": "Cloze" if cloze else "Card 1", "qfmt": qfmt, "afmt": afmt}],
        css=CSS,
        model_type=genanki.Model.CLOZE if cloze else genanki.Model.FRONT_BACK,
    )


def _models() -> dict[str, genanki.Model]:
    """Fresh models per export: genanki mutates their templates while writing."""
    question = '<div class="hcq-question">{{Question}}</div>'
    return {
        "basic": _model(
            BASIC_MODEL_ID,
            "hccquiz Basic",
            ["Question", "Answer", "Explanation", "Source", "Levels"],
            f'<div class="hcq hcq-basic">{question}</div>',
            f'<div class="hcq hcq-basic">{question}<hr id="answer">'
            f'<div class="hcq-answer">{{{{Answer}}}}</div>{_EXTRAS}'
            '{{#Levels}}<div class="hcq-levels">{{Levels}}</div>{{/Levels}}</div>',
        ),
        "cloze": _model(
            CLOZE_MODEL_ID,
            "hccquiz Cloze",
            ["Text", "Extra", "Source"],
            '<div class="hcq hcq-cloze">{{cloze:Text}}</div>',
            '<div class="hcq hcq-cloze">{{cloze:Text}}'
            '{{#Extra}}<div class="hcq-explanation">{{Extra}}</div>{{/Extra}}'
            '{{#Source}}<div class="hcq-source">{{Source}}</div>{{/Source}}</div>',
            cloze=True,
        ),
        "choice": _model(
            CHOICE_MODEL_ID,
            "hccquiz Choice",
            ["Question", "Choices", "Answer", "Explanation", "Source"],
            f'<div class="hcq hcq-choice">{question}{{{{Choices}}}}</div>',
            f'<div class="hcq hcq-choice">{question}<hr id="answer">'
            f'<div class="hcq-answer">{{{{Answer}}}}</div>{_EXTRAS}</div>',
        ),
    }


def anki_deck_id(deck_id: str) -> int:
    """The Anki deck id for a deck id: stable, in genanki's range [2**30, 2**31)."""
    digest = hashlib.sha256(f"hccquiz::deck::{deck_id}".encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


def note_guid(deck_id: str, item_id: str) -> str:
    """The note GUID: survives text edits, differs between decks."""
    return genanki.guid_for("hccquiz", deck_id, item_id)


def _citation_html(deck: Deck) -> str:
    if not deck.source:
        return ""
    citation = inline_markdown_to_html(deck.source.citation.strip())
    url = (deck.source.url or "").strip()
    if re.fullmatch(r"https?://\S+", url, re.IGNORECASE):
        citation = f'<a href="{escape_html(url)}">{citation}</a>'
    return f'<span class="hcq-citation">{citation}</span>'


def _source_html(item: AnyItem, citation: str) -> str:
    """The Source field: the item's place in the source, then the deck's citation."""
    if not item.source:
        return citation
    section = f'<span class="hcq-section">{inline_markdown_to_html(item.source)}</span>'
    return f"{section} · {citation}" if citation else section


def _optional(text: str | None) -> str:
    return markdown_to_html(text) if text else ""


def _choice_fields(deck: Deck, item: ChoiceItem) -> tuple[str, str]:
    """(Choices, Answer): the options as shown on the front, and the same list with the
    correct ones marked. With ``shuffle`` the order is shuffled once, seeded by the deck
    and item ids, so it is stable across exports and needs no JavaScript."""
    order = list(item.choices)
    if item.shuffle:
        random.Random(f"hccquiz:{deck.id}:{item.id}").shuffle(order)
    correct = {answer.strip() for answer in item.answers}
    shown = [inline_markdown_to_html(choice.strip()) for choice in order]
    front = "".join(f"<li>{html}</li>" for html in shown)
    back = "".join(
        f'<li class="hcq-correct"><span class="hcq-mark">✓</span> {html}{_why(item, choice)}</li>'
        if choice.strip() in correct
        else f'<li class="hcq-wrong">{_wrong_option(html, _why(item, choice))}</li>'
        for choice, html in zip(order, shown, strict=True)
    )
    instruction = _SELECT_ALL if item.multiple else ""
    return (
        f'{instruction}<ol class="hcq-choices" type="A">{front}</ol>',
        f'<ol class="hcq-choices hcq-marked" type="A">{back}</ol>',
    )


def _why(item: ChoiceItem, choice: str) -> str:
    """The option's rationale as a block under it on the back, or nothing."""
    why = item.why(choice)
    return f'<div class="hcq-why">{inline_markdown_to_html(why.strip())}</div>' if why else ""


def _wrong_option(html: str, why: str) -> str:
    """A wrong option on the back: faded, its rationale (if any) readable under it."""
    return f'<span class="hcq-option">{html}</span>{why}' if why else html


def _choice_question(item: ChoiceItem) -> str:
    """The Question field: the vignette (`stem`), then the question."""
    question = markdown_to_html(item.prompt)
    if not item.stem:
        return question
    return f'<div class="hcq-stem">{markdown_to_html(item.stem)}</div>{question}'


def _choice_explanation(item: ChoiceItem) -> str:
    """The Explanation field: the explanation, then the educational objective."""
    parts = [_optional(item.explanation)]
    if item.objective:
        objective = inline_markdown_to_html(item.objective.strip())
        parts.append(f'<div class="hcq-objective"><b>Educational objective:</b> {objective}</div>')
    return "".join(parts)


def _fields(deck: Deck, item: AnyItem, source: str) -> list[str]:
    if isinstance(item, ClozeItem):
        return [cloze_to_html(item.text), _optional(item.explanation), source]
    if isinstance(item, ChoiceItem):
        choices, answer = _choice_fields(deck, item)
        return [_choice_question(item), choices, answer, _choice_explanation(item), source]
    names = ", ".join(level.display_name for level in in_level_order(deck.item_levels(item)))
    return [
        markdown_to_html(item.question),
        markdown_to_html(item.answer),
        _optional(item.explanation),
        source,
        escape_html(names),
    ]


def _deck_description(deck: Deck) -> str:
    parts = [markdown_to_html(deck.description)] if deck.description else []
    if deck.source:
        parts.append(f"<p>Source: {_citation_html(deck)}</p>")
    if deck.authors:
        parts.append(f"<p>Authors: {escape_html(', '.join(deck.authors))}</p>")
    if deck.license:
        parts.append(f"<p>License: {escape_html(deck.license)}</p>")
    parts.append(f"<p>Exported by hccquiz from deck <code>{escape_html(deck.id)}</code>.</p>")
    return "\n".join(parts)


def build_package(
    decks: Deck | Iterable[Deck],
    levels: Iterable[Level | str] | None = None,
    tags: Iterable[str] | None = None,
) -> BuiltPackage:
    """Build the genanki package for `decks`, keeping the items the filters select.

    Pure: no clock, no files. Decks the filters empty are left out; raises
    `EmptyExportError` when nothing is left and `AnkiExportError` on repeated deck ids.
    """
    decks = [decks] if isinstance(decks, Deck) else list(decks)
    chosen_levels = parse_levels(levels)
    tags = list(tags or ())
    ids = Counter(deck.id for deck in decks)
    if repeated := [deck_id for deck_id, n in ids.items() if n > 1]:
        raise AnkiExportError(f"deck id {repeated[0]!r} is given twice")
    models = _models()
    anki_decks, exported, skipped = [], [], []
    notes = cards = 0
    per_level: Counter[Level] = Counter()
    for deck in decks:
        items = select_items(deck, chosen_levels, tags)
        if not items:
            skipped.append(deck.id)
            continue
        name = "hccquiz::" + " ".join(deck.title.split())
        anki_deck = genanki.Deck(anki_deck_id(deck.id), name, _deck_description(deck))
        citation = _citation_html(deck)
        for position, item in enumerate(items):
            note = genanki.Note(
                model=models[item.type],
                fields=_fields(deck, item, _source_html(item, citation)),
                tags=note_tags(deck, item),
                guid=note_guid(deck.id, item.id),
                due=position,
            )
            anki_deck.add_note(note)
            cards += len(note.cards)
            per_level.update(deck.item_levels(item))
        notes += len(items)
        anki_decks.append(anki_deck)
        exported.append(deck.id)
    if not anki_decks:
        wanted = [f"--level {lv.value}" for lv in chosen_levels or ()]
        wanted += [f"--tag {tag}" for tag in tags]
        raise EmptyExportError(f"no item of {', '.join(ids)} matches {' '.join(wanted)}")
    shown = chosen_levels or list(Level)
    return BuiltPackage(
        package=genanki.Package(anki_decks),
        decks=tuple(exported),
        skipped=tuple(skipped),
        notes=notes,
        cards=cards,
        levels={level: per_level[level] for level in shown if per_level[level]},
    )
