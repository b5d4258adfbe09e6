"""The language server's memory stays bounded over many edits (``bench/soak.py``): what one
analysis leaves behind is freed within a bounded number of later analyses. Counts of live
objects, never RSS or timings."""

from __future__ import annotations

import gc
import random
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from pygls.workspace import PositionCodec

from shapelens.core import Config, Session
from shapelens.core.interpreter.machine import Interpreter
from shapelens.lsp.results import SET_ASIDE, Collector, analyze_snapshot

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def _interpreters() -> int:
    """Interpreters still tracked: the live ones and the garbage not collected yet."""
    return sum(isinstance(o, Interpreter) for o in gc.get_objects())


def test_garbage_of_many_edits_is_collected_every_few_analyses() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in
                       sorted(FIXTURES.glob("keras/*_ok.py"))[:6])
    session, rng, every = Session(), random.Random(7), 4
    pending: list[Future[object]] = []
    SET_ASIDE[0] = True  # as ``shapelens serve`` has it
    try:
        with ThreadPoolExecutor(max_workers=1) as executor:
            collector = Collector(lambda job: pending.append(executor.submit(job)), every)
            gc.collect()
            start = _interpreters()
            most = 0
            for version in range(1, 61):
                at = rng.randrange(len(source))
                source = source[:at] + rng.choice(["(", "\n", "1", "x = 2\n", ""]) + \
                    source[at:]
                analyze_snapshot("file:///m.py", (version, 0, 0), source, "/m.py", Config(),
                                 PositionCodec(), session=session)
                collector.analysed()
                for job in pending:
                    job.result()
                most = max(most, _interpreters() - start)
            frozen = gc.get_freeze_count()
    finally:
        SET_ASIDE[0] = False
        gc.unfreeze()  # (what the collections set aside: this process's other tests collect)
    assert len(pending) == 60 // every + 1  # and one after the first analysis
    assert most <= every + 1  # never more than the analyses since the last collection
    assert frozen > 0  # what survived the last one is set aside


def test_a_shut_down_worker_takes_no_collection() -> None:
    executor = ThreadPoolExecutor(max_workers=1)
    executor.shutdown()
    collector = Collector(executor.submit, every=1)
    collector.analysed()  # the server is ending: nothing to do, nothing raised
    assert collector.count == 1
