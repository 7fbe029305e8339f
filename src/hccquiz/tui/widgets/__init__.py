"""Widgets shared by the screens: the card, the grade buttons and the charts."""

__all__: list[str] = []
