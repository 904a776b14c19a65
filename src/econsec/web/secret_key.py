"""The secret key of an installation that runs outside production mode.

Django signs sessions, CSRF tokens and password-reset links with ``SECRET_KEY``. A key shared by
every installation (a string in the source) would let anyone forge those for any installation,
so each one generates its own on first start and keeps it in its data directory, readable by
its owner only. Production mode still demands ``ECONSEC_SECRET_KEY``
(docs/decisions/0050-web-serving.md).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

FILE_NAME = "secret_key"
_MIN_LENGTH = 50


def installation_key(folder: Path) -> str:
    """The key stored in ``folder``, created (mode 0600) on first use."""
    path = folder / FILE_NAME
    try:
        key = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        key = ""
    if len(key) >= _MIN_LENGTH:
        return key
    # Written in full to a private temporary file, then linked into place: linking fails when
    # another process got there first, and then its key is the one every process uses.
    fd, tmp = _private_file(folder)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(secrets.token_urlsafe(64) + "\n")
        with contextlib.suppress(FileExistsError):
            if path.exists():
                path.unlink()  # too short to be a key: replace it
            os.link(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return path.read_text(encoding="ascii").strip()


def _private_file(folder: Path) -> tuple[int, str]:
    name = str(folder / f".{FILE_NAME}.{os.getpid()}.{secrets.token_hex(4)}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    return os.open(name, flags, 0o600), name
