"""Every bad-input case of `hccquiz validate`: exit 1, a PATH:LINE:COL location, no traceback."""

from __future__ import annotations

import re
import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hccquiz import DeckError, load_deck
from hccquiz.deck.file import MAX_DECK_BYTES, load_deck_text

GOOD = """\
id: tiny
title: Tiny deck
levels: [resident]
items:
  - id: q1
    question: What is the OS hazard ratio?
    answer: "0.58"
"""

BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)

# name -> (file content, expected (line, col), a fragment of the message)
CASES: dict[str, tuple[str | bytes, tuple[int, int], str]] = {
    "yaml-syntax": ("id: x\ntitle: [unclosed\nitems: []\n", (3, 6), "YAML syntax error"),
    "not-utf8": (b"id: x\ntitle: caf\xe9\n", (2, 11), "not UTF-8"),
    "binary": (b"id: x\n\x00\x01\x02", (2, 1), "binary file"),
    "empty": ("", (1, 1), "empty"),
    "only-comments": ("# nothing here\n", (1, 1), "empty"),
    "top-level-list": ("- id: x\n- title: y\n", (1, 1), "top level must be a mapping"),
    "top-level-scalar": ("just text\n", (1, 1), "top level must be a mapping"),
    "unknown-key": (GOOD.replace("title:", "titel:"), (2, 1), "did you mean 'title'?"),
    "unknown-item-key": (GOOD + "    explantion: x\n", (8, 5), "did you mean 'explanation'?"),
    "key-of-other-type": (GOOD + "    text: '{{c1::x}}'\n", (8, 5), "does not apply to basic"),
    "wrong-type": (GOOD.replace('answer: "0.58"', "answer: [a, b]"), (7, 13), "must be text"),
    "yaml-boolean": (GOOD.replace('answer: "0.58"', "answer: yes"), (7, 13), "boolean"),
    "missing-field": (GOOD.replace('    answer: "0.58"\n', ""), (5, 5), "'answer'"),
    "missing-title": (GOOD.replace("title: Tiny deck\n", ""), (1, 1), "'title'"),
    "items-not-list": ("id: x\ntitle: t\nitems: {a: 1}\n", (3, 8), "must be a list"),
    "items-empty": ("id: x\ntitle: t\nitems: []\n", (3, 8), "at least 1"),
    "item-not-mapping": (GOOD + "  - just a string\n", (8, 5), "must be a mapping"),
    "duplicate-id": (
        GOOD + "  - id: q1\n    question: q\n    answer: a\n",
        (8, 9),
        "duplicate item id",
    ),
    "bad-item-slug": (GOOD.replace("id: q1", "id: Q 1"), (5, 9), "not a slug"),
    "bad-deck-slug": (GOOD.replace("id: tiny", "id: Tiny_Deck"), (1, 5), "not a slug"),
    "unknown-level": (
        GOOD.replace("[resident]", "[residnet]"),
        (3, 10),
        "did you mean 'resident'?",
    ),
    "no-level": (GOOD.replace("levels: [resident]\n", ""), (4, 5), "has no level"),
    "unknown-type": (GOOD + "    type: mcq\n", (8, 11), "unknown item type 'mcq'"),
    "cloze-no-deletion": (GOOD + "  - {id: c, type: cloze, text: plain}\n", (8, 32), "no deletion"),
    "cloze-unbalanced": (
        GOOD + "  - {id: c, type: cloze, text: 'a {{c1::b} c'}\n",
        (8, 32),
        "unbalanced",
    ),
    "cloze-stray-close": (
        GOOD + "  - {id: c, type: cloze, text: 'a {{c1::b}} }}'}\n",
        (8, 32),
        "unbalanced",
    ),
    "cloze-malformed": (
        GOOD + "  - {id: c, type: cloze, text: 'a {{x::b}}'}\n",
        (8, 32),
        "malformed",
    ),
    "choice-answer-missing": (
        GOOD + "  - {id: c, type: choice, question: q, choices: [a, b], answer: z}\n",
        (8, 65),
        "not among the choices",
    ),
    "choice-one-of-list-missing": (
        GOOD + "  - {id: c, type: choice, question: q, choices: [a, b], answer: [a, z]}\n",
        (8, 65),
        "'z' is not among",
    ),
    "choice-duplicates": (
        GOOD + "  - {id: c, type: choice, question: q, choices: [a, a], answer: a}\n",
        (8, 49),
        "duplicate choice",
    ),
    "choice-too-few": (
        GOOD + "  - {id: c, type: choice, question: q, choices: [a], answer: a}\n",
        (8, 49),
        "at least 2",
    ),
    "python-tag": (
        "id: !!python/object/apply:os.system ['touch PWNED']\ntitle: t\nitems: []\n",
        (1, 5),
        "not allowed",
    ),
    "python-name-tag": ("id: !!python/name:os.system\n", (1, 5), "not allowed"),
    "duplicate-key": (
        GOOD.replace("title: Tiny deck\n", "title: A\ntitle: B\n"),
        (3, 1),
        "duplicate key",
    ),
    "recursive-alias": ("id: x\ntitle: t\nitems: &a [*a]\n", (3, 8), "recursive alias"),
    "billion-laughs": (BILLION_LAUGHS, (7, 4), "billion laughs"),
    "multiple-documents": (GOOD + "---\n" + GOOD, (8, 1), "YAML syntax error"),
    "tab-indent": ("id: x\ntitle: t\nitems:\n\t- id: a\n", (4, 1), "YAML syntax error"),
    # an unclosed quote or bracket is found only at the end: located where it opens
    "unclosed-quote": (
        "id: x\ntitle: t\nitems:\n  - id: q1\n    question: 'What\n\n    answer: x\n",
        (5, 15),
        "end of stream at line 8 (while scanning a quoted scalar that starts here; is a "
        "closing quote missing?)",
    ),
    "unclosed-bracket": (
        "id: x\ntitle: t\nitems:\n  - id: q1\n    levels: [resident\n    answer: x\n",
        (6, 11),
        "(while parsing a flow sequence that starts at line 5, column 13)",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_located_with_exit_1(case: str, tmp_path: Path, cli_run) -> None:
    content, (line, col), fragment = CASES[case]
    path = tmp_path / f"{case}.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = cli_run("validate", path, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith(f"{path}:")]
    assert lines, result.stderr
    locations = {
        tuple(map(int, re.match(rf"{re.escape(str(path))}:(\d+):(\d+): ", ln).groups()))
        for ln in lines
    }
    assert (line, col) in locations, result.stderr
    assert any(fragment in ln for ln in lines), result.stderr
    assert not (tmp_path / "PWNED").exists()


def test_every_problem_in_a_file_is_reported(tmp_path: Path, cli_run) -> None:
    text = GOOD.replace("title:", "titel:").replace("[resident]", "[residnet]") + (
        "  - id: q1\n    question: q\n    answer: a\n  - {id: c, type: cloze, text: plain}\n"
    )
    path = tmp_path / "many.yaml"
    path.write_text(text)
    result = cli_run("validate", path)
    assert result.returncode == 1
    problems = [ln for ln in result.stderr.splitlines() if ln.startswith(str(path))]
    assert len(problems) == 4, result.stderr
    assert [int(p.split(":")[1]) for p in problems] == sorted(
        int(p.split(":")[1]) for p in problems
    )


def test_file_over_the_size_cap_is_refused_unread(tmp_path: Path, cli_run) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as f:
        f.truncate(MAX_DECK_BYTES + 1)
    result = cli_run("validate", path)
    assert result.returncode == 1
    assert f"{path}:1:1: " in result.stderr and "capped" in result.stderr
    assert "Traceback" not in result.stderr


def test_alias_bomb_is_refused_quickly_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(BILLION_LAUGHS)
    tracemalloc.start()
    start = time.perf_counter()
    with pytest.raises(DeckError) as info:
        load_deck(path)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 2.0
    assert peak < 20 * 1024 * 1024
    assert "billion laughs" in info.value.problems[0].message


def test_load_deck_api_gives_structured_problems(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(GOOD.replace("[resident]", "[nurse]"))
    with pytest.raises(DeckError) as info:
        load_deck(path)
    (problem,) = info.value.problems
    assert (problem.path, problem.line, problem.column) == (str(path), 3, 10)
    assert "unknown level 'nurse'" in problem.message


def test_missing_path_is_a_usage_error(tmp_path: Path, cli_run) -> None:
    result = cli_run("validate", tmp_path / "nope.yaml")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_no_argument_is_a_usage_error(cli_run) -> None:
    result = cli_run("validate")
    assert result.returncode == 2


YAMLISH = st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!#'\" \n\t|>0.c1{}")), max_size=80)


@settings(max_examples=300, deadline=None)
@given(st.one_of(YAMLISH, st.binary(max_size=60), st.text(max_size=60)))
def test_any_input_gives_a_deck_or_located_problems(raw: str | bytes) -> None:
    try:
        load_deck_text(raw, "fuzz.yaml")
    except DeckError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.path == "fuzz.yaml"
            assert problem.line >= 1 and problem.column >= 1
            assert problem.message
