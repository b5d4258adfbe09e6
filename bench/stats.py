"""What the benchmark measures with: its sample plan, latency distributions, repeated
one-shot measurements and the collected results (shared by ``run.py`` and ``realistic.py``)."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Plan:
    """How many samples each section takes (``--quick`` shrinks them)."""

    edits: int = 200
    min_edits: int = 20
    series_cap_s: float = 45.0  # per edit series on files over ``uncapped_lines``
    uncapped_lines: int = 2000  # the targets' file: always the full count
    request_cap_s: float = 20.0  # per request series, once it has ``min_edits`` samples
    requests: int = 200
    inlay_requests: int = 100
    hover_after_edit: int = 50
    fixture_edits: int = 2  # per fixture and position
    scratch_repeats: dict[int, int] = field(default_factory=lambda: {500: 15, 2000: 9,
                                                                    10_000: 5})
    cold_starts: int = 15  # alternated with the floor's: a ratio of medians needs many
    rss_runs: int = 3
    cli_repeats: int = 5
    cli_big_repeats: int = 3
    tf_runs: int = 3
    tf_cli_runs: int = 15  # the CLI side is ~50 ms: cheap to sample well
    typing_s: float = 60.0
    real_edits: int = 100  # per series on the code-shaped corpus (``realistic.py``)
    real_pastes: int = 20  # paste / delete pairs of a 30-line function
    eco_cli_repeats: int = 2  # the CLI over the ecosystem repositories

    @classmethod
    def quick(cls) -> Plan:
        return cls(edits=50, min_edits=10, series_cap_s=12.0, request_cap_s=8.0,
                   requests=100,
                   inlay_requests=50, hover_after_edit=20, fixture_edits=1,
                   scratch_repeats={500: 5, 2000: 3, 10_000: 2}, cold_starts=3, rss_runs=1,
                   cli_repeats=2, cli_big_repeats=1, tf_runs=1, tf_cli_runs=5,
                   typing_s=10.0, real_edits=30, real_pastes=6, eco_cli_repeats=1)


# -- statistics -----------------------------------------------------------------------------
def percentile(samples: Sequence[float], q: float) -> float:
    """Linear interpolation between closest ranks (``q`` in 0..100)."""
    data = sorted(samples)
    if not data:
        return float("nan")
    pos = (len(data) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(data) - 1)
    return data[low] + (data[high] - data[low]) * (pos - low)


@dataclass
class Dist:
    """A latency distribution in milliseconds."""

    samples: list[float]

    @classmethod
    def of_seconds(cls, seconds: Sequence[float]) -> Dist:
        return cls([s * 1000 for s in seconds])

    @property
    def n(self) -> int:
        return len(self.samples)

    def p(self, q: float) -> float:
        return percentile(self.samples, q)

    @property
    def max(self) -> float:
        return max(self.samples) if self.samples else float("nan")


@dataclass
class Repeated:
    """A one-shot measurement repeated: median and min-max."""

    values: list[float]
    unit: str

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def text(self, digits: int = 0) -> str:
        if len(self.values) == 1:
            return f"{self.values[0]:,.{digits}f} {self.unit} (1 run)"
        return (f"{self.median:,.{digits}f} {self.unit} "
                f"({min(self.values):,.{digits}f}–{max(self.values):,.{digits}f}, "
                f"{len(self.values)} runs)")


@dataclass
class Results:
    """Everything measured, for the console table and RESULTS.md."""

    latency: list[tuple[str, str, Dist, str]] = field(default_factory=list)
    single: list[tuple[str, str, str]] = field(default_factory=list)
    targets: list[tuple[str, str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)

    def add_latency(self, metric: str, file: str, dist: Dist, note: str = "") -> None:
        self.latency.append((metric, file, dist, note))
        print(f"  {metric:<34} {file:<16} n={dist.n:<4} p50={dist.p(50):8.1f} ms "
              f"p95={dist.p(95):8.1f} ms  max={dist.max:8.1f} ms {note}", flush=True)

    def add_single(self, metric: str, value: str, note: str = "") -> None:
        self.single.append((metric, value, note))
        print(f"  {metric:<52} {value} {note}", flush=True)
