"""Small text helpers shared by the summary parser and the deck drafter. Pure functions."""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "MAX_ANSWER_WORDS",
    "clean_line",
    "concise",
    "first_clause",
    "first_sentence",
    "lower_first",
    "sentences",
    "slugify",
    "unwrap",
]

MAX_ANSWER_WORDS = 40
"""Drafted answers stay under this many words (the linter's `long-answer` limit)."""

# Characters YAML may not contain (outside the printable set), plus the BOM.
_NOT_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|\ufeff"
)
_ABBREVIATIONS = {"vs", "e.g", "i.e", "al", "approx", "dr", "fig", "no", "ref", "cf", "etc"}
_SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")


def clean_line(text: str) -> str:
    """One line with unprintable characters dropped and whitespace runs made single spaces."""
    return " ".join(_NOT_PRINTABLE.sub(" ", text).split())


def unwrap(previous: str, following: str) -> bool:
    """True if `following` continues a sentence that the source hard-wrapped after `previous`."""
    return (
        bool(previous)
        and bool(following)
        and (not re.search(r"[.!?:;\"”)]$", previous) and following[:1].islower())
    )


def sentences(text: str) -> list[str]:
    """`text` split into sentences; abbreviations (vs., e.g., et al.) and initials don't end one."""
    out: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start : match.start()].split()
        word = before[-1].casefold().rstrip(".") if before else ""
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        out.append(text[start : match.end()].strip())
        start = match.end()
    tail = text[start:].strip()
    return [*out, tail] if tail else out


def first_sentence(text: str) -> str:
    """The first sentence of `text`, or all of it."""
    parts = sentences(text)
    return parts[0] if parts else text


def slugify(text: str, max_length: int = 64) -> str:
    """A lowercase slug of `text` (``a-z0-9`` words joined by single hyphens), or ``""``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")


_LINKS = {"plus", "with", "versus", "than", "from", "then", "after", "before"}


def lower_first(text: str) -> str:
    """`text` as it reads inside a sentence: ``Sorafenib 400 mg`` -> ``sorafenib 400 mg``;
    a title-cased phrase (``Tremelimumab plus Durvalumab``) is lowered word by word;
    acronyms (``TACE``) and mixed-case words (``IMbrave150``) stay as they are."""
    words = text.split(" ")
    long_words = [w for w in words if len(w) > 3 and w[:1].isalpha() and w not in _LINKS]
    if len(long_words) > 1 and all(_is_capitalised(w) for w in long_words):
        return " ".join(w[0].lower() + w[1:] if _is_capitalised(w) else w for w in words)
    return words[0][0].lower() + text[1:] if words and _is_capitalised(words[0]) else text


def _is_capitalised(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and word[1:].replace("-", "").islower()


_CLAUSE_END = re.compile(
    r"(?:;|,\s+(?=(?:and|but|so|because|while|whereas|which|although|though)\b|\w+ing\b))"
)
_GOES_ON = re.compile(r"\b(?:but|however|although|though|yet)\b", re.IGNORECASE)
_ASKS_HOW = re.compile(r"^\s*(?:how|why|what should)\b", re.IGNORECASE)
_TWO_PART = re.compile(
    r"\band\s+(?:why|how|what|which|who|did|does|do|should|is|are|can|would)\b|\bwhy\b",
    re.IGNORECASE,
)


def first_clause(sentence: str) -> str:
    """The main clause of `sentence`, up to a semicolon or a comma that starts another
    clause (``, and ...``, ``, which ...``, ``, recognizing ...``), ending with a period."""
    match = _CLAUSE_END.search(sentence)
    clause = sentence[: match.start()] if match else sentence
    return clause.rstrip(" ,;:.") + "."


def concise(text: str, question: str = "", max_words: int = MAX_ANSWER_WORDS) -> str:
    """A short answer drawn from a longer response: its first sentence, plus the main
    clause of the second when the question asks two things (``... and why?``), the first
    sentence turns (``..., but ...``), or a "how" or "why" question got a short first
    sentence; within `max_words` when a clause boundary allows it."""
    parts = sentences(text)
    if not parts:
        return text
    answer = parts[0]
    short_for_a_how = _ASKS_HOW.search(question) and len(answer.split()) < 20
    if len(parts) > 1 and (
        _TWO_PART.search(question) or _GOES_ON.search(answer) or short_for_a_how
    ):
        longer = f"{answer} {first_clause(parts[1])}"
        if len(longer.split()) <= max_words:
            answer = longer
    if len(answer.split()) > max_words:
        shorter = first_clause(answer)
        if len(shorter.split()) >= 5:
            answer = shorter
    return answer
