"""The app: screens for home, study, quiz, stats and help, over an injected `Workspace`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from rich.text import Text
from textual import on
from textual.app import App
from textual.binding import Binding
from textual.command import Hit, Hits, Provider

from ..errors import HccquizError
from ..study import Filters, Workspace
from .messages import Failed, GoHome, OpenStats, StartQuiz, StartStudy

__all__ = ["HccquizApp", "StartAt", "create_app"]

StartAt = Literal["home", "study", "quiz", "stats"]


class HccquizCommands(Provider):
    """Command palette entries: study, quiz, stats and help."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app = self.app
        assert isinstance(app, HccquizApp)
        return [
            ("Study all decks", lambda: app.start_study(Filters()), "Due reviews, then new cards"),
            ("Quiz", lambda: app.start_quiz(Filters()), "A quiz that never changes the schedule"),
            ("Statistics", app.open_stats, "Due forecast, retention, streak and mastery"),
            ("Help", app.action_help, "Keys and grading"),
        ]

    async def search(self, query: str) -> Hits:
        """Commands whose name matches `query`."""
        matcher = self.matcher(query)
        for name, action, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), action, help=help_text)


class HccquizApp(App[None]):
    """hccquiz's terminal app. Build it with `create_app`."""

    CSS_PATH = "app.tcss"
    TITLE = "hccquiz"
    COMMANDS = App.COMMANDS | {HccquizCommands}
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
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.start = start
        self.filters = filters or Filters()
        self.quiz_count = quiz_count

    def on_mount(self) -> None:
        """Open the screen asked for on the command line; home comes when it is needed."""
        if self.start == "study":
            self.start_study(self.filters)
        elif self.start == "quiz":
            self.start_quiz(self.filters, self.quiz_count)
        elif self.start == "stats":
            self.open_stats()
        else:
            self.go_home()

    def go_home(self) -> None:
        """Back to the home screen, building it the first time (studying does not need it)."""
        from .screens.home import HomeScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()
        if not isinstance(self.screen, HomeScreen):
            self.push_screen(HomeScreen(self.workspace, self.filters))

    def start_study(self, filters: Filters) -> None:
        """Open a study session over `filters`."""
        from .screens.study import StudyScreen

        self.guard(
            lambda: self.push_screen(StudyScreen(self.workspace, self.workspace.session(filters)))
        )

    def start_quiz(self, filters: Filters, count: int | None = None) -> None:
        """Open a quiz of `count` items over `filters`."""
        from .screens.quiz import QuizScreen

        quiz = self.workspace.quiz(filters, count or self.quiz_count)
        if not quiz.questions:
            self.notify("No items match these filters.", severity="warning")
            if len(self.screen_stack) == 1:
                self.go_home()
            return
        self.push_screen(QuizScreen(self.workspace, quiz))

    def open_stats(self) -> None:
        """Open the statistics screen."""
        from .screens.stats import StatsScreen

        self.guard(lambda: self.push_screen(StatsScreen(self.workspace)))

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

    @on(OpenStats)
    def _on_open_stats(self) -> None:
        self.open_stats()

    @on(Failed)
    def _on_failed(self, message: Failed) -> None:
        self.fail(message.error)


def create_app(
    workspace: Workspace,
    *,
    start: StartAt = "home",
    filters: Filters | None = None,
    quiz_count: int = 20,
) -> HccquizApp:
    """The app factory used by the CLI and the tests."""
    return HccquizApp(workspace, start=start, filters=filters, quiz_count=quiz_count)
