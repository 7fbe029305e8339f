"""The yaml-rs fast path (`hccquiz.deck.fastparse`) gives exactly the exact path's result.

Whenever `fast_data` returns data, PyYAML (`hccquiz.deck.parse.parse_yaml`) must give the
same data, with no duplicate key and no error; on any doubt it must return None.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import pytest
import yaml_rs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hccquiz.deck import fastparse
from hccquiz.deck.fastparse import fast_data, fast_deck
from hccquiz.deck.file import load_deck_text
from hccquiz.deck.parse import parse_yaml
from hccquiz.errors import DeckError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from deckgen import write_deck  # noqa: E402

HEAD = 'id: tiny\ntitle: "Tiny deck"\nlevels: [resident]\nitems:\n  - id: q1\n'


def exact(text: bytes) -> object:
    """What the exact path builds, or the string "refused" (an error or a duplicate key)."""
    try:
        data, duplicates = parse_yaml(text, "t.yaml")
    except DeckError:
        return "refused"
    return "refused" if duplicates else data


def test_the_bundled_and_generated_decks_take_the_fast_path(tmp_path: Path) -> None:
    paths = [*sorted((ROOT / "decks").glob("*.yaml")), write_deck(tmp_path / "g.yaml", 300)]
    for path in paths:
        raw = path.read_bytes()
        data = fast_data(raw)
        assert data is not None, path
        assert data == exact(raw)
        assert fast_deck(raw) == load_deck_text(raw, str(path))


@pytest.mark.parametrize(
    "value",
    [
        '"0.58"',
        "'017'",
        "|-\n      0.58",
        "Plain text, with:colons, a#hash and - dashes",
        "Stop! AT&T, 5 * 3, **bold**",
    ],
)
def test_quoted_lookalikes_and_plain_text_are_fast_and_equal(value: str) -> None:
    text = f"{HEAD}    question: Q?\n    answer: {value}\n".encode()
    data = fast_data(text)
    assert data is not None
    assert data == exact(text)


@pytest.mark.parametrize(
    "value",
    [
        "yes",  # YAML 1.1 boolean, text in 1.2
        '"yes"',  # quoted or not? yaml-rs gives text either way, so it cannot tell
        "'2:1'",
        '"2020-01-01"',
        "On",
        "2:1",  # sexagesimal 121 in YAML 1.1
        "017",  # octal 15 in YAML 1.1, 17 in 1.2
        "0.58",  # a plain number: the exact path decides what it means
        "1_000",
        "2020-01-01",  # a date in YAML 1.1
        "~",
        "",
        "!!binary aGVsbG8=",  # yaml-rs ignores the tag
        "!!str 5",
        "!custom x",
        "&a x",
        "*a",
        '"tab\there"',
        '"escape \\u2028"',
        "line\u2028break",  # a line break in YAML 1.1 only
        "next\x85line",
        "zero\u200bwidth",
        "bidi\u202eoverride",
        "del\x7f",
        "[a, b]\n    answer: twice",  # a duplicate key
    ],
)
def test_doubtful_documents_take_the_exact_path(value: str) -> None:
    text = f"{HEAD}    question: Q?\n    answer: {value}\n".encode()
    assert fast_data(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "- a\n- b\n",
        "a: 1\n---\nb: 2\n",
        "%YAML 1.1\n---\na: b\n",
        "<<: {a: b}\nc: d\n",
        "a: b\rc: d\n",
        "yes: key\n",
        "a: [unclosed\n",
        "? [a, b]\n: c\n",
    ],
)
def test_doubtful_structures_take_the_exact_path(text: str) -> None:
    assert fast_data(text.encode()) is None


def casings(word: str) -> list[str]:
    return ["".join(c) for c in itertools.product(*((ch.lower(), ch.upper()) for ch in word))]


def test_yaml_rs_booleans_are_yaml_1_1_booleans_with_the_same_value() -> None:
    words = ["true", "false", "yes", "no", "on", "off", "y", "n"]
    seen = 0
    for text in (c for word in words for c in casings(word)):
        rust = yaml_rs.loads(f"k: {text}\n", parse_datetime=False)["k"]
        if type(rust) is bool:
            seen += 1
            assert exact(f"k: {text}\n".encode()) == {"k": rust}, text
    assert seen == 6  # true, True, TRUE, false, False, FALSE


ALPHABET = st.sampled_from(
    [*"ab Z09.:-#'\"\\!&*%<>|{}[],?\n\t", "é", "\u2028", "\x85", "  ", "yes", "1:2", "0.5"]
)


@st.composite
def scalars(draw: st.DrawFn) -> str:
    text = "".join(draw(st.lists(ALPHABET, max_size=12)))
    style = draw(st.sampled_from(["plain", "single", "double", "literal", "folded"]))
    if style == "plain":
        return text
    if style == "single":
        return "'" + text.replace("'", "''") + "'"
    if style == "double":
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    indicator = "|" if style == "literal" else ">"
    chomp = draw(st.sampled_from(["", "-", "+"]))
    lines = text.split("\n")
    return f"{indicator}{chomp}\n" + "\n".join(f"      {line}" for line in lines)


@st.composite
def documents(draw: st.DrawFn) -> bytes:
    keys = draw(st.lists(st.sampled_from(["question", "answer", "yes", "'a'", "a"]), max_size=4))
    lines = [HEAD.rstrip("\n")]
    for key in keys:
        if draw(st.booleans()):
            values = draw(st.lists(scalars().filter(lambda s: "\n" not in s), max_size=3))
            lines.append(f"    {key}: [{', '.join(values)}]")
        else:
            lines.append(f"    {key}: {draw(scalars())}")
    return ("\n".join(lines) + "\n").encode()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_fast_data_is_the_exact_data_or_none(text: bytes) -> None:
    data = fast_data(text)
    if data is not None:
        assert exact(text) == data


def test_invalid_decks_get_the_exact_paths_problems(monkeypatch: pytest.MonkeyPatch) -> None:
    text = f"{HEAD}    question: Q?\n    answr: A\n".encode()
    assert fast_data(text) is not None  # it parses fast, but it is not a valid deck
    with pytest.raises(DeckError) as fast:
        load_deck_text(text, "t.yaml")
    monkeypatch.setattr(fastparse, "fast_deck", lambda text: None)
    with pytest.raises(DeckError) as slow:
        load_deck_text(text, "t.yaml")
    assert [str(p) for p in fast.value.problems] == [str(p) for p in slow.value.problems]
    assert str(fast.value.problems[0]).startswith("t.yaml:7:5: ")
