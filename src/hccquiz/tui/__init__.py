"""The Textual study app. The only package that imports textual or rich."""

from .app import HccquizApp, create_app

__all__ = ["HccquizApp", "create_app"]
