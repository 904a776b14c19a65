"""Run a file reader in a child process with a memory and a time limit.

A reader that is asked for more memory than the machine has does not raise: calamine (Rust)
aborts the whole process, and Python may be killed by the kernel. Readers of user files
therefore run through :func:`call`, in a child process whose address space is capped
(``RLIMIT_AS``) and which is killed after a deadline, so that a hostile or broken file ends as
:class:`ChildFailed` — which each caller reports as a located message — and the server, job
worker or command that asked lives on. :mod:`econsec.workbook_guard` refuses the known ways
of asking for too much before any child starts; this is the backstop for the unknown ones.

Children come from multiprocessing's fork server: one clean, single-threaded process started
on first use with the readers already imported, which forks a child per call in milliseconds
(starting a fresh interpreter each time cost about a second). The function and its arguments
travel by pickle (a module-level function, plain data); the result or the exception it raised
comes back the same way. What the child writes to stderr (a Rust allocation failure, a
traceback) is kept in a file and used to say why it died.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import signal
import sys
import tempfile
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from typing import Any, TypeVar

T = TypeVar("T")

MEMORY_BYTES = int(os.environ.get("ECONSEC_READER_MEMORY_MB", "3072")) * 1024 * 1024
SECONDS = float(os.environ.get("ECONSEC_READER_SECONDS", "600"))
# Imported once in the fork server, so that each child starts with them loaded.
PRELOAD = [
    "econsec.valuechain.intake.readers",
    "econsec.screening.loaders.user_list",
    "econsec.guideline.xlsx_io",
    "econsec.guideline.checklist_import",
    "python_calamine",
]
_lock = threading.Lock()
_context: BaseContext | None = None
_last = threading.local()


class ChildFailed(Exception):
    """The child died or overran. ``reason``: ``memory``, ``time`` or ``crash``."""

    def __init__(self, reason: str, detail: str = "", *, memory: int = 0, seconds: float = 0):
        self.reason = reason
        self.detail = detail
        self.memory_mb = memory // (1024 * 1024)
        self.seconds = seconds
        super().__init__(f"{reason}: {detail}" if detail else reason)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_failed, (self.reason, self.detail, self.memory_mb, self.seconds))

    @property
    def key(self) -> str:
        """The message id saying what happened to the reader of a file."""
        return {"memory": "workbook.too_costly", "time": "workbook.too_slow"}.get(
            self.reason, "workbook.reader_failed"
        )

    def fields(self, file: str) -> dict[str, Any]:
        """The message's parameters for ``file``."""
        return {
            "file": file, "limit": self.memory_mb, "seconds": int(self.seconds),
            "reason": self.detail,
        }  # fmt: skip


def _failed(reason: str, detail: str, memory_mb: int, seconds: float) -> ChildFailed:
    return ChildFailed(reason, detail, memory=memory_mb * 1024 * 1024, seconds=seconds)


def _get_context() -> BaseContext:
    global _context
    with _lock:
        if _context is None:
            if "forkserver" in multiprocessing.get_all_start_methods():
                server = multiprocessing.get_context("forkserver")
                # Only these: not the parent's __main__ (a server, a test runner).
                server.set_forkserver_preload(PRELOAD)
                _context = server
            else:  # Windows: a fresh interpreter per call
                _context = multiprocessing.get_context("spawn")
        return _context


def call(
    func: Callable[..., T],
    *args: Any,
    memory: int | None = None,
    seconds: float | None = None,
    **kwargs: Any,
) -> T:
    """``func(*args, **kwargs)`` in a child process; its result, or the exception it raised.

    Raises :class:`ChildFailed` when the child exceeds ``memory`` bytes of address space or
    ``seconds`` of wall time, or dies for another reason.
    """
    memory = MEMORY_BYTES if memory is None else memory
    seconds = SECONDS if seconds is None else seconds
    context = _get_context()
    _last.peak = None
    receive, send = context.Pipe(duplex=False)
    handle, log = tempfile.mkstemp(prefix="econsec-reader-", suffix=".log")
    os.close(handle)
    child = context.Process(  # type: ignore[attr-defined]
        target=_child, args=(send, log, memory, func, args, kwargs), name="econsec-reader"
    )
    try:
        child.start()
        send.close()  # the child holds the only writer now: its death reads as end of file
        data = None
        if receive.poll(seconds):
            with contextlib.suppress(EOFError):  # the child died without answering
                data = receive.recv_bytes()
        else:
            child.kill()
            child.join()
            raise ChildFailed("time", memory=memory, seconds=seconds)
        child.join()
        if data is None:
            raise _death(child.exitcode or 0, _read(log), memory, seconds)
        outcome, value, _last.peak = pickle.loads(data)
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
            child.join()
        os.unlink(log)
    if outcome == "ok":
        return value  # type: ignore[no-any-return]
    if outcome == "raised":
        raise value
    raise ChildFailed(outcome, str(value), memory=memory, seconds=seconds)


def last_peak_bytes() -> int | None:
    """The peak resident memory of this thread's last child that answered (for logs, tests)."""
    return getattr(_last, "peak", None)


def _peak() -> int:
    try:
        import resource
    except ImportError:
        return 0
    kilobytes = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kilobytes * (1 if sys.platform == "darwin" else 1024)  # macOS counts in bytes


def _read(path: str) -> str:
    with open(path, "rb") as handle:
        return handle.read(64 * 1024).decode("utf-8", "replace")


def _death(code: int, text: str, memory: int, seconds: float) -> ChildFailed:
    # Rust reports a failed allocation before it aborts; the kernel's OOM killer sends SIGKILL.
    out_of_memory = "memory allocation" in text or "MemoryError" in text or code == -signal.SIGKILL
    lines = text.strip().splitlines()
    detail = lines[0][:300] if lines else f"exit status {code}"
    return ChildFailed(
        "memory" if out_of_memory else "crash", detail, memory=memory, seconds=seconds
    )


def _child(
    send: Connection,
    log: str,
    memory: int,
    func: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> None:
    """The child's side: keep stderr, cap memory, run the call, send the outcome."""
    fd = os.open(log, os.O_WRONLY | os.O_APPEND)
    os.dup2(fd, 2)
    os.dup2(fd, 1)  # anything the reader prints is kept with its errors
    os.environ["RUST_BACKTRACE"] = "0"
    try:
        import resource

        if memory:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    except (ImportError, ValueError, OSError):  # no rlimits here: the deadline still holds
        pass
    try:
        outcome: tuple[str, Any] = ("ok", func(*args, **kwargs))
    except MemoryError:
        outcome = ("memory", "MemoryError")
    except BaseException as exc:
        outcome = ("raised", exc)
    try:
        data = pickle.dumps((*outcome, _peak()))
        pickle.loads(data)  # an exception that cannot be rebuilt would fail in the parent
    except MemoryError:
        data = pickle.dumps(("memory", "MemoryError", _peak()))
    except Exception as exc:
        reason = f"{type(outcome[1]).__name__}: {outcome[1]} ({exc})"
        data = pickle.dumps(("crash", reason, _peak()))
    send.send_bytes(data)
    send.close()
    sys.stdout.flush()
