"""Real servers started by tests (slapd, dovecot …): a free loopback port, the program, start-up and stop.

Each server's own module writes its configuration and knows how to ask it whether it answers; the
plumbing around the process is the same for all of them and lives here.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Callable

SBIN_DIRS = "/usr/sbin:/usr/local/sbin:/sbin"


def free_port() -> int:
    """A free TCP port on 127.0.0.1 (for servers that cannot listen on port 0 and report it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def find_program(name: str, missing: str, error: type[Exception] = RuntimeError) -> str:
    """The path of ``name`` (sbin directories first); ``missing`` tells the reader how to install it."""
    path = shutil.which(name, path=SBIN_DIRS) or shutil.which(name)
    if path is None:
        raise error(f"{name} is not installed: {missing}")
    return path


def wait_until_ready(
    process: subprocess.Popen[bytes],
    probe: Callable[[], object],
    *,
    down: tuple[type[BaseException], ...],
    name: str,
    where: str,
    log: Callable[[], str],
    timeout: float,
    interval: float,
    error: type[Exception] = RuntimeError,
) -> None:
    """Call ``probe`` until it stops raising one of ``down``.

    Fails with the server's log when the process exits or does not answer within ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise error(f"{name} exited with status {process.returncode}:\n{log()}")
        try:
            probe()
        except down:
            time.sleep(interval)
        else:
            return
    raise error(f"{name} did not answer on {where} within {timeout:.0f} s:\n{log()}")


def stop(process: subprocess.Popen[bytes] | None) -> None:
    """Terminate the server, killing it if it does not stop within five seconds."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
