"""``python -m hccquiz``: the same as the ``hccquiz`` command."""

from .cli import main

__all__: list[str] = []

if __name__ == "__main__":
    main()
