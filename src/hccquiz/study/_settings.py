"""Settings: one declarative table (`SETTINGS`) and the study settings read from it.

Each `Setting` names its key, its type (a parser from text), its default, where it lives
and whether a deck may override it. ``database`` settings live in the progress database's
``settings`` table and travel with the progress (limits, day start, scale, drill, the
level filter); ``machine`` settings live in a per-machine JSON file (the theme; see
`hccquiz.study.preferences`). A per-deck value is stored under ``deck:<deck-id>:<key>``.
Adding a setting is one entry in `SETTINGS`; ``hccquiz config`` and the app's settings
screen list, check and store it from there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import time, tzinfo
from typing import Any, Literal

from ..clock import DEFAULT_DAY_START, DayBoundary
from ..deck.levels import LEVEL_VALUES
from ..errors import HccquizError
from ..grading import Scale
from ..scheduling_choices import (
    DEFAULT_RETENTION,
    DEFAULT_SCHEDULER,
    MAX_RETENTION,
    MIN_RETENTION,
    SCHEDULER_NAMES,
    check_retention,
)

__all__ = [
    "ALL_LEVELS",
    "SETTINGS",
    "THEMES",
    "SessionError",
    "Setting",
    "SettingError",
    "StudyConfig",
    "deck_key",
    "keymap_of",
    "parse_day_start",
    "setting",
]

ALL_LEVELS = "all"
"""The ``level`` setting's value for no level filter."""
THEMES = (
    "textual-dark", "textual-light", "nord", "gruvbox", "catppuccin-mocha", "dracula",
    "tokyo-night", "monokai", "flexoki", "catppuccin-latte", "catppuccin-frappe",
    "catppuccin-macchiato", "solarized-light", "solarized-dark", "rose-pine", "rose-pine-moon",
    "rose-pine-dawn", "atom-one-dark", "atom-one-light", "ansi-dark", "ansi-light",
)  # fmt: skip
"""The app's themes (Textual's built-in ones; a test keeps the list in step with Textual)."""


class SessionError(HccquizError):
    """A session or quiz was asked for something it cannot do now."""


class SettingError(SessionError):
    """A setting key or value that is not allowed: the message is one line."""


def _whole(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = text.strip()
        if not re.fullmatch(r"\d+", value) or not low <= int(value) <= high:
            raise ValueError(f"not a whole number from {low} to {high}")
        return int(value)

    parse.__doc__ = f"A whole number from {low} to {high}."
    return parse


def _time_of_day(text: str) -> time:
    """A time of day like 04:00."""
    value = text.strip()
    if not re.fullmatch(r"\d{1,2}:\d{2}", value):
        raise ValueError("not a time like 04:00")
    hours, minutes = map(int, value.split(":"))
    if hours > 23 or minutes > 59:
        raise ValueError("not a time like 04:00")
    return time(hours, minutes)


def _retention(text: str) -> float:
    """A desired retention from 0.70 to 0.97 (``0.85`` or ``85%``)."""
    value = text.strip()
    try:
        number = float(value[:-1]) / 100 if value.endswith("%") else float(value)
        return check_retention(number)
    except ValueError:
        raise ValueError(
            f"not a desired retention from {MIN_RETENTION:.2f} to {MAX_RETENTION:.2f} "
            "(lower forgets too much; higher piles up reviews)"
        ) from None


def _switch(text: str) -> bool:
    """on or off."""
    value = text.strip().lower()
    if value in ("on", "true", "yes", "1"):
        return True
    if value in ("off", "false", "no", "0"):
        return False
    raise ValueError("not on or off")


_BINDING_ID = re.compile(r"[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)+")
_KEY = re.compile(r"[A-Za-z0-9_+-]+")


def keymap_of(text: str) -> dict[str, str]:
    """The ``keymap`` setting as a Textual keymap (binding id -> keys), its syntax checked:
    ``study.undo=ctrl+z; app.help=f1,question_mark`` (a pair per binding, ``;`` between
    them, ``,`` between keys). Raises `ValueError` saying what is wrong."""
    keymap: dict[str, str] = {}
    for pair in filter(None, (p.strip() for p in text.split(";"))):
        binding, sep, keys = (part.strip() for part in pair.partition("="))
        if not sep or not _BINDING_ID.fullmatch(binding):
            raise ValueError(f"not binding-id=keys pairs separated by ';' ({pair!r})")
        names = [k.strip() for k in keys.split(",")]
        if not all(_KEY.fullmatch(k) for k in names):
            raise ValueError(f"not key names for {binding} ({keys!r}), e.g. ctrl+z or f1")
        keymap[binding] = ",".join(names)
    return keymap


def _keymap(text: str) -> str:
    """Binding-id=keys pairs, e.g. study.undo=ctrl+z; app.help=f1."""
    return "; ".join(f"{k}={v}" for k, v in keymap_of(text).items())


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting: its key, default (as text), parser, home and one line of help.

    ``choices`` lists the allowed values of a setting that has a fixed set (the parser
    checks them). ``per_deck`` settings may be overridden for one deck.
    """

    key: str
    default: str
    where: Literal["database", "machine"]
    help: str
    parse: Callable[[str], Any] = str
    choices: tuple[str, ...] = ()
    per_deck: bool = False

    def check(self, text: str) -> Any:
        """The value of `text`; `SettingError` (one line) if it is not allowed."""
        text = text.strip()
        if self.choices and text not in self.choices:
            raise SettingError(f"{self.key}: {text!r} is not one of {', '.join(self.choices)}")
        try:
            return self.parse(text)
        except ValueError as exc:
            raise SettingError(f"{self.key}: {text!r} is {exc}") from None

    def normal(self, text: str) -> str:
        """`text` checked and written the way it is stored (``030`` -> ``30``)."""
        value = self.check(text)
        if isinstance(value, bool):
            return "on" if value else "off"
        if isinstance(value, time):
            return value.strftime("%H:%M")
        return str(value)


SETTINGS: tuple[Setting, ...] = (
    Setting("new_per_day", "20", "database", "New cards a deck introduces per study day",
            _whole(0, 9999), per_deck=True),
    Setting("reviews_per_day", "200", "database", "Reviews a deck asks per study day",
            _whole(0, 99999), per_deck=True),
    Setting("day_starts_at", "04:00", "database",
            "When a study day begins, local time (grades before it count for the day before)",
            _time_of_day),
    Setting("scale", "four", "database",
            "Grade buttons: four (Again/Hard/Good/Easy) or six (SM-2's 0-5)",
            Scale, choices=tuple(s.value for s in Scale)),
    Setting("drill", "on", "database",
            "Ask cards graded Again or Hard again the same day, until Good (on or off)",
            _switch),
    Setting("level", ALL_LEVELS, "database",
            "The level filter of study, quiz and home when no --level is given",
            choices=(ALL_LEVELS, *LEVEL_VALUES)),
    Setting("theme", "textual-dark", "machine", "The app's colour theme", choices=THEMES),
    Setting("scheduler", DEFAULT_SCHEDULER, "database",
            "sm2 (SM-2, read literally) or fsrs (FSRS-6); switching replays the review log "
            "and loses nothing", choices=SCHEDULER_NAMES),
    Setting("desired_retention", f"{DEFAULT_RETENTION:g}", "database",
            "FSRS: the recall to aim for when a card comes back, 0.70 to 0.97",
            _retention),
    Setting("keymap", "", "machine",
            "Keys by binding id, e.g. study.undo=ctrl+z; app.help=f1 (ids: hccquiz config keys)",
            _keymap),
)  # fmt: skip
"""Every setting, in the order ``hccquiz config list`` shows them."""

_BY_KEY = {s.key: s for s in SETTINGS}


def setting(key: str) -> Setting:
    """The setting called `key`; `SettingError` naming the known keys if there is none."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise SettingError(f"no setting {key!r}; settings: {', '.join(_BY_KEY)}") from None


def deck_key(key: str, deck_id: str | None) -> str:
    """The stored key of `key`: itself, or ``deck:<deck_id>:<key>`` for one deck's value."""
    if deck_id is None:
        return key
    if not setting(key).per_deck:
        raise SettingError(f"{key} is one setting for every deck: leave out --deck")
    return f"deck:{deck_id}:{key}"


def parse_day_start(value: str | None) -> time:
    """A stored ``day_starts_at`` (``HH:MM``) as a time; 04:00 when unset.

    Raises `SettingError` for text that is not a time of day.
    """
    if not value:
        return DEFAULT_DAY_START
    try:
        return _time_of_day(value)
    except ValueError:
        raise SettingError(
            f"the day_starts_at setting {value!r} is not a time like 04:00"
        ) from None


@dataclass(frozen=True, slots=True)
class StudyConfig:
    """Daily limits (per deck), day boundary, grading scale and drill switch.

    ``new_per_day`` and ``reviews_per_day`` are every deck's limits unless ``deck_new``
    or ``deck_reviews`` give a deck its own. Stored settings use the keys of `SETTINGS`.
    """

    new_per_day: int = 20
    reviews_per_day: int = 200
    day_starts_at: time = DEFAULT_DAY_START
    tz: tzinfo | None = None
    scale: Scale = Scale.FOUR
    drill: bool = True
    deck_new: Mapping[str, int] = field(default_factory=dict, hash=False)
    deck_reviews: Mapping[str, int] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        limits = [self.new_per_day, self.reviews_per_day, *self.deck_new.values(),
                  *self.deck_reviews.values()]  # fmt: skip
        if any(limit < 0 for limit in limits):
            raise ValueError("daily limits must be >= 0")
        if not isinstance(self.scale, Scale):  # text from a command line, e.g. "six"
            object.__setattr__(self, "scale", setting("scale").check(str(self.scale)))

    @property
    def boundary(self) -> DayBoundary:
        """The day boundary these settings give."""
        return DayBoundary(self.day_starts_at, self.tz)

    def new_limit(self, deck_id: str) -> int:
        """How many new cards deck `deck_id` introduces a day."""
        return self.deck_new.get(deck_id, self.new_per_day)

    def review_limit(self, deck_id: str) -> int:
        """How many reviews deck `deck_id` asks a day."""
        return self.deck_reviews.get(deck_id, self.reviews_per_day)

    @classmethod
    def from_settings(cls, settings: Mapping[str, str], **overrides: Any) -> StudyConfig:
        """Read stored settings (unknown keys are ignored), then apply ``overrides``.

        An override given as text (``scale="six"``) is checked as the stored text would be.
        Raises `SettingError` for a value that is not allowed.
        """
        values: dict[str, Any] = {}
        deck_new: dict[str, int] = {}
        deck_reviews: dict[str, int] = {}
        for stored, text in settings.items():
            key, deck_id = stored, None
            if stored.startswith("deck:") and stored.count(":") == 2:
                _, deck_id, key = stored.split(":")
            if key not in _FIELDS:
                continue
            value = setting(key).check(text)
            if deck_id is None:
                values[key] = value
            else:
                (deck_new if key == "new_per_day" else deck_reviews)[deck_id] = value
        for name, value in overrides.items():
            checked = name in _FIELDS and isinstance(value, str)
            values[name] = setting(name).check(value) if checked else value
        return cls(**{"deck_new": deck_new, "deck_reviews": deck_reviews, **values})

    def to_settings(self) -> dict[str, str]:
        """These settings as stored text (``tz`` is not stored: it follows the system)."""
        stored = {
            "new_per_day": str(self.new_per_day),
            "reviews_per_day": str(self.reviews_per_day),
            "day_starts_at": self.day_starts_at.strftime("%H:%M"),
            "scale": self.scale.value,
            "drill": "on" if self.drill else "off",
        }
        stored.update({f"deck:{d}:new_per_day": str(n) for d, n in self.deck_new.items()})
        stored.update({f"deck:{d}:reviews_per_day": str(n) for d, n in self.deck_reviews.items()})
        return stored


_FIELDS = ("new_per_day", "reviews_per_day", "day_starts_at", "scale", "drill")
"""The settings `StudyConfig` reads: each key is also its field's name."""
