"""``hccquiz serve``: the same app in a browser tab, through textual-serve.

textual-serve runs one app process per browser connection (the command given, with
Textual's web driver) and relays its screen and keys over a websocket. Every connection
opens the same progress database; SQLite's locking serialises their writes, as it does
for two terminals. The only textual-serve import.
"""

from __future__ import annotations

import ipaddress
import os
import signal
import socket
import sys
from collections.abc import Callable

from ..errors import HccquizError

__all__ = ["ignore_late_interrupts", "is_local", "public_url", "serve"]


def is_local(host: str) -> bool:
    """True when `host` is reachable from this machine only (a loopback address or
    ``localhost``)."""
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def public_url(host: str, port: int) -> str:
    """The address a browser opens: `host`'s, or this machine's name when `host` is every
    interface (``0.0.0.0``, ``::``), which no browser can open."""
    name = host.strip("[]")
    if name in ("0.0.0.0", "::", ""):
        name = socket.gethostname()
    if ":" in name:
        name = f"[{name}]"
    return f"http://{name}:{port}"


def serve(command: str, host: str, port: int, url: str | None = None) -> None:
    """Serve `command` (an hccquiz app command line) on `host`:`port` until interrupted;
    `HccquizError` with one line if the port cannot be used."""
    from textual_serve.server import Server

    sys.unraisablehook = _quiet_closed_loop(sys.unraisablehook)
    server = Server(command, host=host, port=port, title="hccquiz",
                    public_url=url or public_url(host, port))  # fmt: skip
    try:
        server.serve()
    except OSError as exc:
        raise HccquizError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None


def _quiet_closed_loop(
    hook: Callable[[sys.UnraisableHookArgs], object],
) -> Callable[[sys.UnraisableHookArgs], object]:
    """`hook`, except for asyncio's "Event loop is closed" from a subprocess transport
    collected after the server's loop has closed (a browser tab's app still running when
    the server is stopped): Python would print it as a traceback, though nothing failed.
    Installed for the rest of the process, since the collection can come at exit."""

    def quiet(args: sys.UnraisableHookArgs) -> None:
        if isinstance(args.exc_value, RuntimeError) and str(args.exc_value) == (
            "Event loop is closed"
        ):
            return
        hook(args)

    return quiet


def ignore_late_interrupts() -> None:
    """Called when an app has closed. In an app a browser tab runs (textual-serve's web
    driver, in the server's process group), Ctrl+C on ``hccquiz serve`` reaches the app
    too; the server closes the app, and a SIGINT that lands after the app's event loop
    has gone would print a KeyboardInterrupt traceback while Python joins its threads.
    Nothing is left to interrupt, so the app process ignores it. In a terminal, nothing
    changes."""
    if "web_driver" in os.environ.get("TEXTUAL_DRIVER", ""):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
