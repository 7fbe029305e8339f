"""The start-up peer of the TUI benchmark: a bare Textual app showing one label."""

from textual.app import App, ComposeResult
from textual.widgets import Label


class Bare(App[None]):
    """One label, nothing else."""

    def compose(self) -> ComposeResult:
        """The label the benchmark waits for."""
        yield Label("hccquiz-bare-ready")


if __name__ == "__main__":
    Bare().run()
