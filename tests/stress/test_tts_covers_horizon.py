"""The TTS-covers-the-horizon shortcut against the plain LP (docs/decisions/0074).

When every demand row is served in normal times and TTS reaches the horizon, the engine reports
no loss over the horizon without solving the TTR programme. These cases use short horizons and
random sites so that both the shortcut and the ordinary path are exercised; each answer is
checked against the dense reference LP, and the TTR programme must not be solved exactly when
the shortcut applies.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from econsec.stress import engine as engine_module
from econsec.stress.engine import Engine
from econsec.stress.scenario import Disruption
from econsec.valuechain.compile import compile_tables
from tests.stress.netgen import random_tables
from tests.stress.reference import reference_ttr, reference_tts


def close(a: float, b: float) -> bool:
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def site_down(chain, site: int) -> Disruption:  # type: ignore[no-untyped-def]
    return Disruption(
        np.where(chain.node_site == site, 0.0, 1.0),
        np.zeros(chain.n_links, bool),
        np.zeros(chain.alt_src.shape[0], bool),
    )


@pytest.fixture
def ttr_calls(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    calls: list[float] = []
    original = engine_module._Runner.ttr

    def counted(self, horizon):  # type: ignore[no-untyped-def]
        calls.append(horizon)
        return original(self, horizon)

    monkeypatch.setattr(engine_module._Runner, "ttr", counted)
    return calls


def test_shortcut_matches_plain_lp(ttr_calls: list[float]) -> None:
    covered = solved = 0
    for seed in range(24):
        chain = compile_tables(random_tables(seed, tight=bool(seed % 2)))
        engine = Engine(chain)
        if not engine.prog.baseline_ok:
            continue
        served = np.flatnonzero(engine.prog.served)
        for site in range(len(chain.site_ids)):
            dis = site_down(chain, site)
            for horizon in (0.5, 2.0, 6.0):
                ttr_calls.clear()
                out = engine.run(dis, horizon, per_product=False)
                if out.shortcut:
                    continue
                assert close(out.lost_margin, reference_ttr(chain, dis, horizon))
                assert close(out.tts_weeks, reference_tts(chain, dis, served))
                if out.tts_weeks >= horizon:
                    covered += 1
                    assert not ttr_calls and out.lost_margin == 0.0
                    assert not out.lost_units.any()
                else:
                    solved += 1
                    assert ttr_calls == [horizon]
    # Both paths must have been taken for the comparison to mean anything.
    assert covered >= 10 and solved >= 10, (covered, solved)
