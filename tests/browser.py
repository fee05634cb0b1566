"""Headless Chromium for the report tests: install it if missing, serve a folder, render.

Debian's ``chromium`` package (apt) renders a page headless; ``--dump-dom`` prints the DOM
after the page's scripts ran, ``--screenshot`` writes a PNG, and ``--enable-logging=stderr``
prints every console message as a ``CONSOLE`` line.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
    "--virtual-time-budget=20000",
]


def chromium_executable() -> str:
    """Chromium's path; installs Debian's ``chromium`` with apt when it is missing."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=False, env=environment)
    subprocess.run(
        [*sudo, "apt-get", "install", "-y", "-qq", "chromium"], check=True, env=environment
    )
    found = shutil.which("chromium")
    if not found:
        raise RuntimeError("apt-get installed no chromium")
    return found


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on a free localhost port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class Rendered:
    dom: str
    console: list[str]


def render(url: str, screenshot: Path, *, width: int = 1400, height: int = 5200) -> Rendered:
    """Render ``url``: the DOM after its scripts ran, its console messages, a screenshot."""
    chromium = chromium_executable()
    size = f"--window-size={width},{height}"
    dumped = subprocess.run(
        [chromium, *FLAGS, size, "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [chromium, *FLAGS, size, f"--screenshot={screenshot}", url],
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    console = [line for line in dumped.stderr.splitlines() if ":CONSOLE" in line]
    return Rendered(dumped.stdout, console)
