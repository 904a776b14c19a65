"""What a hostile input may cost: a few seconds and a few hundred MB, measured for real.

Resident memory is sampled every few milliseconds, for this process and every process below it
(the readers' fork server and its children), while the entry point runs; a reader child also
reports its own peak (econsec.isolated). A wall-clock limit this loose is not a speed test: a
refused input takes milliseconds, and one that slipped through would take minutes.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psutil

from econsec import isolated

SECONDS = 5.0
GROWTH_BYTES = 200 * 1024 * 1024  # this process, above what it held before
CHILD_BYTES = 400 * 1024 * 1024  # any process below it
MB = 1024 * 1024


@dataclass
class Spent:
    seconds: float = 0.0
    growth: int = 0
    child_peak: int = 0

    def check(self) -> None:
        assert self.seconds < SECONDS, f"took {self.seconds:.1f} s"
        assert self.growth < GROWTH_BYTES, f"this process grew by {self.growth // MB} MB"
        assert self.child_peak < CHILD_BYTES, f"a child process held {self.child_peak // MB} MB"


@contextmanager
def measured() -> Iterator[Spent]:
    """Time and memory of the block (see :class:`Spent`); check them with ``spent.check()``."""
    spent = Spent()
    me = psutil.Process()
    base = me.memory_info().rss
    peaks = {"self": base, "child": 0}
    done = threading.Event()
    isolated._last.peak = None  # count only the children of this block

    def sample() -> None:
        while not done.wait(0.003):
            peaks["self"] = max(peaks["self"], me.memory_info().rss)
            for child in me.children(recursive=True):
                with contextlib.suppress(psutil.Error):  # it may have ended since the listing
                    peaks["child"] = max(peaks["child"], child.memory_info().rss)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = time.perf_counter()
    try:
        yield spent
    finally:
        spent.seconds = time.perf_counter() - start
        done.set()
        sampler.join()
        peaks["self"] = max(peaks["self"], me.memory_info().rss)
        spent.growth = peaks["self"] - base
        spent.child_peak = max(peaks["child"], isolated.last_peak_bytes() or 0)


@dataclass
class Run:
    returncode: int
    output: str
    seconds: float
    peak: int  # the largest sum of resident memory over the process and its descendants


def run_measured(command: list[str], env: dict[str, str], timeout: float = 120) -> Run:
    """Run ``command``, sampling the resident memory of its whole process tree."""
    start = time.perf_counter()
    process = psutil.Popen(command, env=env, stdout=-1, stderr=-2, text=True)
    peak = 0
    while process.poll() is None:
        total = 0
        with contextlib.suppress(psutil.Error):
            total = process.memory_info().rss
            for child in process.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    total += child.memory_info().rss
        peak = max(peak, total)
        if time.perf_counter() - start > timeout:
            process.kill()
        time.sleep(0.005)
    output = process.stdout.read() if process.stdout else ""
    return Run(process.returncode, output, time.perf_counter() - start, peak)
