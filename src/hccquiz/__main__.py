"""``python -m hccquiz``: the same as the ``hccquiz`` command."""

from .cli import main

if __name__ == "__main__":
    main()
