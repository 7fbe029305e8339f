"""Card text: Markdown for the terminal (`terminal`), safe HTML for Anki (`html`), and the
one Markdown parser setup both use (`markdown`)."""

__all__: list[str] = []
