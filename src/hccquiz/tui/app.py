"""The app: screens for home, study, quiz, stats, settings and help, over an injected
`Workspace`; the command palette's commands; the theme remembered on this machine."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Literal

from rich.text import Text
from textual import on
from textual.app import App
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..deck.levels import Level
from ..errors import HccquizError
from ..store import BrowseQuery
from ..study import Filters, Workspace
from ..study._settings import ALL_LEVELS
from .background import SavesInBackground, write_in_thread
from .messages import (
    Failed,
    GoHome,
    LevelChosen,
    OpenBrowser,
    OpenSettings,
    OpenStats,
    StartQuiz,
    StartQuizCards,
    StartStudy,
)

__all__ = ["HccquizApp", "HccquizCommands", "StartAt", "create_app"]

StartAt = Literal["home", "study", "quiz", "stats", "browse"]

Command = tuple[str, Callable[[], object], str]


class HccquizCommands(Provider):
    """The command palette: the app's commands first (offered before anything is typed),
    then Textual's own (keys, screenshot, quit)."""

    def commands(self) -> Iterator[Command]:
        """Every command: name, what it runs, one line of help."""
        app = self.app
        assert isinstance(app, HccquizApp)
        ws = app.workspace
        yield ("Study", partial(app.start_study, app.filters),
               "Due reviews, then new cards, under the current filters")  # fmt: skip
        yield "Quiz", partial(app.start_quiz, app.filters), "A quiz that never changes the schedule"
        yield "Statistics", app.open_stats, "What is left today, forecast, retention, mastery"
        yield ("Browse", partial(app.open_browser, None),
               "Every card: search, filter, sort, suspend, reset, edit")  # fmt: skip
        yield "Decks", app.go_home, "The home screen: every deck and its counts"
        for deck_id in ws.deck_ids(app.filters.decks):
            title = ws.title(deck_id)
            yield (f"Deck: study {title}", partial(app.start_study, app.with_deck(deck_id)),
                   f"Study this deck only ({deck_id})")  # fmt: skip
        yield "Level: all levels", partial(app.set_level, None), "Study every level's items"
        for level in Level:
            yield (f"Level: {level.display_name}", partial(app.set_level, level.value),
                   f"Only items for {level.display_name} (remembered)")  # fmt: skip
        yield "Theme", app.action_change_theme, "Pick the colours (remembered on this machine)"
        yield ("Settings", partial(app.open_settings, None),
               "Daily limits, grading scale, day start, drill, theme")  # fmt: skip
        yield "Help", app.action_help, "Keys, grading and limits"
        for command in app.get_system_commands(self.screen):
            if command.title not in ("Theme", "Quit"):
                yield command.title, command.callback, command.help
        yield "Quit", app.exit, "Quit hccquiz: every grade is already saved"

    async def discover(self) -> Hits:
        """Every command, before anything is typed."""
        for name, action, help_text in self.commands():
            yield DiscoveryHit(name, action, help=help_text)

    async def search(self, query: str) -> Hits:
        """Commands whose name matches `query`."""
        matcher = self.matcher(query)
        for name, action, help_text in self.commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), action, help=help_text)


class HccquizApp(App[None]):
    """hccquiz's terminal app. Build it with `create_app`."""

    CSS_PATH = "app.tcss"
    TITLE = "hccquiz"
    COMMANDS = {HccquizCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (24, "-tall")]
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit", priority=True,
                tooltip="Quit hccquiz: every grade is already saved"),
        Binding("question_mark", "help", "Help", id="app.help",
                tooltip="Keys, grades and what each screen does"),
    ]  # fmt: skip

    def __init__(
        self,
        workspace: Workspace,
        *,
        start: StartAt = "home",
        filters: Filters | None = None,
        quiz_count: int = 20,
        browse: BrowseQuery | None = None,
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.start = start
        self.filters = filters or Filters()
        self.quiz_count = quiz_count
        self.browse_query = browse

    def on_mount(self) -> None:
        """Put the remembered theme on, then open the screen asked for on the command line;
        home comes when it is needed."""
        self._restore_theme()
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.apply_keymap()
        if self.start == "browse":
            self.open_browser(self.browse_query)
        elif self.start == "study":
            self.start_study(self.filters)
        elif self.start == "quiz":
            self.start_quiz(self.filters, self.quiz_count)
        elif self.start == "stats":
            self.open_stats()
        else:
            self.go_home()

    def _restore_theme(self) -> None:
        settings = self.workspace.settings
        if settings is None:
            return
        try:
            theme = settings.get("theme").value
        except HccquizError as exc:  # a damaged settings file: say so, keep the default
            self.notify(str(exc), severity="warning", timeout=8)
            return
        if theme in self.available_themes:
            self.theme = theme

    def _remember_theme(self, theme: object) -> None:
        name = getattr(theme, "name", None)
        if isinstance(name, str) and self.workspace.settings is not None:
            write_in_thread(self, partial(self.workspace.remember, "theme", name),
                            lambda _: None, lambda exc: self.notify(str(exc)))  # fmt: skip

    async def action_quit(self) -> None:
        """Quit; a grade still being saved is saved first (the screen says so)."""
        screen = self.screen
        if isinstance(screen, SavesInBackground) and screen.saving:
            screen.quit_when_saved()
        else:
            self.exit()

    def go_home(self) -> None:
        """Back to the home screen, building it the first time (studying does not need it)."""
        from .screens.home import HomeScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()
        if not isinstance(self.screen, HomeScreen):
            self.push_screen(HomeScreen(self.workspace, self.filters))

    def with_deck(self, deck_id: str) -> Filters:
        """The current filters, for one deck."""
        return Filters((deck_id,), self.filters.levels, self.filters.tags)

    def set_level(self, level: str | None, *, from_home: bool = False) -> None:
        """Filter by `level` from now on (None: all levels) and remember it."""
        from .screens.home import HomeScreen

        if self.filters.levels == ((level,) if level else ()):
            return
        self.filters = Filters(self.filters.decks, (level,) if level else (), self.filters.tags)
        remember = partial(self.workspace.remember, "level", level or ALL_LEVELS)
        write_in_thread(self, remember, lambda _: None, lambda exc: self.notify(str(exc)))
        if from_home:
            return
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.set_level(level)
        self.notify(f"Level filter: {Level(level).display_name if level else 'all levels'}")

    def start_study(self, filters: Filters) -> None:
        """Open a study session over `filters`."""
        from .screens.study import StudyScreen

        self.guard(
            lambda: self.push_screen(StudyScreen(self.workspace, self.workspace.session(filters)))
        )

    def start_quiz(self, filters: Filters, count: int | None = None) -> None:
        """Open a quiz of `count` items over `filters`."""
        from .screens.quiz import QuizScreen

        try:
            quiz = self.workspace.quiz(filters, count or self.quiz_count)
        except HccquizError as exc:  # a damaged database: one line, exit 1
            self.fail(exc)
            return
        if not quiz.questions:
            self.notify("No items match these filters.", severity="warning")
            if len(self.screen_stack) == 1:
                self.go_home()
            return
        self.push_screen(QuizScreen(self.workspace, quiz))

    def open_browser(self, query: BrowseQuery | None) -> None:
        """Open the card browser on `query` (by default: the current filters' cards)."""
        from .screens.browse import BrowserScreen

        f = self.filters
        query = query or BrowseQuery(decks=f.decks, levels=f.levels, tags=f.tags)
        self.push_screen(BrowserScreen(self.workspace, query))

    def start_quiz_cards(self, card_ids: list[int]) -> None:
        """Open a quiz of exactly these cards."""
        from .screens.quiz import QuizScreen

        quiz = self.workspace.quiz(count=max(1, len(card_ids)), card_ids=card_ids)
        if quiz.questions:  # its result goes back to the browser
            self.push_screen(QuizScreen(self.workspace, quiz, back=True))

    def apply_keymap(self) -> None:
        """Put this machine's key overrides (the ``keymap`` setting) on the bindings."""
        from .keys import stored_keymap

        keymap, problem = stored_keymap(self.workspace.settings)
        if problem:
            self.notify(problem, severity="warning", timeout=8)
        self.set_keymap(keymap)

    def open_stats(self) -> None:
        """Open the statistics screen."""
        from .screens.stats import StatsScreen

        self.guard(lambda: self.push_screen(StatsScreen(self.workspace)))

    def open_settings(self, deck_id: str | None) -> None:
        """Open the settings (with `deck_id`'s own limits); home recounts after a save."""
        from .screens.home import HomeScreen
        from .screens.settings import SettingsScreen

        def saved(changed: bool | None) -> None:
            if changed and isinstance(self.screen, HomeScreen):
                self.screen.refresh_decks()

        self.push_screen(SettingsScreen(self.workspace, deck_id), saved)

    def action_help(self) -> None:
        """Show the help screen."""
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def guard(self, action: Callable[[], object]) -> None:
        """Run `action`; an hccquiz error ends the app with its one-line message, exit 1."""
        try:
            action()
        except HccquizError as exc:
            self.fail(exc)

    def fail(self, error: Exception) -> None:
        """End the app with ``hccquiz: <error>`` and exit 1: the one way the app stops on an
        error, with no traceback."""
        self.exit(return_code=1, message=Text(f"hccquiz: {error}"))

    @on(GoHome)
    def _on_go_home(self) -> None:
        self.go_home()

    @on(StartStudy)
    def _on_start_study(self, message: StartStudy) -> None:
        self.start_study(message.filters)

    @on(StartQuiz)
    def _on_start_quiz(self, message: StartQuiz) -> None:
        self.start_quiz(message.filters, message.count)

    @on(OpenBrowser)
    def _on_open_browser(self, message: OpenBrowser) -> None:
        self.open_browser(message.query)

    @on(StartQuizCards)
    def _on_start_quiz_cards(self, message: StartQuizCards) -> None:
        self.start_quiz_cards(message.card_ids)

    @on(OpenStats)
    def _on_open_stats(self) -> None:
        self.open_stats()

    @on(LevelChosen)
    def _on_level_chosen(self, message: LevelChosen) -> None:
        self.set_level(message.level, from_home=True)

    @on(OpenSettings)
    def _on_open_settings(self, message: OpenSettings) -> None:
        self.open_settings(message.deck_id)

    @on(Failed)
    def _on_failed(self, message: Failed) -> None:
        self.fail(message.error)


def create_app(
    workspace: Workspace,
    *,
    start: StartAt = "home",
    filters: Filters | None = None,
    quiz_count: int = 20,
    browse: BrowseQuery | None = None,
) -> HccquizApp:
    """The app factory used by the CLI and the tests."""
    return HccquizApp(workspace, start=start, filters=filters, quiz_count=quiz_count,
                      browse=browse)  # fmt: skip
