"""A real headless Chromium driven over the DevTools protocol, for `hccquiz serve`.

Debian's ``chromium`` runs headless with a private profile; every host but 127.0.0.1 fails
to resolve (``--host-resolver-rules``), so nothing leaves this machine (the page asks for
a web font, which simply fails). The protocol is spoken over a websocket with aiohttp,
which textual-serve already brings. The terminal's text is read from the websocket frames
the page receives (the app's output), with the escape codes taken out.

Run as a script to take the screenshot in docs/: ``python tests/serve_support.py
docs/serve.png`` (a fresh progress database, the study app's first card, answer shown).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ANSI = re.compile(rb"\x1b\[[0-9;?<>=!]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b.")
ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Browser:
    """One headless Chromium with one page, driven over the DevTools protocol."""

    def __init__(self, profile: Path, size: tuple[int, int] = (1000, 640)) -> None:
        assert CHROMIUM, "chromium is not installed (apt-get install chromium)"
        self.profile = profile
        self.process = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--no-first-run", "--disable-extensions",
             f"--user-data-dir={profile}", "--remote-debugging-port=0",
             "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
             f"--window-size={size[0]},{size[1]}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.screen = b""
        self.before = b""  # drawn before the last `mark`
        self._next = 0
        self._waiting: dict[int, asyncio.Future[dict[str, Any]]] = {}

    async def __aenter__(self) -> Browser:
        try:
            port_file = self.profile / "DevToolsActivePort"
            deadline = time.monotonic() + 30
            while not (port_file.exists() and port_file.read_text().count("\n") >= 1):
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("chromium did not start")
                await asyncio.sleep(0.05)
            port = int(port_file.read_text().split()[0])
            self.http = aiohttp.ClientSession()
            url = f"http://127.0.0.1:{port}/json/list"
            async with self.http.get(url, timeout=aiohttp.ClientTimeout(total=30)) as response:
                pages = [t for t in await response.json() if t["type"] == "page"]
            self.ws = await self.http.ws_connect(pages[0]["webSocketDebuggerUrl"],
                                                 max_msg_size=0)  # fmt: skip
            self.reader = asyncio.create_task(self._read())
            await self.call("Network.enable")
            await self.call("Page.enable")
        except BaseException:
            await self.__aexit__()  # never leave a chromium behind
            raise
        return self

    async def __aexit__(self, *exc: object) -> None:
        if hasattr(self, "reader"):
            self.reader.cancel()
        if hasattr(self, "ws"):
            await self.ws.close()
        if hasattr(self, "http"):
            await self.http.close()
        stop(self.process)

    async def _read(self) -> None:
        async for message in self.ws:
            data = json.loads(message.data)
            if "id" in data and data["id"] in self._waiting:
                self._waiting.pop(data["id"]).set_result(data)
            elif data.get("method") == "Network.webSocketFrameReceived":
                response = data["params"]["response"]
                payload = response["payloadData"]
                raw = base64.b64decode(payload) if response["opcode"] == 2 else payload.encode()
                self.screen += raw

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one DevTools command and return its result."""
        self._next += 1
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiting[self._next] = future
        await self.ws.send_str(json.dumps({"id": self._next, "method": method, "params": params}))
        reply = await asyncio.wait_for(future, 30)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return dict(reply.get("result", {}))

    def text(self) -> str:
        """Everything the app has drawn so far, as plain text."""
        return ANSI.sub(b"", self.screen).decode("utf-8", "replace")

    async def wait_for(self, words: str, timeout: float = 60) -> None:
        """Wait until the app has drawn `words` since the last `mark`."""
        deadline = time.monotonic() + timeout
        while words not in self.text():
            if time.monotonic() > deadline:
                raise AssertionError(f"the page never showed {words!r}:\n{self.text()[-2000:]}")
            await asyncio.sleep(0.1)

    def mark(self) -> None:
        """Set aside what was drawn so far (the next `wait_for` looks at new output only)."""
        self.before += self.screen
        self.screen = b""

    def transcript(self) -> str:
        """Everything the app has drawn since the page opened, as plain text."""
        return ANSI.sub(b"", self.before + self.screen).decode("utf-8", "replace")

    async def key(self, text: str) -> None:
        """Type one key into the terminal on the page."""
        code = "Space" if text == " " else f"Key{text.upper()}" if text.isalpha() else ""
        for kind in ("keyDown", "keyUp"):
            extra = {"text": text} if kind == "keyDown" else {}
            await self.call("Input.dispatchKeyEvent", type=kind, key=text, code=code, **extra)

    async def focus_terminal(self) -> None:
        """Give the terminal the keyboard, as a click on it would."""
        await self.call(
            "Runtime.evaluate",
            expression="document.querySelector('.xterm-helper-textarea').focus()",
        )


def stop(process: subprocess.Popen[bytes], group: bool = False) -> None:
    """End `process`: SIGTERM, then SIGKILL if it is still there after 10 s. With `group`,
    its whole process group, first as Ctrl+C in a terminal does (SIGINT)."""
    for sig in (signal.SIGINT,) * group + (signal.SIGTERM, signal.SIGKILL):
        if process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig) if group else process.send_signal(sig)
        try:
            process.wait(10)
            break
        except subprocess.TimeoutExpired:
            continue
    if group:  # the apps textual-serve started, if any outlived the server
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


def start_server(db: Path, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """``hccquiz serve`` on `port` with progress in `db`, in its own process group; what it
    prints goes to ``serve.log`` beside the database."""
    with (db.parent / "serve.log").open("wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "hccquiz", "serve", "--port", str(port), "--db", str(db)],
            cwd=db.parent, env={**os.environ, **env}, start_new_session=True,
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip


async def wait_for_port(port: int, server: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """Wait until `server` listens on `port` (an error, with its output, if it ends)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log = Path(str(server.args[-1])).parent / "serve.log"  # type: ignore[index]
            raise AssertionError(f"hccquiz serve ended: {log.read_text(errors='replace')}")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.1)
    raise AssertionError(f"nothing listens on port {port}")


async def wait_for_review(db: Path, timeout: float = 30) -> None:
    """Wait until the progress database holds a review (the grade is saved off the UI
    thread, so it lands a moment after the key)."""
    from hccquiz.store import Store

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with Store.open(db, create=False) as store:
            if store.reviews():
                return
        await asyncio.sleep(0.2)
    raise AssertionError(f"no review reached {db} within {timeout} s")


async def study_one_card(work: Path, screenshot: Path | None = None) -> str:
    """Serve, open the page, study the first card (reveal, Good); returns all the text
    the page drew. Saves a screenshot of the revealed card to `screenshot` if given."""
    port = free_port()
    server = start_server(work / "progress.db", port, {"HCCQUIZ_CONFIG": str(work / "s.json")})
    try:
        await wait_for_port(port, server)
        async with Browser(work / "profile") as browser:
            await browser.call("Page.navigate", url=f"http://127.0.0.1:{port}/")
            await browser.wait_for("Left today")  # the home screen, in the browser tab
            await browser.focus_terminal()
            browser.mark()
            await browser.key("s")
            await browser.wait_for("Show answer")  # the first card
            browser.mark()
            await browser.key(" ")
            await browser.wait_for("Good")  # the answer and the grade buttons
            await asyncio.sleep(0.5)
            if screenshot is not None:
                shot = await browser.call("Page.captureScreenshot", format="png")
                screenshot.write_bytes(base64.b64decode(shot["data"]))
            await browser.key("3")
            await wait_for_review(work / "progress.db")
            return browser.transcript()
    finally:
        stop(server, group=True)


if __name__ == "__main__":
    target = Path(sys.argv[1]).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(study_one_card(Path(tmp), target))
    print(f"wrote {target}")
