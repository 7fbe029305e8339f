"""Reading and changing settings wherever they live: `Settings` over the progress database
and this machine's settings file (`MachineFile`).

The table of settings is `hccquiz.study._settings.SETTINGS`. The machine file is JSON, at
``$HCCQUIZ_CONFIG`` if set, else ``settings.json`` in the platformdirs user config folder
(``~/.config/hccquiz/settings.json`` on Linux). ``hccquiz config`` and the app both go
through `Settings`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..fileio import FileReadError, read_regular, write_atomic
from ._settings import SETTINGS, Setting, SettingError, StudyConfig, deck_key, setting

if TYPE_CHECKING:
    from ..clock import Clock
    from ..store import Store

__all__ = ["CONFIG_ENV", "MachineFile", "SettingValue", "Settings", "machine_file_path"]

CONFIG_ENV = "HCCQUIZ_CONFIG"
"""Environment variable naming this machine's settings file."""
_LIMIT = 1 << 20


def machine_file_path() -> Path:
    """``$HCCQUIZ_CONFIG``, else ``settings.json`` in the user config folder."""
    env = os.environ.get(CONFIG_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_path

    return user_config_path("hccquiz", appauthor=False) / "settings.json"


class MachineFile:
    """This machine's settings: a JSON object of setting keys to text values."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or machine_file_path()

    def read(self) -> dict[str, str]:
        """The stored values ({} when there is no file); `SettingError` for a damaged file."""
        if not self.path.exists() and not self.path.is_symlink():
            return {}
        try:
            raw = read_regular(self.path, _LIMIT)
        except FileReadError as exc:
            raise SettingError(str(exc)) from None
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise SettingError(f"{self.path}: not UTF-8 text; fix or delete it") from None
        except json.JSONDecodeError as exc:
            raise SettingError(
                f"{self.path}:{exc.lineno}:{exc.colno}: not a settings file ({exc.msg}); "
                "fix or delete it"
            ) from None
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise SettingError(f"{self.path}:1:1: expected an object of text values")
        return data

    def write(self, key: str, value: str | None) -> None:
        """Store `value` under `key` (None removes it), atomically."""
        data = self.read()
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
        write_atomic(self.path, json.dumps(data, indent=2, sort_keys=True) + "\n")


@dataclass(frozen=True, slots=True)
class SettingValue:
    """A setting's effective value as text, and where it comes from."""

    setting: Setting
    value: str
    source: str

    @property
    def key(self) -> str:
        """The setting's key."""
        return self.setting.key


class Settings:
    """Every setting, read from and written to where it lives."""

    def __init__(
        self, store: Store, machine: MachineFile | None = None, *, clock: Clock | None = None
    ) -> None:
        self.store = store
        self.machine = machine or MachineFile()
        self.clock = clock

    def _check_deck(self, deck_id: str | None) -> None:
        if deck_id is not None and deck_id not in (ids := self.store.deck_ids()):
            known = ", ".join(ids) or "none yet"
            raise SettingError(f"no deck {deck_id!r} in the progress database (decks: {known})")

    def get(self, key: str, deck_id: str | None = None) -> SettingValue:
        """`key`'s value for `deck_id` (or for every deck) and where it comes from."""
        entry = setting(key)
        self._check_deck(deck_id)
        if entry.where == "machine":
            stored = self.machine.read()
            if key in stored:
                return SettingValue(entry, stored[key], f"this machine ({self.machine.path})")
            return SettingValue(entry, entry.default, "default")
        stored = self.store.settings()
        if deck_id is not None and entry.per_deck and (own := deck_key(key, deck_id)) in stored:
            return SettingValue(entry, stored[own], f"deck {deck_id}")
        if key in stored:
            return SettingValue(entry, stored[key], "every deck" if entry.per_deck else "set")
        return SettingValue(entry, entry.default, "default")

    def rows(self, deck_id: str | None = None) -> list[SettingValue]:
        """Every setting's value, in table order."""
        return [self.get(entry.key, deck_id) for entry in SETTINGS]

    def set(
        self,
        key: str,
        text: str,
        deck_id: str | None = None,
        *,
        progress: Callable[[int, int], None] | None = None,
    ) -> str:
        """Check and store a value; returns it as stored. `SettingError` if not allowed.

        ``scheduler`` is not only stored: the switch replays the review log into FSRS
        memories, or hands the cards back to SM-2 (`hccquiz.study.scheduling`), in one
        transaction that stores the setting last; ``progress`` follows the replay.
        """
        entry = setting(key)
        value = entry.normal(text)
        stored_key = deck_key(key, deck_id)
        self._check_deck(deck_id)
        if key == "scheduler":
            self._switch(value, progress)
        elif entry.where == "machine":
            self.machine.write(key, value)
        else:
            self.store.set_setting(stored_key, value)
        return value

    def _switch(self, name: str, progress: Callable[[int, int], None] | None) -> None:
        from ..clock import SystemClock
        from .scheduling import switch_scheduler

        boundary = self.study_config().boundary
        now = (self.clock or SystemClock()).now()
        switch_scheduler(self.store, name, now=now, boundary=boundary, progress=progress)

    def unset(self, key: str, deck_id: str | None = None) -> None:
        """Go back to the default (or, for one deck, to the value every deck has)."""
        entry = setting(key)
        stored_key = deck_key(key, deck_id)
        self._check_deck(deck_id)
        if key == "scheduler":
            self._switch(entry.default, None)
            self.store.set_setting(stored_key, None)  # SM-2 again, and by default
        elif entry.where == "machine":
            self.machine.write(key, None)
        else:
            self.store.set_setting(stored_key, None)

    def study_config(self, **overrides: Any) -> StudyConfig:
        """The study settings stored in the database, with `overrides` applied."""
        return StudyConfig.from_settings(self.store.settings(), **overrides)
