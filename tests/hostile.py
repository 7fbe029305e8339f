"""The hostile inputs of issue 11, generated at run time: decks, files, databases.

Each `Case` prepares its files in a fresh folder and names the ``hccquiz`` command to run
on them. What a clean outcome is: a refusal (exit 1, every stderr line one located
``PATH:LINE:COL:`` problem or one ``hccquiz:`` line, no traceback), or, for the inputs
that are fine (``answer: 0.58``), success; never a hang, and nothing watched may change.
`run_case` runs one and classifies what happened. Shared by ``tests/test_hostile.py``
and ``bench/bench_hostile.py`` (which tabulates them for docs/reliability.md).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

GROUPS = {
    1: "Damaged and foreign databases",
    2: "Decks that validate but break Anki",
    3: "Amplification through aliases",
    4: "Quadratic checks and oversize drafts",
    5: "Unsafe writes and special files",
    6: "Values that change silently",
    7: "Anki media and deck names",
    8: "Smaller ones (log injection, permissions, huge invalid decks)",
}

HEAD = "id: hostile\ntitle: Hostile deck\nlevels: [resident]\nitems:\n"
GOOD_ITEM = '  - id: good\n    question: "What was the OS hazard ratio?"\n    answer: "0.58"\n'
DROP_DAC = [
    "setpriv",
    "--inh-caps=-dac_override,-dac_read_search",
    "--bounding-set=-dac_override,-dac_read_search",
]
"""As root, run without the capabilities that read and write any file, so that file
permissions count (a mode-000 deck, a read-only folder)."""


@dataclass
class Prepared:
    """What a case set up: the command's arguments and what must hold afterwards."""

    args: list[str]
    accept: bool = False
    """True for an input that is fine: the command must succeed."""
    watch: list[Path] = field(default_factory=list)
    """Files whose bytes must not change (a damaged database, a symlink's victim)."""
    absent: list[Path] = field(default_factory=list)
    """Paths that must not exist afterwards (``-wal`` beside a foreign file)."""
    where: str | None = None
    """A fragment every refusal must show, e.g. ``deck.yaml:7:13:``."""
    fragment: str = ""
    unprivileged: bool = False
    check: Callable[[], str | None] | None = None
    """Called after a successful run: a description of what is wrong, or None."""
    output_check: Callable[[str], str | None] | None = None
    """Called with stdout + stderr of any run: what is wrong with it, or None."""


@dataclass(frozen=True)
class Case:
    """One hostile input: its issue section (`group`), a name, and how to set it up."""

    group: int
    name: str
    prepare: Callable[[Path], Prepared]


# ------------------------------------------------------------------------------- decks


def write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def deck_case(group: int, name: str, items: str, *, line: int | None, fragment: str = "",
              accept: bool = False, command: str = "validate") -> Case:  # fmt: skip
    """A deck of `HEAD` + a good item + `items`, validated (or synced, exported)."""

    def prepare(tmp: Path) -> Prepared:
        path = write(tmp, "deck.yaml", HEAD + GOOD_ITEM + items)
        args = {
            "validate": ["validate", str(path)],
            "sync": ["sync", str(path), "--db", str(tmp / "p.db")],
            "export": ["export", str(path), "-o", str(tmp / "out.apkg")],
        }[command]
        where = f"{path}:{line}:" if line else None
        return Prepared(args, accept=accept, where=where, fragment=fragment)

    return Case(group, name, prepare)


def basic(value: str, field_name: str = "answer") -> str:
    other = "question" if field_name == "answer" else "answer"
    return f'  - id: x\n    {other}: "Q"\n    {field_name}: {value}\n'  # the value: line 10


def cloze(text: str) -> str:
    return f"  - id: x\n    type: cloze\n    text: {text}\n"  # the text is on line 10


def deck_cases() -> list[Case]:
    cases = [
        # 2: text that Anki splits, numbers Anki cannot hold, values Python cannot print
        deck_case(2, "unit-separator", basic(r'"0.58\x1f"'), line=10, fragment="U+001F"),
        deck_case(2, "escape-char", basic(r'"\e[31mred"'), line=10, fragment="U+001B"),
        deck_case(2, "c1-control", basic(r'"a\x9bb"'), line=10, fragment="U+009B"),
        deck_case(2, "carriage-return", basic(r'"a\rb"'), line=10, fragment="U+000D"),
        deck_case(
            2,
            "control-in-tag",
            '  - {id: x, question: q, answer: a, tags: ["a\\x1fb"]}\n',
            line=8,
            fragment="control",
        ),
        deck_case(2, "cloze-65536", cloze('"{{c65536::x}}"'), line=10, fragment="too large"),
        deck_case(
            2,
            "cloze-65537-export",
            cloze('"{{c65537::x}}"'),
            line=10,
            fragment="too large",
            command="export",
        ),
        deck_case(
            2,
            "cloze-20-digits-sync",
            cloze('"{{c99999999999999999999::x}}"'),
            line=10,
            fragment="too large",
            command="sync",
        ),
        deck_case(
            2,
            "cloze-5000-digits",
            cloze('"{{c' + "7" * 5000 + '::x}}"'),
            line=10,
            fragment="too large",
        ),
        deck_case(
            2,
            "id-5000-digits",
            f"  - id: {'1' * 5000}\n    question: q\n    answer: a\n",
            line=8,
            fragment="number",
        ),
        deck_case(2, "answer-100000-digits", basic("7" * 100_000), line=10, fragment="number"),
        deck_case(2, "cloze-65535-ok", cloze('"{{c65535::x}}"'), line=None, accept=True),
        deck_case(2, "tab-and-newline-ok", basic(r'"a\tb\nc"'), line=None, accept=True),
        # 6: what YAML 1.1 would change silently
        *(
            deck_case(6, f"number-{name}", basic(literal), line=10, fragment="quote it")
            for name, literal in [
                ("ratio-2:1", "2:1"),
                ("time-12:30", "12:30"),
                ("octal-017", "017"),
                ("hex-0x1F", "0x1F"),
                ("underscore-1_000", "1_000"),
                ("exponent-1.0e+3", "1.0e+3"),
                ("trailing-zero-0.580", "0.580"),
                ("leading-dot-.5", ".5"),
                ("plus-sign-+5", "+5"),
                ("minus-zero--0", "-0"),
                ("tiny-0.00001", "0.00001"),
                ("infinity-.inf", ".inf"),
            ]
        ),
        deck_case(
            6, "number-in-question", basic("12:30", "question"), line=10, fragment="quote it"
        ),
        deck_case(
            6,
            "number-in-choice",
            '  - {id: x, type: choice, question: q, choices: [2:1, "3:1"], answer: "3:1"}\n',
            line=8,
            fragment="quote it",
        ),
        deck_case(
            6,
            "number-id-017",
            "  - id: 017\n    question: q\n    answer: a\n",
            line=8,
            fragment="quote it",
        ),
        deck_case(
            6,
            "merge-hides-duplicate",
            '  - <<: {answer: "x"}\n    id: x\n    question: "first"\n    question: "2nd"\n',
            line=11,
            fragment="duplicate key",
        ),
        deck_case(6, "nul-escape", basic(r'"a\0b"'), line=10, fragment="U+0000"),
        deck_case(6, "nul-binary", basic("!!binary AAAA"), line=10, fragment="!!binary"),
        deck_case(6, "zero-width-only", basic(r'"\u200b\u200d"'), line=10, fragment="invisible"),
        deck_case(
            6, "bom-and-joiner-only", basic(r'"\ufeff\u2060 "'), line=10, fragment="invisible"
        ),
        deck_case(6, "answer-0.58-ok", basic("0.58"), line=None, accept=True),
        deck_case(6, "answer-501-ok", basic("501"), line=None, accept=True),
        deck_case(6, "answer-1e3-is-text-ok", basic("1e3"), line=None, accept=True),
    ]
    return cases


# ------------------------------------------------------------------------- amplification


def amplification(flow: bool, size: int = 1 << 20, copies: int = 1000) -> str:
    big = "x" * size
    if flow:
        parts = [f'{{"id": "i0", "question":&a "{big}", "answer": "a"}}']
        parts += [f'{{"id": "i{i}", "question":*a, "answer": "a"}}' for i in range(1, copies)]
        return (
            '{"id": "t", "title": "T", "levels": ["resident"], "items": [\n'
            + ",\n".join(parts)
            + "]}\n"
        )
    lines = [HEAD.rstrip("\n"), f'  - {{id: i0, question: &a "{big}", answer: a}}']
    lines += [f"  - {{id: i{i}, question: *a, answer: a}}" for i in range(1, copies)]
    return "\n".join(lines) + "\n"


def alias_nodes(width: int = 1000, copies: int = 1000) -> str:
    """A small file whose aliases add a million nodes (a list of levels, repeated)."""
    levels = ", ".join(["resident"] * width)
    lines = [
        "id: t",
        "title: T",
        "items:",
        f"  - {{id: i0, question: q, answer: a, levels: &lv [{levels}]}}",
    ]
    lines += [f"  - {{id: i{i}, question: q, answer: a, levels: *lv}}" for i in range(1, copies)]
    return "\n".join(lines) + "\n"


BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)


def amplification_cases() -> list[Case]:
    def file_case(name: str, text: Callable[[], str], line: int, fragment: str,
                  command: str = "validate") -> Case:  # fmt: skip
        def prepare(tmp: Path) -> Prepared:
            path = write(tmp, "deck.yaml", text())
            args = [command, str(path)]
            if command == "sync":
                args += ["--db", str(tmp / "p.db")]
            elif command == "export":
                args += ["-o", str(tmp / "out.apkg")]
            return Prepared(args, where=f"{path}:{line}:", fragment=fragment)

        return Case(3, name, prepare)

    return [
        file_case("1MiB-aliased-1000", lambda: amplification(False), 5, "MiB of text"),
        file_case("1MiB-aliased-1000-sync", lambda: amplification(False), 5, "MiB", "sync"),
        file_case("1MiB-aliased-1000-export", lambda: amplification(False), 5, "MiB", "export"),
        file_case("flow-anchor-after-colon", lambda: amplification(True), 1, "MiB of text"),
        file_case("billion-laughs", lambda: BILLION_LAUGHS, 7, "billion laughs"),
        file_case("a-list-aliased-1000-times", alias_nodes, 4, "nodes"),
        file_case("recursive-alias", lambda: "id: x\ntitle: t\nitems: &a [*a]\n", 3, "recursive"),
        file_case(
            "merge-of-aliases",
            lambda: "a: &a {" + ", ".join(f"k{i}: *b" for i in range(200)) + "}\n",
            1,
            "YAML",  # an undefined alias: a syntax error, located
        ),
    ]


# ---------------------------------------------------------------------- quadratic checks


def many_deletions(n: int) -> str:
    text = " ".join(f"{{{{c{i % 50 + 1}::w{i}}}}}" for i in range(n))
    return HEAD + GOOD_ITEM + f'  - id: x\n    type: cloze\n    text: "{text}"\n'


def long_questions_summary(count: int = 50, words: int = 90_000) -> str:
    """A summary whose discussion questions alone make a deck over 16 MiB (for the
    Python API, which has no summary size cap)."""
    role = "Resident\nResident\n\n{q}?\n\nKey Response\n\nThe answer.\n\n"
    return (
        "The New England Journal of Medicine May 14, 2020\n\nA Trial\n\nBottom Line\n\n"
        "The trial showed something.\n\nGuided Discussion\n\n"
        + "".join(role.format(q="Why " * words + str(i)) for i in range(count))
    )


def big_summary(findings: int = 1, finding_chars: int = 0, roles: int = 0,
                limitations: int = 0) -> str:  # fmt: skip
    """A trial summary with many findings, one long finding, many discussion questions or
    many limitations (each within the 4 MiB summary cap)."""
    unit = "HR 0.58 (95% CI, 0.42 to 0.79; P<0.001), "
    lines = [
        f"{i + 1}. The hazard ratio in cohort {i} was 0.{58 + i % 40}." for i in range(findings)
    ]
    if finding_chars:
        lines[0] = "1. " + (unit * (finding_chars // len(unit) + 1))[:finding_chars]
    text = (
        "The New England Journal of Medicine May 14, 2020\n\nA Trial of Something\n\n"
        "Bottom Line\n\nThe trial showed something.\n\nKey Findings\n\n" + "\n".join(lines)
    )
    if limitations:
        text += "\n\nStudy Limitations\n\n" + "\n".join(
            f"Follow-up was short at site {i}." for i in range(limitations)
        )
    if roles:
        text += "\n\nGuided Discussion\n\n" + "".join(
            f"Fellow\nFellow\n\nWhy {i}?\n\nKey Response\n\nSo {i}.\n\n" for i in range(roles)
        )
    return text + "\n"


def quadratic_cases() -> list[Case]:
    def deletions(n: int) -> Case:
        def prepare(tmp: Path) -> Prepared:
            path = write(tmp, "deck.yaml", many_deletions(n))
            return Prepared(["validate", str(path)], where=f"{path}:10:", fragment="at most")

        return Case(4, f"{n}-deletions-in-one-item", prepare)

    def accepted_1000(tmp: Path) -> Prepared:
        path = write(tmp, "deck.yaml", many_deletions(1000))
        return Prepared(["validate", str(path)], accept=True)

    def draft(name: str, where_line: int, fragment: str, **shape: int) -> Case:
        def prepare(tmp: Path) -> Prepared:
            path = write(tmp, "summary.txt", big_summary(**shape))
            out = tmp / "draft.yaml"
            where = f"hccquiz: {path}:{where_line}:1: "
            return Prepared(["draft", str(path), "-o", str(out), "--id", "big"], where=where,
                            fragment=fragment)  # fmt: skip

        return Case(4, name, prepare)

    def draft_limitations(tmp: Path) -> Prepared:
        path = write(tmp, "summary.txt", big_summary(limitations=55_000))
        out = tmp / "draft.yaml"

        def check() -> str | None:  # the draft written is a valid deck
            result = subprocess.run([*_PYTHON, "-m", "hccquiz", "validate", str(out)],
                                    capture_output=True, text=True, timeout=60)  # fmt: skip
            return None if result.returncode == 0 else f"invalid draft: {result.stderr[:200]}"

        args = ["draft", str(path), "-o", str(out), "--id", "big"]
        return Prepared(args, accept=True, check=check)

    return [
        *(deletions(n) for n in (5_000, 10_000, 20_000, 40_000)),
        Case(4, "1000-deletions-ok", accepted_1000),
        draft("draft-50000-findings", 31, "key findings", findings=50_000),
        draft("draft-4MB-finding-line", 11, "characters", finding_chars=4_000_000),
        draft("draft-70000-roles", 465, "discussion questions", roles=70_000),
        Case(4, "draft-55000-limitations-ok", draft_limitations),
    ]


# ------------------------------------------------------------------- files and writes


def _good_deck(tmp: Path) -> Path:
    return write(tmp, "good.yaml", HEAD + GOOD_ITEM)


def _fifo(tmp: Path, name: str) -> Path:
    path = tmp / name
    os.mkfifo(path)
    return path


def file_cases() -> list[Case]:
    cases: list[Case] = []
    for command in ("validate", "sync", "export", "lint", "draft", "draft-merge"):

        def fifo(tmp: Path, command: str = command) -> Prepared:
            path = _fifo(tmp, "deck.yaml")
            args = {
                "validate": ["validate", str(path)],
                "lint": ["lint", str(path)],
                "sync": ["sync", str(path), "--db", str(tmp / "p.db")],
                "export": ["export", str(path), "-o", str(tmp / "o.apkg")],
                "draft": ["draft", str(path)],
                "draft-merge": ["draft", summary_file(tmp), "--merge", str(path)],
            }[command]
            return Prepared(args, fragment="FIFO")

        cases.append(Case(5, f"fifo-deck-{command}", fifo))
    for device in ("/dev/zero", "/dev/urandom"):
        for command in ("validate", "sync", "export", "lint", "draft", "draft-merge"):

            def dev(tmp: Path, device: str = device, command: str = command) -> Prepared:
                args = {
                    "validate": ["validate", device],
                    "sync": ["sync", device, "--db", str(tmp / "p.db")],
                    "export": ["export", device, "-o", str(tmp / "o.apkg")],
                    "lint": ["lint", device],
                    "draft": ["draft", device],
                    "draft-merge": ["draft", summary_file(tmp), "--merge", device],
                }[command]
                return Prepared(args, fragment="character device")

            cases.append(Case(5, f"{device[5:]}-{command}", dev))

    def output_symlink_to(target: str, name: str, fragment: str) -> Case:
        def prepare(tmp: Path) -> Prepared:
            link = tmp / "out.apkg"
            link.symlink_to(target)
            return Prepared(["export", str(_good_deck(tmp)), "-o", str(link)], fragment=fragment)

        return Case(5, name, prepare)

    cases.append(output_symlink_to("/dev/full", "export-to-link-to-dev-full", "character device"))
    cases.append(output_symlink_to("/dev/null", "export-to-link-to-dev-null", "character device"))

    def export_to_fifo(tmp: Path) -> Prepared:
        out = _fifo(tmp, "out.apkg")
        return Prepared(["export", str(_good_deck(tmp)), "-o", str(out)], fragment="FIFO")

    def draft_to_fifo(tmp: Path) -> Prepared:
        out = _fifo(tmp, "out.yaml")
        return Prepared(["draft", summary_file(tmp), "-o", str(out), "--force"], fragment="FIFO")

    def export_under_file(tmp: Path) -> Prepared:
        (tmp / "afile").write_text("x")
        args = ["export", str(_good_deck(tmp)), "-o", str(tmp / "afile" / "x.apkg")]
        return Prepared(args, fragment="cannot write")

    def planted_partials(tmp: Path) -> Prepared:
        """Symlinks named like the old temporary files, for the next PIDs, at a victim."""
        victim = tmp / "victim.txt"
        victim.write_text("precious\n")
        exports = tmp / "exports"
        exports.mkdir()
        base = os.getpid()
        for pid in range(base, base + 400):
            (exports / f".out.apkg.{pid}.partial").symlink_to(victim)
        out = exports / "out.apkg"

        def check() -> str | None:
            if out.is_symlink() or not out.is_file():
                return "the output is not a regular file"
            return None

        args = ["export", str(_good_deck(tmp)), "-o", str(out)]
        return Prepared(args, accept=True, watch=[victim], check=check)

    def output_link_to_victim(tmp: Path) -> Prepared:
        victim = tmp / "victim.txt"
        victim.write_text("precious\n")
        link = tmp / "out.apkg"
        link.symlink_to(victim)

        def check() -> str | None:
            return None if link.is_file() and not link.is_symlink() else "symlink followed"

        args = ["export", str(_good_deck(tmp)), "-o", str(link)]
        return Prepared(args, accept=True, watch=[victim], check=check)

    def draft_output_link_to_victim(tmp: Path) -> Prepared:
        victim = tmp / "victim.txt"
        victim.write_text("precious\n")
        link = tmp / "out.yaml"
        link.symlink_to(victim)
        args = ["draft", summary_file(tmp), "-o", str(link), "--force"]
        return Prepared(args, accept=True, watch=[victim])

    cases += [
        Case(5, "export-to-fifo", export_to_fifo),
        Case(5, "draft-to-fifo", draft_to_fifo),
        Case(5, "export-under-a-file", export_under_file),
        Case(5, "planted-partial-symlinks", planted_partials),
        Case(5, "export-over-symlink-to-victim", output_link_to_victim),
        Case(5, "draft-over-symlink-to-victim", draft_output_link_to_victim),
    ]
    return cases


def summary_file(tmp: Path) -> str:
    """A small trial summary in `tmp` (written once)."""
    text = (
        "The New England Journal of Medicine May 14, 2020\n\nA Trial of Something\n\n"
        "Bottom Line\n\nThe trial showed something.\n\nKey Findings\n\n"
        "1. The hazard ratio for overall survival was 0.58 (95% CI, 0.42 to 0.79).\n"
    )
    path = tmp / "summary.txt"
    if not path.exists():
        path.write_text(text)
    return str(path)


# ------------------------------------------------------------------------- databases


_PYTHON = [sys.executable]  # the interpreter of the hccquiz under test (set by run_case)


@cache
def _built(python: str) -> tuple[Path, Path]:
    """A good progress database and its deck, built once per interpreter by the hccquiz
    under test (an older hccquiz cannot open a newer one's database)."""
    folder = Path(tempfile.mkdtemp(prefix="hccquiz-hostile-"))
    tests = Path(__file__).resolve().parent
    code = (
        f"import sys; sys.path.insert(0, {str(tests)!r}); from pathlib import Path; "
        "from damage import progress_db, write_deck; "
        f"folder = Path({str(folder)!r}); "
        "progress_db(folder / 'good.db', write_deck(folder / 'deck.yaml'))"
    )
    subprocess.run([python, "-c", code], check=True, capture_output=True, timeout=300)
    return folder / "good.db", folder / "deck.yaml"


def _sources() -> tuple[Path, Path]:
    return _built(_PYTHON[0])


def database_cases(count: int = 18) -> list[Case]:
    from damage import damaged_copies, integrity_ok

    cases: list[Case] = []
    for n in range(count):
        for command in ("sync", "stats"):

            def prepare(tmp: Path, n: int = n, command: str = command) -> Prepared:
                good, deck = _sources()
                copy = damaged_copies(good, tmp, count)[n]
                for other in tmp.glob("damaged-*.db"):
                    if other != copy:
                        other.unlink()
                sound = integrity_ok(copy)
                args = [command, "--db", str(copy)] + ([str(deck)] if command == "sync" else [])
                wal = [Path(f"{copy}-wal"), Path(f"{copy}-shm")]
                return Prepared(
                    args,
                    accept=sound,
                    watch=[] if sound else [copy],
                    absent=[] if sound else wal,
                    fragment="damaged",
                )

            cases.append(Case(1, f"damaged-{n:02d}-{command}", prepare))

    def wal_collection(tmp: Path) -> Path:
        """Another program's database, in WAL mode, closed."""
        import sqlite3

        path = tmp / "collection.anki2"
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE notes (flds TEXT)")
        conn.commit()
        conn.close()
        return path

    def foreign_wal(tmp: Path) -> Prepared:
        path = wal_collection(tmp)
        extra = [Path(f"{path}-wal"), Path(f"{path}-shm")]
        return Prepared(["stats", "--db", str(path)], watch=[path], absent=extra,
                        fragment="another application")  # fmt: skip

    def foreign_shm(tmp: Path) -> Prepared:
        """Another program's database open in WAL mode: its -wal and -shm must not change."""
        path = wal_collection(tmp)
        wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
        wal.write_bytes(b"")
        shm.write_bytes(bytes(range(256)) * 128)  # 32 KiB that SQLite would rewrite
        return Prepared(["stats", "--db", str(path)], watch=[path, wal, shm],
                        fragment="another application")  # fmt: skip

    def foreign_empty(tmp: Path) -> Prepared:
        import sqlite3

        path = tmp / "other.db"
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA user_version = 42")
        conn.commit()
        conn.close()
        _, deck = _sources()
        return Prepared(["sync", str(deck), "--db", str(path)], watch=[path],
                        fragment="another application")  # fmt: skip

    def read_only_folder(tmp: Path) -> Prepared:
        good, _ = _sources()
        folder = tmp / "ro"
        folder.mkdir()
        db = folder / "p.db"
        shutil.copyfile(good, db)
        db.chmod(0o444)
        folder.chmod(0o555)
        return Prepared(["stats", "--db", str(db)], accept=True, watch=[db], unprivileged=True)

    cases += [
        Case(1, "foreign-wal-database-stats", foreign_wal),
        Case(1, "foreign-shm-left-as-it-was", foreign_shm),
        Case(1, "foreign-empty-user-version-42", foreign_empty),
        Case(8, "stats-in-read-only-folder", read_only_folder),
    ]
    return cases


# -------------------------------------------------------------------------- anki media


def media_deck() -> str:
    return (
        'id: media\ntitle: "Media::Nested"\nlevels: [resident]\n'
        'source: {citation: "Finn [sound:cite.mp3] 2020"}\nitems:\n'
        '  - {id: s, question: "Play [sound:x.mp3] [sound:../../etc/passwd]", '
        'answer: "[anki:tts lang=en_US]hi[/anki:tts]"}\n'
        '  - {id: l, question: "[latex]x^2[/latex] [$]y[/$] [$$]z[/$$] [LaTeX]q[/LaTeX]", '
        'answer: "![remote](https://example.com/a.png) ![local](pic.png)"}\n'
        '  - {id: c, type: cloze, text: "{{c1::[sound:y.mp3]}} and [latex]q[/latex]"}\n'
    )


def media_cases() -> list[Case]:
    def prepare(tmp: Path) -> Prepared:
        deck = write(tmp, "media.yaml", media_deck())
        out = tmp / "media.apkg"
        return Prepared(
            ["export", str(deck), "-o", str(out)], accept=True, check=lambda: anki_media(out)
        )

    return [Case(7, "media-references-and-nested-title", prepare)]


def anki_media(package: Path) -> str | None:
    """Import `package` into a fresh Anki collection; what is wrong with its media."""
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    folder = Path(tempfile.mkdtemp(prefix="hccquiz-anki-"))
    col = Collection(str(folder / "collection.anki2"))
    try:
        request = ImportAnkiPackageRequest(
            package_path=str(package), options=ImportAnkiPackageOptions()
        )
        col.import_anki_package(request)
        missing = list(col.media.check().missing)
        tags = [
            tag
            for cid in col.find_cards("")
            for tag in (*col.get_card(cid).question_av_tags(), *col.get_card(cid).answer_av_tags())
        ]
        images = [cid for cid in col.find_cards("") if "<img" in col.get_card(cid).answer()]
        names = [d.name for d in col.decks.all_names_and_ids() if d.name.startswith("hccquiz::")]
    finally:
        col.close()
        shutil.rmtree(folder, ignore_errors=True)
    problems = []
    if missing:
        problems.append(f"{len(missing)} missing media files")
    if tags:
        problems.append(f"{len(tags)} sound or speech tags")
    if images:
        problems.append(f"{len(images)} cards with images")
    if len(names) != 1:
        problems.append(f"decks {names}")
    return "; ".join(problems) or None


# ----------------------------------------------------------------------------- smaller


def smaller_cases() -> list[Case]:
    def injection(tmp: Path) -> Prepared:
        items = (
            '  - {id: "a\\rFAKE.yaml:1:1: ok", question: q, answer: a}\n'
            '  - {id: "b\\nhccquiz: all decks valid", question: q, answer: a}\n'
            '  - {id: "c\\e[2J", question: q, answer: a}\n'
        )
        path = write(tmp, "deck.yaml", HEAD + items)

        def raw(output: str) -> str | None:
            bad = [c for c in ("\r", "\x1b", "\nFAKE", "\nhccquiz: all") if c in output]
            return f"raw {bad} in the output" if bad else None

        return Prepared(["validate", str(path)], where=f"{path}:5:", fragment="not a slug",
                        output_check=raw)  # fmt: skip

    def mode_000(tmp: Path, command: str) -> Prepared:
        path = write(tmp, "deck.yaml", HEAD + GOOD_ITEM)
        path.chmod(0)
        args, where = {
            "validate": (["validate", str(path)], f"{path}:1:1:"),
            "lint": (["lint", str(path)], f"{path}:1:1:"),
            "sync": (["sync", str(path), "--db", str(tmp / "p.db")], f"{path}:1:1:"),
            "export": (["export", str(path), "-o", str(tmp / "o.apkg")], f"{path}:1:1:"),
            "draft": (["draft", str(path)], f"hccquiz: {path}:"),
            "lint-summary": (["lint", str(_good_deck(tmp)), "--summary", str(path)],
                             f"hccquiz: {path}:"),
        }[command]  # fmt: skip
        return Prepared(args, where=where, fragment="Permission denied", unprivileged=True)

    def many_invalid(tmp: Path) -> Prepared:
        items = "".join(f"  - {{id: i{i}, question: q}}\n" for i in range(2000))
        path = write(tmp, "deck.yaml", HEAD + items)
        return Prepared(["validate", str(path)], fragment="more problem(s) not shown",
                        output_check=lambda out: None if out.count("\n") <= 103 else
                        f"{out.count(chr(10))} lines")  # fmt: skip

    return [
        Case(8, "id-with-line-breaks-and-escapes", injection),
        *(
            Case(8, f"mode-000-{command}", lambda tmp, c=command: mode_000(tmp, c))
            for command in ("validate", "lint", "sync", "export", "draft", "lint-summary")
        ),
        Case(8, "2000-invalid-items", many_invalid),
    ]


def all_cases() -> list[Case]:
    return [
        *database_cases(),
        *deck_cases(),
        *amplification_cases(),
        *quadratic_cases(),
        *file_cases(),
        *media_cases(),
        *smaller_cases(),
    ]


# ----------------------------------------------------------------------------- running

_LOCATED = re.compile(r"^.+:\d+:\d+: ")


@dataclass
class Outcome:
    """How one case ended: `kind` is refused, ok, traceback, hang, lost or wrong."""

    case: Case
    kind: str
    detail: str
    seconds: float


def run_case(case: Case, hccquiz: list[str], timeout: float = 60) -> Outcome:
    """Prepare `case` in a fresh folder, run ``hccquiz`` on it, classify the outcome."""
    tmp = Path(tempfile.mkdtemp(prefix="hccquiz-case-"))
    _PYTHON[0] = hccquiz[0]
    try:
        prepared = case.prepare(tmp)
        before = {path: _snapshot(path) for path in prepared.watch}
        prefix = DROP_DAC if prepared.unprivileged and os.geteuid() == 0 else []
        start = time.perf_counter()
        try:
            result = subprocess.run(
                [*prefix, *hccquiz, *prepared.args],
                capture_output=True,
                text=True,
                timeout=timeout,
                cwd=tmp,
                env={**os.environ, "HCCQUIZ_DB": str(tmp / "default.db")},
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            return Outcome(case, "hang", f"no answer in {timeout:.0f} s", timeout)
        seconds = time.perf_counter() - start
        return Outcome(case, *_classify(prepared, result, before), seconds)
    finally:
        for folder in [tmp, *tmp.rglob("*")]:
            if folder.is_dir() and not folder.is_symlink():
                folder.chmod(0o755)
        shutil.rmtree(tmp, ignore_errors=True)


def _snapshot(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _classify(
    prepared: Prepared, result: subprocess.CompletedProcess[str], before: dict[Path, bytes | None]
) -> tuple[str, str]:
    output = result.stdout + result.stderr
    if "Traceback" in output or result.returncode not in (0, 1, 2):
        return "traceback", output.strip().splitlines()[-1] if output.strip() else "no output"
    if prepared.output_check and (problem := prepared.output_check(output)):
        return "wrong", problem
    changed = [p.name for p, data in before.items() if _snapshot(p) != data]
    appeared = [p.name for p in prepared.absent if p.exists()]
    if changed or appeared:
        return "lost", f"changed: {changed + appeared}"
    if prepared.accept:
        if result.returncode != 0:
            return "wrong", f"refused a good input: {result.stderr.strip()[:200]}"
        problem = prepared.check() if prepared.check else None
        return ("wrong", problem) if problem else ("ok", result.stdout.strip()[:120])
    if result.returncode != 1:
        return "wrong", f"exit {result.returncode}: {output.strip()[:200]}"
    lines = result.stderr.splitlines()
    if not lines or any(not (line.startswith("hccquiz: ") or _LOCATED.match(line))
                        for line in lines):  # fmt: skip
        return "wrong", f"not one located line per problem: {lines[:3]}"
    if prepared.where and not any(line.startswith(prepared.where) for line in lines):
        return "wrong", f"not located at {prepared.where}: {lines[:2]}"
    if prepared.fragment not in result.stderr:
        return "wrong", f"message lacks {prepared.fragment!r}: {lines[:2]}"
    return "refused", lines[0][:160]


def hccquiz_command() -> list[str]:
    """``python -m hccquiz`` of the running interpreter."""
    return [sys.executable, "-m", "hccquiz"]
