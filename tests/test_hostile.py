"""Issue 11's hostile inputs, each through the real command line, and the checks behind them.

Every case of `hostile.all_cases` (generated at run time: damaged databases, decks that
break Anki, alias bombs, special files, planted symlinks...) must end cleanly: refused with
exit 1 and located one-line problems, or accepted when the input is fine; never a
traceback, a hang or a changed file that should have been left alone.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest
from hostile import (
    GOOD_ITEM,
    HEAD,
    all_cases,
    amplification,
    anki_media,
    basic,
    hccquiz_command,
    media_deck,
    run_case,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hccquiz.anki import export_apkg
from hccquiz.anki.notes import deck_name, inert
from hccquiz.deck.cloze import MAX_CLOZE_DELETIONS, check_cloze
from hccquiz.deck.file import MAX_PROBLEMS, load_deck_text
from hccquiz.deck.parse import MAX_ALIAS_BYTES
from hccquiz.errors import DeckError, Problem, count_problems, printable
from hccquiz.fileio import FileReadError, FileWriteError, open_regular, read_regular, write_atomic

CASES = all_cases()


@pytest.mark.parametrize("case", CASES, ids=[f"{c.group}-{c.name}" for c in CASES])
def test_hostile_input_ends_cleanly(case) -> None:
    outcome = run_case(case, hccquiz_command(), timeout=60)
    assert outcome.kind in ("refused", "ok"), f"{outcome.kind}: {outcome.detail}"


# ---- decks: what YAML would change, and what Anki would choke on --------------------------


def problems_of(text: str) -> list[Problem]:
    with pytest.raises(DeckError) as info:
        load_deck_text(text, "d.yaml")
    return info.value.problems


@pytest.mark.parametrize(
    ("literal", "stored"),
    [("2:1", "121"), ("12:30", "750"), ("017", "15"), ("0x1F", "31"), ("1_000", "1000"),
     ("1.0e+3", "1000.0"), ("0.580", "0.58"), ("0b11", "3"), ("190:20:30", "685230")],
)  # fmt: skip
def test_unquoted_numbers_that_would_change_are_refused_with_quote_it(literal, stored) -> None:
    (problem,) = problems_of(HEAD + GOOD_ITEM + basic(literal))
    assert (problem.line, problem.column) == (10, 13)
    assert problem.message == (
        f"items[1] (x).answer: YAML reads the unquoted {literal} as the number {stored}: "
        f'quote it ("{literal}") to keep it as written'
    )


@pytest.mark.parametrize("literal", ["0.58", "501", "-3", "0", "1.5", "100000", "1e3", "'2:1'"])
def test_numbers_written_as_they_are_stored_keep_working(literal) -> None:
    deck = load_deck_text(HEAD + GOOD_ITEM + basic(literal), "d.yaml")
    assert deck.items[1].answer == literal.strip("'")


def test_a_key_repeated_beside_a_merge_key_is_refused() -> None:
    text = HEAD + '  - <<: {answer: "x"}\n    id: x\n    question: "first"\n    question: "2nd"\n'
    (problem,) = problems_of(text)
    assert (problem.line, problem.column) == (8, 5)
    assert "duplicate key 'question'" in problem.message


def test_a_merge_key_may_still_be_overridden() -> None:
    text = HEAD + '  - <<: {answer: "x", question: "q"}\n    id: x\n    answer: "y"\n'
    assert load_deck_text(text, "d.yaml").items[0].answer == "y"


@pytest.mark.parametrize(
    ("value", "fragment"),
    [(r'"a\x1fb"', "U+001F at character 2"), (r'"\0"', "U+0000"), (r'"\e"', "U+001B"),
     (r'"x\x7f"', "U+007F"), (r'"x\x85"', "U+0085"), ("!!binary AAAA", "!!binary"),
     (r'"\u200b"', "invisible"), (r'"\u200c\u200d\u2060\ufeff"', "invisible"),
     (r'"\u00ad "', "invisible")],
)  # fmt: skip
def test_control_nul_and_invisible_text_is_refused_where_it_is(value, fragment) -> None:
    (problem,) = problems_of(HEAD + GOOD_ITEM + basic(value))
    assert (problem.line, problem.column) == (10, 13)
    assert fragment in problem.message


def test_huge_numbers_are_located_problems_not_crashes() -> None:
    text = HEAD + f"  - id: {'1' * 5000}\n    question: q\n    answer: {'7' * 100_000}\n"
    problems = problems_of(text)
    assert {(p.line, p.column) for p in problems} == {(5, 9), (7, 13)}
    assert all(len(str(p)) < 300 for p in problems)


@pytest.mark.parametrize("number", ["65536", "65537", "99999999999999999999", "7" * 5000])
def test_cloze_numbers_beyond_ankis_range_are_refused(number) -> None:
    (problem,) = problems_of(HEAD + f'  - {{id: c, type: cloze, text: "{{{{c{number}::x}}}}"}}\n')
    assert "too large" in problem.message and "c65535" in problem.message


def test_cloze_deletions_are_capped_and_checked_in_linear_time() -> None:
    ok = " ".join(f"{{{{c{i}::w}}}}" for i in range(1, MAX_CLOZE_DELETIONS + 1))
    assert check_cloze(ok) == ok
    with pytest.raises(ValueError, match="at most 1,000"):
        check_cloze(ok + " {{c1::one more}}")
    # a malformed opener after many good ones is found without comparing every pair
    text = " ".join(["{{c1::w}}"] * (MAX_CLOZE_DELETIONS - 1) + ["{{x::y}}"])
    with pytest.raises(ValueError, match="malformed"):
        check_cloze(text)


def test_alias_expansion_past_the_byte_budget_is_refused_in_under_a_second() -> None:
    for flow in (False, True):
        text = amplification(flow)
        start = time.perf_counter()
        (problem,) = problems_of(text)
        assert time.perf_counter() - start < 1.0
        assert f"{MAX_ALIAS_BYTES >> 20} MiB of text" in problem.message
        assert problem.line == (1 if flow else 5)


def test_aliases_within_the_budget_still_work() -> None:
    text = "id: t\ntitle: T\nlevels: &lv [resident]\nitems:\n" + "".join(
        f'  - {{id: i{i}, question: &q{i} "Q {i}", answer: *q{i}, levels: *lv}}\n'
        for i in range(50)
    )
    deck = load_deck_text(text, "d.yaml")
    assert deck.items[7].answer == "Q 7"


def test_a_huge_invalid_deck_reports_the_first_problems_and_a_count() -> None:
    items = "".join(f"  - {{id: i{i}, question: q}}\n" for i in range(1500))
    problems = problems_of(HEAD + items)
    assert len(problems) == MAX_PROBLEMS + 1
    assert [p.line for p in problems[:3]] == [5, 6, 7]
    note = problems[-1]
    assert note.hidden == 1400 and "1,400 more problem(s) not shown" in note.message
    assert count_problems(problems) == 1500


def test_messages_escape_control_characters() -> None:
    problem = Problem("d\n.yaml", 1, 2, "id 'a\rFAKE' \x1b[2J")
    assert str(problem) == "d\\n.yaml:1:2: id 'a\\rFAKE' \\x1b[2J"
    assert printable("tab\there") == "tab\\there"
    assert printable("plain") == "plain"


YAML_PARTS = [
    "2:1", "017", "0x1F", "1_000", "1.0e+3", ".nan", "&a", "*a", "<<: *a", "<<:", "!!binary",
    '"\\x1f"', '"\\0"', '"\\u200b"', "{{c65537::x}}", "{{c1::x}}", "{{", "}}", "::", "- ",
    "\n  ", "\n    ", ": ", ", ", "[", "]", "{", "}", '"k":&a', "id", "items", "question",
    "answer", "x",
]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(YAML_PARTS), max_size=40))
def test_hostile_fragments_give_a_deck_or_located_problems(parts: list[str]) -> None:
    text = HEAD + "  - id: x\n    question: q\n    answer: " + "".join(parts) + "\n"
    try:
        load_deck_text(text, "fuzz.yaml")
    except DeckError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.line >= 1 and problem.column >= 1 and problem.message
            assert "\n" not in str(problem) and "\x1f" not in str(problem)


# ---- files: bounded reads of regular files, atomic writes that follow no symlink ----------


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(FileReadError, match="FIFO"):
        read_regular(fifo, 100)
    with pytest.raises(FileReadError, match="FIFO"):
        open_regular(fifo)
    with pytest.raises(FileWriteError, match="FIFO"):
        write_atomic(fifo, b"x")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_devices_are_refused_for_reading_and_writing(device: str, tmp_path: Path) -> None:
    with pytest.raises(FileReadError, match="character device"):
        read_regular(device, 1 << 20)
    link = tmp_path / "out"
    link.symlink_to(device)
    with pytest.raises(FileWriteError, match="symlink to a character device"):
        write_atomic(link, b"x")


def test_write_atomic_replaces_a_symlink_and_never_writes_through_it(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = tmp_path / "out.txt"
    link.symlink_to(victim)
    write_atomic(link, "new")
    assert victim.read_text() == "precious"
    assert not link.is_symlink() and link.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt", "victim.txt"]


def test_reads_that_must_not_follow_a_symlink_refuse_it(tmp_path: Path) -> None:
    target = tmp_path / "t"
    target.write_bytes(b"data")
    link = tmp_path / "l"
    link.symlink_to(target)
    assert read_regular(link, 10) == b"data"
    with pytest.raises(FileReadError, match="symlink"):
        read_regular(link, 10, follow=False)


def test_writing_under_a_regular_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    for path in (tmp_path / "afile" / "x.apkg", tmp_path / "afile" / "sub" / "x.apkg"):
        with pytest.raises(FileWriteError, match="a part of the path is a file"):
            write_atomic(path, b"x")


def test_reads_are_bounded_by_bytes_read(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 101)
    with pytest.raises(FileReadError, match="over 100 bytes"):
        read_regular(path, 100)
    assert read_regular(path, 101) == b"x" * 101


# ---- Anki: deck text arrives as text -------------------------------------------------------


def test_exported_media_markers_are_inert_in_a_real_collection(tmp_path: Path) -> None:
    deck = load_deck_text(media_deck(), "media.yaml")
    out = tmp_path / "media.apkg"
    export_apkg(deck, out)
    assert anki_media(out) is None


def test_inert_keeps_the_text_and_breaks_only_the_markers() -> None:
    assert inert("[sound:x.mp3] [SOUND:y] [anki:tts] [latex]a[/latex] [$]b[/$] [$$]c[/$$]") == (
        "&#91;sound:x.mp3] &#91;SOUND:y] &#91;anki:tts] &#91;latex]a&#91;/latex] "
        "&#91;$]b&#91;/$] &#91;$$]c&#91;/$$]"
    )
    assert inert("[link](x) [1] a[b]") == "[link](x) [1] a[b]"
    assert inert('<img src="https://e.org/a.png" alt="chart" />') == (
        '<a href="https://e.org/a.png">chart</a>'
    )
    assert inert('<img src="pic.png" alt="" />') == "pic.png"


def test_a_double_colon_in_a_title_is_not_nesting() -> None:
    assert deck_name("IMbrave150 :: Safety") == "hccquiz::IMbrave150 ∶∶ Safety"
    assert deck_name("a::b::c").count("::") == 1


# ---- drafts that would not make a valid deck -------------------------------------------------


def test_draft_refuses_an_oversize_deck_before_rendering_it(tmp_path: Path) -> None:
    from hostile import long_questions_summary

    from hccquiz.draft.writer import DraftError, draft_summary

    with pytest.raises(DraftError, match=r"over 17 MiB \(50 items\).*split the summary"):
        draft_summary(long_questions_summary(), "big.txt")


def _draft_problem(summary: str) -> str:
    from hccquiz.draft.writer import DraftError, draft_summary

    with pytest.raises(DraftError) as info:
        draft_summary(summary, "s.txt", "big")
    return str(info.value)


def test_a_summary_past_its_limits_is_refused_before_drafting_where_it_goes_past() -> None:
    from hostile import big_summary

    from hccquiz.draft.limits import MAX_FINDING_CHARS, MAX_FINDINGS, MAX_QUESTIONS

    assert _draft_problem(big_summary(findings=MAX_FINDINGS + 1)).startswith(
        f"s.txt:{11 + MAX_FINDINGS}:1: {MAX_FINDINGS + 1} key findings, over the {MAX_FINDINGS}"
    )
    assert _draft_problem(big_summary(finding_chars=MAX_FINDING_CHARS + 1)).startswith(
        f"s.txt:11:1: key finding 1 has {MAX_FINDING_CHARS + 1} characters"
    )
    problem = _draft_problem(big_summary(roles=MAX_QUESTIONS + 1))
    assert f"{MAX_QUESTIONS + 1} discussion questions, over the {MAX_QUESTIONS}" in problem
    assert problem.startswith(f"s.txt:{15 + 9 * MAX_QUESTIONS}:1:")  # the 51st role's line


def test_a_summary_at_its_limits_is_drafted() -> None:
    from hostile import big_summary

    from hccquiz.draft.limits import MAX_FINDING_CHARS, MAX_FINDINGS, MAX_QUESTIONS
    from hccquiz.draft.writer import draft_summary

    for shape in ({"findings": MAX_FINDINGS}, {"finding_chars": MAX_FINDING_CHARS},
                  {"roles": MAX_QUESTIONS}):  # fmt: skip
        result = draft_summary(big_summary(**shape), "s.txt", "big")
        assert load_deck_text(result.text, "d.yaml").items


def test_damaged_copies_are_made_at_run_time(tmp_path: Path) -> None:
    from damage import damaged_copies, progress_db, write_deck

    good = progress_db(tmp_path / "good.db", write_deck(tmp_path / "d.yaml", 50), graded=5)
    copies = damaged_copies(good, tmp_path / "copies", 4, seed=3)
    assert len(copies) == 4 and all(c.read_bytes() != good.read_bytes() for c in copies)
    conn = sqlite3.connect(good)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


CLOZE_PARTS = ["{", "}", "{{", "}}", "c", "1", "0", "::", ":", "a", " ", "\n", "{{c1::",
               "{{c2::", "}}}", "{{c0::", "{{c65535::", "{{c65536::", "{{c007::", "{{c000001::",
               "\u00a0", "\t"]  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(CLOZE_PARTS), min_size=1, max_size=16))
def test_the_fast_cloze_checks_accept_exactly_what_the_detailed_walk_does(parts) -> None:
    from hccquiz.deck import cloze

    text = "".join(parts)
    try:
        cloze._explain(text)
        detailed = True
    except ValueError:
        detailed = False
    opens = text.count("{{")
    one_pass = opens > 0 and cloze._WELL_FORMED_RE.fullmatch(text) is not None
    hops = opens > 0 and cloze._long_deletions_well_formed(text, opens)
    assert one_pass == hops == detailed
    try:
        check_cloze(text)
        fast = True
    except ValueError as exc:
        fast = False
        assert str(exc) != "malformed cloze deletions: write {{c1::answer}}"  # always located
    assert fast == detailed
