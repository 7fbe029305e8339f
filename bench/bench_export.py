"""Benchmark: `hccquiz export` of a 10,000-item deck vs bare genanki writing the same notes.

Run: .venv/bin/python bench/bench_export.py [--runs 5] [--items 10000]

Three whole processes are timed, interleaved in one run (the order rotates every round),
and the medians are reported:

- ``hccquiz export DECK -o OUT.apkg``: parse and validate the YAML, render Markdown,
  build the notes and write the package.
- bare genanki from the YAML: what a hand-written converter does. It parses the same
  file with ``yaml.CSafeLoader`` and writes the same notes (same three note types, GUIDs,
  tags, choice lists, card counts) with ``genanki.Package.write_to_file``, escaping text
  with ``html.escape`` instead of rendering Markdown and validating nothing. This is the
  baseline of the issue's target (ratio ≤ 1.2).
- the same bare converter with the cyclic garbage collector tuned as `hccquiz export`
  tunes it (``gc.set_threshold(100_000, 50, 100)``): a like-for-like comparison, since
  that setting alone halves the YAML parse of a big deck.
- bare genanki from JSON: the notes exactly as hccquiz renders them, pre-computed into a
  JSON file, written by genanki alone. It shows the cost of reading a YAML deck at all.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from deckgen import write_deck

STAMP = 1_700_000_000


def bare_from_yaml(deck_path: str, models_path: str, out: str, tuned_gc: bool = False) -> None:
    """The baseline converter: YAML -> genanki notes, no validation, no Markdown."""
    import gc
    import html

    if tuned_gc:
        gc.set_threshold(100_000, 50, 100)

    import genanki
    import yaml

    spec = json.loads(Path(models_path).read_text())
    models = genanki_models(spec)
    with open(deck_path, "rb") as f:
        data = yaml.load(f, Loader=yaml.CSafeLoader)
    deck = genanki.Deck(spec["deck_id"], f"hccquiz::{data['title']}")
    esc = html.escape
    for item in data["items"]:
        kind = item.get("type", "basic")
        levels = item.get("levels") or data.get("levels", [])
        tags = [f"hccquiz::deck::{data['id']}", *(f"hccquiz::level::{lv}" for lv in levels)]
        tags += [t.replace(" ", "_") for t in [*data.get("tags", []), *item.get("tags", [])]]
        extra = esc(item.get("explanation", ""))
        source = esc(item.get("source", ""))
        if kind == "cloze":
            fields = [esc(item["text"]), extra, source]
        elif kind == "choice":
            answers = item["answer"] if isinstance(item["answer"], list) else [item["answer"]]
            options = "".join(f"<li>{esc(c)}</li>" for c in item["choices"])
            marked = "".join(
                f'<li class="hcq-correct">✓ {esc(c)}</li>' if c in answers else f"<li>{esc(c)}</li>"
                for c in item["choices"]
            )
            fields = [
                esc(item["question"]),
                f"<ol>{options}</ol>",
                f"<ol>{marked}</ol>",
                extra,
                source,
            ]
        else:
            fields = [esc(item["question"]), esc(item["answer"]), extra, source, ", ".join(levels)]
        guid = genanki.guid_for("hccquiz", data["id"], item["id"])
        deck.add_note(genanki.Note(model=models[kind], fields=fields, tags=tags, guid=guid))
    genanki.Package(deck).write_to_file(out, timestamp=STAMP)


def genanki_models(spec: dict) -> dict:
    """hccquiz's note types, rebuilt in genanki from the exported JSON description."""
    import genanki

    return {
        kind: genanki.Model(m["id"], m["name"], fields=m["fields"], templates=m["templates"],
                            css=m["css"], model_type=m["type"])
        for kind, m in spec["models"].items()
    }  # fmt: skip


def bare_from_json(notes_path: str, out: str) -> None:
    """genanki alone: notes pre-rendered by hccquiz, read from JSON and written."""
    import genanki

    spec = json.loads(Path(notes_path).read_text())
    models = genanki_models(spec)
    deck = genanki.Deck(spec["deck_id"], spec["deck_name"])
    for kind, fields, tags, guid in spec["notes"]:
        deck.add_note(genanki.Note(model=models[kind], fields=fields, tags=tags, guid=guid))
    genanki.Package(deck).write_to_file(out, timestamp=STAMP)


def _write_specs(deck_path: Path, models_path: Path, notes_path: Path) -> tuple[int, int]:
    """Model definitions for both baselines, and hccquiz's own notes for the JSON one."""
    from hccquiz import anki
    from hccquiz.deck.file import load_deck

    deck = load_deck(deck_path)
    built = anki.build_package(deck)
    (anki_deck,) = built.package.decks
    kinds = {
        anki.BASIC_MODEL_ID: "basic",
        anki.CLOZE_MODEL_ID: "cloze",
        anki.CHOICE_MODEL_ID: "choice",
    }
    models = {
        kinds[model.model_id]: {
            "id": model.model_id,
            "name": model.name,
            "fields": model.fields,
            "templates": model.templates,
            "css": model.css,
            "type": model.model_type,
        }
        for model in {note.model.model_id: note.model for note in anki_deck.notes}.values()
    }
    spec = {"deck_id": anki_deck.deck_id, "deck_name": anki_deck.name, "models": models}
    models_path.write_text(json.dumps(spec))
    notes = [[kinds[n.model.model_id], n.fields, list(n.tags), n.guid] for n in anki_deck.notes]
    notes_path.write_text(json.dumps({**spec, "notes": notes}))
    return built.notes, built.cards


def main() -> None:
    """Generate the deck, time the three processes side by side, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--items", type=int, default=10_000)
    args = parser.parse_args()
    me = str(Path(__file__).resolve())
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        deck = write_deck(root / "synthetic.yaml", args.items)
        models, notes = root / "models.json", root / "notes.json"
        n_notes, n_cards = _write_specs(deck, models, notes)
        commands = {
            "hccquiz": [
                sys.executable,
                "-m",
                "hccquiz",
                "export",
                str(deck),
                "-o",
                str(root / "hccquiz.apkg"),
            ],
            "yaml": [
                sys.executable,
                me,
                "--bare-yaml",
                str(deck),
                str(models),
                str(root / "bare-yaml.apkg"),
            ],
            "yaml+gc": [
                sys.executable,
                me,
                "--bare-yaml-gc",
                str(deck),
                str(models),
                str(root / "bare-yaml-gc.apkg"),
            ],
            "json": [sys.executable, me, "--bare-json", str(notes), str(root / "bare-json.apkg")],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        names = list(commands)
        for run in range(args.runs + 1):  # the first round warms the caches and is dropped
            for name in names[run % len(names) :] + names[: run % len(names)]:
                start = time.perf_counter()
                subprocess.run(commands[name], check=True, stdout=subprocess.DEVNULL)
                if run:
                    times[name].append(time.perf_counter() - start)
        size_mb = deck.stat().st_size / 1e6
    med = {name: statistics.median(values) for name, values in times.items()}
    print(
        f"deck: {args.items:,} items ({n_notes:,} notes, {n_cards:,} cards), {size_mb:.1f} MB;"
        f" median of {args.runs} interleaved runs\n"
    )
    print("| measure | median s | ratio | target |")
    print("|---|---|---|---|")
    print(f"| bare genanki from the YAML (CSafeLoader + genanki) | {med['yaml']:.3f} | 1.00 | |")
    print(
        f"| `hccquiz export` | {med['hccquiz']:.3f} | **{med['hccquiz'] / med['yaml']:.2f}** "
        "| ≤ 1.2× |"
    )
    print(
        f"| bare genanki from the YAML, collector tuned as hccquiz | {med['yaml+gc']:.3f} | "
        f"{med['yaml+gc'] / med['yaml']:.2f} | |"
    )
    print(
        f"| bare genanki from pre-rendered JSON (no YAML) | {med['json']:.3f} | "
        f"{med['json'] / med['yaml']:.2f} | |"
    )
    like = med["hccquiz"] / med["yaml+gc"]
    print(f"\nLike for like (both with the tuned collector): {like:.2f}× the bare converter.")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--bare-yaml":
        bare_from_yaml(*sys.argv[2:])
    elif len(sys.argv) == 5 and sys.argv[1] == "--bare-yaml-gc":
        bare_from_yaml(*sys.argv[2:], tuned_gc=True)
    elif len(sys.argv) == 4 and sys.argv[1] == "--bare-json":
        bare_from_json(*sys.argv[2:])
    else:
        main()
