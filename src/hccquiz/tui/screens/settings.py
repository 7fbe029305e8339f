"""Settings: every entry of the settings table, changed in the app and saved where it lives
(each label says where: the progress database, or this machine's settings file).

The rows come from `hccquiz.study._settings.SETTINGS`, so a new setting appears here
without code. Per-deck settings (the daily limits) show the value every deck has and,
opened for a deck, that deck's own value (empty: the same as every deck).
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Footer, Input, Label, Select, Static

from ...errors import HccquizError
from ...study import SETTINGS, Setting, Workspace, setting
from ...text.terminal import short_deck_name
from ..background import read_in_thread, write_in_thread
from ..keys import check_keymap

__all__ = ["SettingsScreen"]


class SettingsScreen(ModalScreen[bool]):
    """Edit the settings; ctrl+s or Save writes them, escape leaves them as they were.

    Dismissed with True when something was saved."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="settings.cancel",
                tooltip="Close without saving"),
        Binding("ctrl+s", "save", "Save", id="settings.save", tooltip="Check and save"),
        Binding("pagedown", "page(1)", "Scroll", key_display="PgUp PgDn", id="settings.scroll",
                tooltip="PgUp PgDn, tab or the mouse wheel scroll the settings"),
        Binding("pageup", "page(-1)", "Scroll up", id="settings.scrollup", show=False),
    ]  # fmt: skip

    def __init__(self, workspace: Workspace, deck_id: str | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.deck_id = deck_id
        self.fields: dict[tuple[str, str | None], Input | Select[str]] = {}
        self.read: dict[tuple[str, str | None], str] = {}
        self.short_title = short_deck_name(workspace.title(deck_id)) if deck_id else ""

    def compose(self) -> ComposeResult:
        """A placeholder until the stored values are read."""
        with VerticalScroll(id="settings"):
            deck = f" (deck: {self.short_title})" if self.deck_id else ""
            yield Static(f"Settings{deck}", classes="heading")
            yield Static("Reading…", id="settings-rows")
            yield Static(id="settings-errors")
            with HorizontalGroup(id="settings-buttons"):
                yield Button("Save (ctrl+s)", id="settings-save", variant="primary")
                yield Button("Cancel (esc)", id="settings-cancel")
        yield Footer()

    def on_mount(self) -> None:
        """Read every value off the UI thread."""
        self.theme_before = self.app.theme
        settings = self.workspace.settings
        if settings is None:
            self.query_one("#settings-rows", Static).update("No settings store here.")
            return
        deck = self.deck_id

        def read() -> list[tuple[Setting, str, str | None]]:
            rows = []
            for entry in SETTINGS:
                own = None
                if entry.per_deck and deck is not None:
                    value = settings.get(entry.key, deck)
                    own = value.value if value.source == f"deck {deck}" else ""
                rows.append((entry, settings.get(entry.key).value, own))
            return rows

        read_in_thread(self, read, self.show_rows, group="settings")

    def show_rows(self, rows: list[tuple[Setting, str, str | None]]) -> None:
        """One labelled field per setting (two for a per-deck one opened for a deck)."""
        widgets: list[Widget] = []
        for entry, value, own in rows:
            scope = " (every deck)" if entry.per_deck else ""
            where = "progress database" if entry.where == "database" else "this machine"
            widgets.append(Label(Text(f"{entry.key}{scope}: {entry.help} [kept in: {where}]"),
                                 classes="label"))  # fmt: skip
            widgets.append(self._field(entry, value, None))
            if own is not None:
                widgets.append(Label(Text(f"{entry.key} for {self.short_title} only (empty: as "
                                          "every deck)"), classes="label"))  # fmt: skip
                widgets.append(self._field(entry, own, self.deck_id))
        placeholder = self.query_one("#settings-rows")
        self.query_one("#settings").mount_all(widgets, after=placeholder)
        placeholder.remove()
        widgets[1].focus()

    def _field(self, entry: Setting, value: str, deck_id: str | None) -> Widget:
        field: Input | Select[str]
        if entry.choices:
            field = Select([(c, c) for c in entry.choices], value=value, allow_blank=False,
                           compact=True)  # fmt: skip
        else:
            hint = "as every deck" if deck_id else entry.default
            field = Input(value, placeholder=hint, compact=True)
        field.add_class("field")
        self.fields[(entry.key, deck_id)] = field
        self.read[(entry.key, deck_id)] = value
        return field

    def action_page(self, direction: int) -> None:
        """PgDn / PgUp: a page further down or up."""
        box = self.query_one("#settings", VerticalScroll)
        if direction > 0:
            box.scroll_page_down()
        else:
            box.scroll_page_up()

    @on(Select.Changed)
    def _preview_theme(self, event: Select.Changed) -> None:
        if self.fields.get(("theme", None)) is event.select and isinstance(event.value, str):
            self.app.theme = event.value

    @on(Button.Pressed, "#settings-cancel")
    def action_cancel(self) -> None:
        """Close without saving (a previewed theme is put back)."""
        self.app.theme = self.theme_before
        self.dismiss(False)

    @on(Button.Pressed, "#settings-save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        """Check every value (one line per problem), then save them off the UI thread."""
        settings = self.workspace.settings
        if settings is None:
            return
        changes: list[tuple[str, str | None, str | None]] = []
        problems = []
        for (key, deck_id), field in self.fields.items():
            text = field.value.strip() if isinstance(field, Input) else str(field.value)
            if text == self.read[(key, deck_id)]:
                continue  # unchanged: left where it is (a default stays a default)
            if deck_id is not None and not text:
                changes.append((key, deck_id, None))
                continue
            try:
                changes.append((key, deck_id, setting(key).normal(text)))
                if key == "keymap":
                    check_keymap(text)
            except HccquizError as exc:
                problems.append(str(exc))
        errors = self.query_one("#settings-errors", Static)
        errors.update(Text("\n".join(problems), style="bold red"))
        if problems:
            errors.scroll_visible(animate=False)  # below the rows: bring it into view
            return

        def save() -> None:
            for key, deck_id, value in changes:
                if value is None:
                    settings.unset(key, deck_id)
                else:
                    settings.set(key, value, deck_id)
            self.workspace.reload_config()

        def saved(_: object) -> None:
            if any(key == "keymap" for key, _, _ in changes):
                self.app.call_later(getattr(self.app, "apply_keymap", lambda: None))
            self.dismiss(True)

        write_in_thread(self, save, saved,
                        lambda exc: errors.update(Text(str(exc), style="bold red")))  # fmt: skip
