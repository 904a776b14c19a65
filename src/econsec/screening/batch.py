"""Screen many subjects on worker processes, the index shipped once to each worker.

A worker receives the index through the pool's initializer (pickled once per worker, not once
per task) and loads the transliteration dictionaries before its first task: pykakasi and
pypinyin take seconds to load, which would otherwise land inside the first names screened.
Results come back in the order of the subjects, so the outcome does not depend on the number of
workers.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from econsec.screening.index import ScreeningIndex
from econsec.screening.normalise import generic_words, name_forms
from econsec.screening.scoring import DEFAULT_CONFIG, Match, ScreeningConfig, Subject

# Names in every script the engine reads: each loads its tables once.
_WARM_NAMES = (
    "株式会社東京精密",
    "华为技术有限公司",
    "ソニー",
    "정은",
    "Иванов",
    "محمد",
    "Müller GmbH",
)

_WORKER: tuple[ScreeningIndex, ScreeningConfig] | None = None
_BARRIER: Any = None


def warm_up() -> None:
    """Load the transliteration dictionaries and data tables now rather than on first use."""
    generic_words()
    for name in _WARM_NAMES:
        name_forms(name)


def _init_worker(index: ScreeningIndex, config: ScreeningConfig, barrier: Any = None) -> None:
    global _WORKER, _BARRIER
    _WORKER = (index, config)
    _BARRIER = barrier
    warm_up()


def _screen_chunk(subjects: list[Subject]) -> list[list[Match]]:
    if _WORKER is None:  # pragma: no cover - the initializer always runs first
        raise RuntimeError("worker not initialised")
    index, config = _WORKER
    return [index.screen(s, config) for s in subjects]


def screen_many(
    index: ScreeningIndex,
    subjects: Sequence[Subject],
    *,
    config: ScreeningConfig = DEFAULT_CONFIG,
    workers: int = 1,
    chunk_size: int = 250,
    progress: Callable[[int, int], None] | None = None,
) -> list[list[Match]]:
    """The matches of each subject (same order as ``subjects``), on ``workers`` processes.

    ``workers=1`` screens in this process. ``progress(done, total)`` is called after each chunk.
    """
    total = len(subjects)
    chunks = [list(subjects[i : i + chunk_size]) for i in range(0, total, chunk_size)]
    out: list[list[Match]] = []
    if workers <= 1 or len(chunks) <= 1:
        for part in chunks:
            out += [index.screen(s, config) for s in part]
            if progress:
                progress(len(out), total)
        return out
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(index, config)) as pool:
        for result in pool.map(_screen_chunk, chunks):
            out += result
            if progress:
                progress(len(out), total)
    return out


def start_pool(
    index: ScreeningIndex, config: ScreeningConfig = DEFAULT_CONFIG, workers: int = 2
) -> ProcessPoolExecutor:
    """A pool whose workers all hold ``index`` and are warmed up; submit :func:`screen_chunk`.

    Returns only once every worker has finished its initializer: each of ``workers`` tasks waits
    at a barrier, so no worker can take two of them, and a worker still loading its index would
    hold the others back until it is ready.
    """
    context = multiprocessing.get_context()
    barrier = context.Barrier(workers)
    pool = ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init_worker, initargs=(index, config, barrier)
    )
    list(pool.map(_meet, range(workers)))
    return pool


def _meet(_: int) -> None:
    _BARRIER.wait(timeout=600)


def screen_chunk(subjects: list[Subject]) -> list[list[Match]]:
    """Screen a chunk inside a worker of :func:`start_pool`."""
    return _screen_chunk(subjects)
