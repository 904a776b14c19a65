"""Run a file reader in a child process with a memory and a time limit.

A reader that is asked for more memory than the machine has does not raise: calamine (Rust)
aborts the whole process, and Python may be killed by the kernel. Readers of user files
therefore run through :func:`call`, in a fresh interpreter whose address space is capped
(``RLIMIT_AS``) and which is killed after a deadline, so that a hostile or broken file ends as
:class:`ChildFailed` — which each caller reports as a located message — and the server, job
worker or command that asked lives on. :mod:`econsec.workbook_guard` refuses the known ways
of asking for too much before any child starts; this is the backstop for the unknown ones.

The function and its arguments travel to the child by pickle (a module-level function, plain
data), the result or the exception it raised comes back the same way. The child is started
with ``python -m econsec.isolated`` rather than multiprocessing, so no ``__main__`` module of
the parent (a server, a test runner) is imported again.
"""

from __future__ import annotations

import importlib
import os
import pickle
import signal
import subprocess
import sys
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

MEMORY_BYTES = int(os.environ.get("ECONSEC_READER_MEMORY_MB", "3072")) * 1024 * 1024
SECONDS = float(os.environ.get("ECONSEC_READER_SECONDS", "600"))


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
    payload = pickle.dumps((memory, func.__module__, func.__qualname__, args, kwargs))
    env = {
        **os.environ,
        # The child finds econsec (and everything else) where this process does.
        "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
        # One thread each: numerical libraries reserve address space per thread.
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "RUST_BACKTRACE": "0",
    }
    try:
        done = subprocess.run(
            [sys.executable, "-m", "econsec.isolated"],
            input=payload,
            capture_output=True,
            timeout=seconds,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:  # run() has killed the child
        raise ChildFailed("time", memory=memory, seconds=seconds) from exc
    if done.returncode != 0 or not done.stdout:
        raise _death(done.returncode, done.stderr, memory, seconds)
    outcome, value = pickle.loads(done.stdout)
    if outcome == "ok":
        return value  # type: ignore[no-any-return]
    if outcome == "raised":
        raise value
    raise ChildFailed(outcome, str(value), memory=memory, seconds=seconds)


def _death(code: int, stderr: bytes, memory: int, seconds: float) -> ChildFailed:
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    text = "\n".join(lines)
    # Rust reports a failed allocation before it aborts; the kernel's OOM killer sends SIGKILL.
    out_of_memory = "memory allocation" in text or "MemoryError" in text or code == -signal.SIGKILL
    detail = lines[0][:300] if lines else f"exit status {code}"
    return ChildFailed(
        "memory" if out_of_memory else "crash", detail, memory=memory, seconds=seconds
    )


def _child() -> None:
    """The child's side: read the call, cap memory, run it, write the outcome."""
    result_fd = os.dup(1)
    os.dup2(2, 1)  # anything the reader prints goes to stderr, not into the result
    memory, module, name, args, kwargs = pickle.load(sys.stdin.buffer)
    try:
        import resource

        if memory:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    except (ImportError, ValueError, OSError):  # no rlimits here: the deadline still holds
        pass
    try:
        target: Any = importlib.import_module(module)
        for part in name.split("."):
            target = getattr(target, part)
        outcome: tuple[str, Any] = ("ok", target(*args, **kwargs))
    except MemoryError:
        outcome = ("memory", "MemoryError")
    except BaseException as exc:
        outcome = ("raised", exc)
    try:
        data = pickle.dumps(outcome)
        pickle.loads(data)  # an exception that cannot be rebuilt would fail in the parent
    except MemoryError:
        data = pickle.dumps(("memory", "MemoryError"))
    except Exception as exc:
        data = pickle.dumps(("crash", f"{type(outcome[1]).__name__}: {outcome[1]} ({exc})"))
    with os.fdopen(result_fd, "wb") as out:
        out.write(data)


if __name__ == "__main__":
    _child()
