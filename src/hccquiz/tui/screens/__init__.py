"""The app's screens: home, study, quiz, summary, stats and help."""

__all__: list[str] = []
