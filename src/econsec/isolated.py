"""Run a file reader in a child process with a memory and a time limit.

A reader that is asked for more memory than the machine has does not raise: calamine (Rust)
aborts the whole process, and Python may be killed by the kernel. Readers of user files
therefore run through :func:`call`, in a child process whose address space is capped
(``RLIMIT_AS``) and which is killed after a deadline, so that a hostile or broken file ends as
:class:`ChildFailed` — which each caller reports as a located message — and the server, job
worker or command that asked lives on. :mod:`econsec.workbook_guard` refuses the known ways
of asking for too much before any child starts; this is the backstop for the unknown ones.

Children come from a small fork server of our own: a fresh, single-threaded interpreter
started on first use with the readers imported, listening on a private Unix socket, which
forks a child per call in milliseconds (a new interpreter per call cost about a second).
multiprocessing's fork server was not used because it imports the caller's ``__main__`` again
in every child (the CLI, a test runner, a web server). The function and its arguments travel by
pickle (a module-level function, plain data); the result or the exception it raised comes back
the same way. What the child writes to stderr (a Rust allocation failure, a traceback) is kept
in a file and used to say why it died. Without ``fork`` (Windows) the call runs in-process.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pickle
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from typing import IO, Any, TypeVar

T = TypeVar("T")

MEMORY_BYTES = int(os.environ.get("ECONSEC_READER_MEMORY_MB", "3072")) * 1024 * 1024
SECONDS = float(os.environ.get("ECONSEC_READER_SECONDS", "600"))
# Imported once in the fork server, so that each child starts with them loaded; a
# ``module:function`` entry also calls that function (no arguments) to load what the module
# reads lazily (reference tables). A supplier mapping campaign reads a thousand returned
# workbooks, each in a new child: the survey reader imported and its country table read in
# every child cost more than a third of validating them.
PRELOAD: tuple[str, ...] = (
    "econsec.valuechain.intake.readers",
    "econsec.screening.loaders.user_list",
    "econsec.guideline.xlsx_io",
    "econsec.guideline.checklist_import",
    "econsec.survey.answers:preload",
    "python_calamine",
)
_HEADER = struct.Struct("!Q")
_lock = threading.Lock()
_server: _Server | None = None
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
    _last.peak = None
    if not hasattr(os, "fork"):  # no fork server here: the deadline and the cap do not hold
        return func(*args, **kwargs)
    handle, log = tempfile.mkstemp(prefix="econsec-reader-", suffix=".log")
    os.close(handle)
    try:
        request = pickle.dumps((memory, log, func, args, kwargs))
        answer = _ask(request, seconds, memory)
        if answer is None:
            raise _death(_read(log), memory, seconds)
    finally:
        os.unlink(log)
    outcome, value, _last.peak = pickle.loads(answer)
    if outcome == "ok":
        return value  # type: ignore[no-any-return]
    if outcome == "raised":
        raise value
    raise ChildFailed(outcome, str(value), memory=memory, seconds=seconds)


def last_peak_bytes() -> int | None:
    """The peak resident memory of this thread's last child that answered (for logs, tests)."""
    return getattr(_last, "peak", None)


def _ask(request: bytes, seconds: float, memory: int) -> bytes | None:
    """Send ``request`` to a new child; its answer, or None when it died without one."""
    connection = _connect()
    deadline = time.monotonic() + seconds
    pid = 0
    try:
        pid = _HEADER.unpack(_receive(connection, _HEADER.size, deadline))[0]
        connection.sendall(_HEADER.pack(len(request)) + request)
        size = _HEADER.unpack(_receive(connection, _HEADER.size, deadline))[0]
        return _receive(connection, size, deadline)
    except TimeoutError:
        if pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        raise ChildFailed("time", memory=memory, seconds=seconds) from None
    except (EOFError, ConnectionError):
        return None
    finally:
        connection.close()


def _receive(connection: socket.socket, size: int, deadline: float) -> bytes:
    chunks = []
    while size:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([connection], [], [], left)[0]:
            raise TimeoutError
        chunk = connection.recv(min(size, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _connect() -> socket.socket:
    global _server
    with _lock:
        for _attempt in range(2):
            if _server is None or not _server.alive():
                _server = _Server()
            try:
                connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                connection.connect(_server.address)
                return connection
            except OSError:
                connection.close()
                _server.stop()
                _server = None
        raise ChildFailed("crash", "the reader process could not be started")


class _Server:
    """The fork server: started with this process's module path, gone when this process is."""

    def __init__(self) -> None:
        self.owner = os.getpid()
        self.folder = tempfile.mkdtemp(prefix="econsec-readers-")
        self.address = os.path.join(self.folder, "socket")
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
            # One thread each: numerical libraries reserve address space per thread.
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "RUST_BACKTRACE": "0",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "econsec.isolated", self.address, *PRELOAD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        assert self.process.stdout is not None
        ready = self.process.stdout.readline()  # written once the preloads are imported
        if ready.strip() != b"ready":
            self.stop()
            raise ChildFailed("crash", "the reader process did not start")

    def alive(self) -> bool:
        return self.owner == os.getpid() and self.process.poll() is None

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.process.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


def _read(path: str) -> str:
    with open(path, "rb") as handle:
        return handle.read(64 * 1024).decode("utf-8", "replace")


def _death(text: str, memory: int, seconds: float) -> ChildFailed:
    # Rust reports a failed allocation before it aborts the process.
    out_of_memory = "memory allocation" in text or "MemoryError" in text
    lines = text.strip().splitlines()
    detail = lines[0][:300] if lines else "the reader ended without an answer"
    return ChildFailed(
        "memory" if out_of_memory else "crash", detail, memory=memory, seconds=seconds
    )


def _peak() -> int:
    import resource

    kilobytes = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kilobytes * (1 if sys.platform == "darwin" else 1024)  # macOS counts in bytes


# ----------------------------------------------------------------------- the server's side


def _serve(address: str, stdin: IO[bytes], preload: tuple[str, ...] = PRELOAD) -> None:
    """Preload, listen, and fork a child per connection until the parent goes away."""
    for entry in preload:
        name, _, function = entry.partition(":")
        # A preload is only a head start: whatever fails here (a missing module, an unreadable
        # table) is done again, and reported where it belongs, by the read that needs it.
        with contextlib.suppress(Exception):
            module = importlib.import_module(name)
            if function:
                getattr(module, function)()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    os.chmod(address, 0o600)
    listener.listen(64)
    sys.stdout.buffer.write(b"ready\n")
    sys.stdout.flush()
    try:
        while True:
            readable = select.select([listener.fileno(), stdin.fileno()], [], [])[0]
            if stdin.fileno() in readable:  # the parent closed its end: it has gone
                return
            connection, _ = listener.accept()
            if os.fork() == 0:
                listener.close()
                _child(connection)  # never returns
            connection.close()
    finally:
        shutil.rmtree(os.path.dirname(address), ignore_errors=True)


def _child(connection: socket.socket) -> None:
    """A forked child: announce itself, read the call, cap memory, run it, answer, exit."""
    try:
        connection.sendall(_HEADER.pack(os.getpid()))
        size = _HEADER.unpack(_receive(connection, _HEADER.size, time.monotonic() + 60))[0]
        request = _receive(connection, size, time.monotonic() + 60)
        memory, log, func, args, kwargs = pickle.loads(request)
        fd = os.open(log, os.O_WRONLY | os.O_APPEND)
    except BaseException:  # the caller gave up (its deadline) or went away: nothing to say
        os._exit(0)
    try:
        os.dup2(fd, 2)
        os.dup2(fd, 1)  # anything the reader prints is kept with its errors
        if memory:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        try:
            outcome: tuple[str, Any] = ("ok", func(*args, **kwargs))
        except MemoryError:
            outcome = ("memory", "MemoryError")
        except BaseException as exc:
            outcome = ("raised", exc)
        try:
            answer = pickle.dumps((*outcome, _peak()))
            pickle.loads(answer)  # an exception that cannot be rebuilt would fail the parent
        except MemoryError:
            answer = pickle.dumps(("memory", "MemoryError", _peak()))
        except Exception as exc:
            reason = f"{type(outcome[1]).__name__}: {outcome[1]} ({exc})"
            answer = pickle.dumps(("crash", reason, _peak()))
        connection.sendall(_HEADER.pack(len(answer)) + answer)
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


if __name__ == "__main__":
    _serve(sys.argv[1], sys.stdin.buffer, tuple(sys.argv[2:]))
