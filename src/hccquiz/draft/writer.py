"""Trial summary text -> commented deck YAML (``hccquiz draft``), and ``--merge`` into a deck.

The pure part: `draft_summary` (bytes or text -> YAML text and warnings), `render_deck` and
`merge_draft`. Every text they return is checked with `load_deck_text` before it is
returned. The I/O part, used by the CLI: `read_summary` and `run_draft` (which writes with
`hccquiz.fileio.write_atomic`).

Merging keeps the existing file's text byte for byte and inserts the new items' YAML at
the end of its ``items:`` list; only when that cannot be done (a flow-style list, say) is
the deck re-dumped, and a warning says that its comments and formatting were lost.
"""

from __future__ import annotations

import functools
import json
import os
import re
import textwrap
from collections.abc import Sized
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

import yaml

from ..deck.file import MAX_DECK_BYTES, load_deck_text, read_deck_bytes
from ..deck.models import SLUG_PATTERN, Deck
from ..errors import DeckError, HccquizError
from ..fileio import FileReadError, FileTooLarge, encoding_problem, read_regular, write_atomic
from .drafted import DraftDeck, DraftItem
from .items import build_draft
from .limits import summary_limits
from .summary import Summary, SummaryError, parse_summary
from .text import clean_line

__all__ = [
    "MAX_SUMMARY_BYTES",
    "DraftError",
    "DraftResult",
    "MergeResult",
    "Outcome",
    "decode_summary",
    "draft_summary",
    "merge_draft",
    "read_summary",
    "render_deck",
    "render_items",
    "run_draft",
]

MAX_SUMMARY_BYTES = 4 * 1024 * 1024
"""Summaries larger than this (4 MiB) are refused before they are read."""
WIDTH = 92
"""Long text is folded (``>-``) to lines of about this many characters."""


class DraftError(HccquizError):
    """The summary cannot be drafted, or the draft cannot be written."""


@dataclass(frozen=True)
class DraftResult:
    """A drafted deck as YAML text, its parts, and what the educator should check."""

    text: str
    deck: DraftDeck
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class MergeResult:
    """An existing deck with the draft's new items added; `added` lists their ids."""

    text: str
    added: tuple[str, ...]
    kept: int
    warnings: tuple[str, ...]


def decode_summary(raw: bytes, name: str = "<summary>") -> str:
    """UTF-8 text (a BOM is dropped). Binary or non-UTF-8 input raises `DraftError`."""
    problem = encoding_problem(raw)
    if problem is not None:
        line, column, what = problem
        advice = "a summary is UTF-8 text" if "NUL" in what else "save the summary as UTF-8 text"
        raise DraftError(f"{name}:{line}:{column}: {what}: {advice}")
    return raw.decode("utf-8-sig")


def draft_summary(
    raw: bytes | str, name: str = "<summary>", deck_id: str | None = None
) -> DraftResult:
    """Draft a deck from summary bytes or text. `name` labels errors and the header comment."""
    if deck_id is not None and (len(deck_id) > 64 or not re.fullmatch(SLUG_PATTERN, deck_id)):
        raise DraftError(
            f"--id {deck_id!r} is not a slug: use at most 64 lowercase letters, digits and "
            "single hyphens, e.g. 'imbrave150'"
        )
    text = decode_summary(raw, name) if isinstance(raw, bytes) else raw
    try:
        summary = parse_summary(text)
    except SummaryError as exc:
        raise DraftError(f"{name}: {exc}") from None
    if problem := summary_limits(summary, name):  # before drafting, which would take minutes
        raise DraftError(problem)
    _refuse_oversize(name, summary.questions, _least_summary_size(summary))
    deck = build_draft(summary, deck_id)
    if not deck.items:
        found = ", ".join(summary.sections)
        raise DraftError(f"{name}: nothing to draft: the sections found ({found}) hold no items")
    _refuse_oversize(name, deck.items, _least_size(deck.items))  # before the costly part
    first = render_deck(deck, Path(name).name)
    _refuse_oversize(name, deck.items, len(first.encode("utf-8")))
    deck = _linted(deck, _validated(first, "the draft"), summary)
    rendered = render_deck(deck, Path(name).name)
    _refuse_oversize(name, deck.items, len(rendered.encode("utf-8")))  # with lint comments
    _validated(rendered, "the draft")
    return DraftResult(rendered, deck, (*summary.warnings, *deck.warnings))


_ITEM_KEYS = 150
"""Bytes every drafted item takes at least: its ``# from:`` comment and its keys."""


def _least_summary_size(summary: Summary) -> int:
    """A lower bound of the YAML size of the deck `summary` makes, known before drafting:
    every discussion and review question becomes one item that quotes it."""
    return sum(len(q.question) + _ITEM_KEYS for q in summary.questions)


def _least_size(items: tuple[DraftItem, ...]) -> int:
    """A lower bound of the YAML size of `items`: their text, their source twice (the
    comment and the field) and the keys every item has."""
    return sum(
        len(i.id) + 2 * len(i.source) + len(i.question) + len(i.answer) + len(i.text)
        + len(i.explanation) + _ITEM_KEYS
        for i in items
    )  # fmt: skip


def _refuse_oversize(name: str, items: Sized, size: int) -> None:
    """Refuse, before writing or validating it, a draft over the deck size cap."""
    if size > MAX_DECK_BYTES:
        raise DraftError(
            f"{name}: the draft would be over {size / (1 << 20):.0f} MiB ({len(items):,} "
            f"items), over the {MAX_DECK_BYTES >> 20} MiB a deck may hold: split the summary"
        )


def _linted(draft: DraftDeck, deck: Deck, summary: Summary) -> DraftDeck:
    """`draft` with each item's `hccquiz lint` warnings attached, to be written as
    ``# LINT:`` comments above it."""
    from ..deck.lint import lint_deck
    from .sources import source_text

    found: dict[int, list[str]] = {}
    for finding in lint_deck(deck, source_text(summary)):
        if finding.item_index is not None:
            found.setdefault(finding.item_index, []).append(f"{finding.message} [{finding.rule}]")
    items = tuple(
        replace(item, lint=tuple(found.get(index, ()))) for index, item in enumerate(draft.items)
    )
    return replace(draft, items=items)


def _validated(text: str, what: str) -> Deck:
    try:
        return load_deck_text(text, "<draft>")
    except DeckError as exc:  # a bug in the drafter: never write a deck that does not load
        raise DraftError(f"{what} does not validate (please report this): {exc}") from None


def _scalar(key: str, value: str, indent: int) -> list[str]:
    """``key: "value"``, or a folded block when it is long: always valid YAML for `value`."""
    pad = " " * indent
    quoted = json.dumps(value, ensure_ascii=False)
    if indent + len(key) + 2 + len(quoted) <= WIDTH or value != " ".join(value.split()):
        return [f"{pad}{key}: {quoted}"]
    lines = textwrap.wrap(
        value, width=WIDTH - indent - 2, break_long_words=False, break_on_hyphens=False
    )
    return [f"{pad}{key}: >-", *(f"{pad}  {line}" for line in lines)]


@functools.lru_cache(maxsize=1024)
def _word(slug: str) -> str:
    """A slug as a plain scalar, quoted when YAML would read it as something else
    (``0``, ``true``, ``null``, ``1e3``)."""
    plain = re.fullmatch(r"[a-z][a-z0-9-]*", slug) and yaml.safe_load(slug) == slug
    return slug if plain else json.dumps(slug)


def _section_of(item: DraftItem) -> str:
    return re.sub(r"\s+\d+$", "", item.source.split(",")[0])


def render_items(items: list[DraftItem] | tuple[DraftItem, ...], dash_column: int = 2) -> str:
    """The items as YAML list entries with ``- `` at `dash_column`, each under a ``# from:``
    comment naming its section and summary line, and a banner where a section starts."""
    pad = " " * dash_column
    out: list[str] = []
    section = None
    for item in items:
        if _section_of(item) != section:
            section = _section_of(item)
            out += ["", f"{pad}# ── {section} " + "─" * max(3, 60 - len(section))]
        out.append(f"{pad}# from: {item.source} (summary line {item.line})")
        out += [f"{pad}# NOTE: {note}" for note in item.notes]
        out += [f"{pad}# LINT: {clean_line(warning)}" for warning in item.lint]
        data = item.data()
        out.append(f"{pad}- id: {_word(data.pop('id'))}")
        out.append(f"{pad}  type: {data.pop('type')}")
        for key in ("levels", "tags"):
            out.append(f"{pad}  {key}: [{', '.join(map(_word, data.pop(key)))}]")
        if "fact" in data:
            out.append(f"{pad}  fact: {_word(data.pop('fact'))}")
        for key, value in data.items():
            if key == "choices":
                out += [f"{pad}  choices:", *_options(value, dash_column + 4)]
            else:
                out += _scalar(key, value, dash_column + 2)
    return "\n".join(out).lstrip("\n") + "\n"


def _options(options: list[str | dict[str, str]], indent: int) -> list[str]:
    """A choice item's options as a block list: plain text, or ``text`` and ``why``."""
    pad = " " * indent
    out: list[str] = []
    for option in options:
        if isinstance(option, str):
            first, *rest = _scalar("x", option, indent + 2)
            out.append(f"{pad}- {first.lstrip().removeprefix('x: ')}")
            out += rest
            continue
        text, *rest = _scalar("text", option["text"], indent + 2)
        out += [f"{pad}- {text.lstrip()}", *rest, *_scalar("why", option["why"], indent + 2)]
    return out


def render_deck(deck: DraftDeck, source_name: str = "the summary") -> str:
    """The whole deck as commented YAML, ready for `hccquiz validate`."""
    head = [
        f"# Deck draft made by `hccquiz draft` from {clean_line(source_name)}.",
        "# Check every item against the source, then edit freely. Keep the ids: trainees'",
        "# progress hangs on them, and `hccquiz draft --merge` uses them to keep your edits.",
        "# Each item's `# from:` comment names the summary section and line it came from.",
        "",
        f"id: {_word(deck.id)}",
        *_scalar("title", deck.title, 0),
    ]
    if deck.description:
        head += _scalar("description", deck.description, 0)
    if deck.citation:
        head += ["source:", *_scalar("citation", deck.citation, 2)]
        head.append("  # url: https://doi.org/...   (link to the publication)")
    head += ["# authors: [Your Name]", "# license: CC-BY-4.0"]
    if deck.tags:
        head.append(f"tags: [{', '.join(map(_word, deck.tags))}]")
    return "\n".join(head) + "\n\nitems:\n" + render_items(deck.items)


def merge_draft(existing: bytes | str, draft: DraftDeck, name: str = "<deck>") -> MergeResult:
    """Add the draft's items whose ids `existing` lacks; leave everything else as it is.

    `existing` must be a valid deck (else `DeckError`, with every problem located).
    """
    deck = load_deck_text(existing, name)
    text = existing.decode("utf-8") if isinstance(existing, bytes) else existing
    have = {item.id for item in deck.items}
    new = [item for item in draft.items if item.id not in have]
    if not new:
        return MergeResult(text, (), len(deck.items), ())
    warnings: list[str] = []
    if len(new) == len(draft.items):
        warnings.append(
            f"{name}: has none of the draft's item ids, so all {len(new)} items are added: "
            "is it the deck drafted from this summary?"
        )
    merged = _insert_items(text, new)
    if merged is None or not _keeps(merged, deck, new):
        warnings.append(
            f"{name}: could not add the new items in place (`items:` is not a block list), "
            "so the deck was re-written: its comments and formatting are lost"
        )
        data = yaml.safe_load(text)
        data["items"] += [item.data() for item in new]
        merged = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=WIDTH)
    _validated(merged, "the merged deck")
    return MergeResult(merged, tuple(item.id for item in new), len(deck.items), tuple(warnings))


def _insert_items(text: str, new: list[DraftItem]) -> str | None:
    """`text` with `new` inserted where its block list ``items:`` ends, or None."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode):
        return None
    node = next((v for k, v in root.value if k.value == "items"), None)
    if not isinstance(node, yaml.SequenceNode) or node.flow_style or not node.value:
        return None
    dash = node.start_mark.column
    at = node.end_mark.index
    before, after = text[:at], text[at:]
    newline = "\r\n" if "\r\n" in text else "\n"
    if before and not before.endswith(("\n", "\r")):
        if after.strip():
            return None
        before += newline
    added = " " * dash + "# Added by `hccquiz draft --merge`: check these items.\n"
    block = (added + render_items(new, dash)).replace("\n", newline)
    return before + newline + block + (newline if after.strip() else "") + after


def _keeps(merged: str, deck: Deck, new: list[DraftItem]) -> bool:
    """True if `merged` is `deck` unchanged with exactly `new` appended to its items."""
    try:
        result = load_deck_text(merged, "<merged>")
    except DeckError:
        return False
    same_fields = result.model_dump(exclude={"items"}) == deck.model_dump(exclude={"items"})
    kept = result.items[: len(deck.items)] == deck.items
    added = [item.id for item in result.items[len(deck.items) :]] == [i.id for i in new]
    return same_fields and kept and added


# ───────────────────────────── I/O, for the CLI ─────────────────────────────


def read_summary(source: Path | BinaryIO) -> bytes:
    """The bytes of a summary file (or stream), refusing files over `MAX_SUMMARY_BYTES`."""
    if isinstance(source, Path):
        try:
            return read_regular(source, MAX_SUMMARY_BYTES)
        except FileTooLarge:
            raise DraftError(f"{source}: larger than 4 MiB: not a summary") from None
        except FileReadError as exc:
            raise DraftError(f"{source}: {exc.reason}") from None
    raw = source.read(MAX_SUMMARY_BYTES + 1)
    if len(raw) > MAX_SUMMARY_BYTES:
        raise DraftError(f"{getattr(source, 'name', source)}: larger than 4 MiB: not a summary")
    return raw


@dataclass(frozen=True)
class Outcome:
    """What `run_draft` did: the deck text, warnings (``PATH: message``) for stderr, and a
    closing message; `written` is True when `output` was written."""

    text: str
    warnings: tuple[str, ...]
    message: str
    written: bool


def _same(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def run_draft(
    source: Path | BinaryIO,
    output: Path | None = None,
    deck_id: str | None = None,
    merge: Path | None = None,
    force: bool = False,
) -> Outcome:
    """``hccquiz draft``: read, draft, optionally merge, and write `output` atomically."""
    name = str(source) if isinstance(source, Path) else "<stdin>"
    if output is not None and isinstance(source, Path) and _same(output, source):
        raise DraftError(f"{output} is the summary itself: choose another -o path")
    replacing = output is not None and output.exists() and not force
    if output is not None and replacing and (merge is None or not _same(output, merge)):
        raise DraftError(
            f"{output} already exists: use --force to replace it, or "
            f"--merge {output} -o {output} to add only the new items"
        )
    result = draft_summary(read_summary(source), name, deck_id)
    warnings = [f"{name}: {w}" for w in result.warnings]
    text, message = result.text, ""
    if merge is not None:
        existing = read_deck_bytes(merge)  # a regular file within the deck cap
        merged = merge_draft(existing, result.deck, str(merge))
        warnings += merged.warnings
        if deck_id is not None and deck_id != (kept := _validated(merged.text, "the merge").id):
            warnings.append(f"{merge}: --id {deck_id} is ignored: the merged deck keeps {kept}")
        text = merged.text
        added = ", ".join(merged.added) if merged.added else "nothing new"
        message = f"{merge}: kept {merged.kept} item(s), added {len(merged.added)}: {added}"
        if not merged.added and output is not None and _same(output, merge):
            return Outcome(text, tuple(warnings), f"{message}; {output} unchanged", False)
    if output is None:
        return Outcome(text, tuple(warnings), message, False)
    write_atomic(output, text)
    deck = _validated(text, "the deck")
    wrote = f"wrote {output}: {len(deck.items)} items, {deck.card_count} cards"
    return Outcome(text, tuple(warnings), f"{message}; {wrote}" if message else wrote, True)
