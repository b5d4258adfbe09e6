"""The random-program oracle, run for as long as you like.

    python bench/fuzz.py --minutes N [--seed S] [--out DIR] [--kind KIND] [--no-shrink]

Generates programs from seed S on (``tests/oracle/genprog``), runs each under TensorFlow in
this one process (imported once; a fresh namespace and a time budget per program) and under
the engine, and prints: programs tried, TF failures vs. runs, false alarms, shape
disagreements, misses (TF raised where the engine knew every input and said nothing that
names the error) and engine crashes. Every false alarm, disagreement or crash is shrunk
(statements dropped while the same kind of failure persists) and written to DIR (default
``bench/fuzz-out``) as ``<name>.py``, with a header saying what failed: copy the ones that
are real engine bugs to ``tests/oracle/regressions/`` once fixed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "oracle"))
sys.path.insert(0, str(ROOT / "tests"))

from genprog import generate  # noqa: E402
from genprog.check import Verdict  # noqa: E402
from genprog.run import Session  # noqa: E402
from genprog.shrink import shrink  # noqa: E402


def header(verdict: Verdict, seed: int, kind: str) -> str:
    """A comment block that says what the program showed (kept in the regression file)."""
    lines = ["# ruff: noqa", f"# shrunk from genprog seed {seed} ({kind})"]
    lines += [f"# false alarm: {p}" for p in verdict.false_alarms]
    lines += [f"# disagreement: {p}" for p in verdict.disagreements]
    if verdict.crash:
        lines.append(f"# engine crash: {verdict.crash}")
    return "\n".join(line.replace("\n", " ")[:300] for line in lines) + "\n"


def shrink_failure(session: Session, source: str, verdict: Verdict,
                   name: str) -> tuple[str, Verdict]:
    """The shrunk program and its verdict (same failure signature as ``verdict``)."""
    wanted = verdict.signature()
    counter = [0]

    def still_fails(text: str) -> bool:
        counter[0] += 1
        got, _ = session.evaluate(text, f"{name}_s{counter[0] % 4}")
        return got.signature() == wanted

    small = shrink(source, still_fails)
    final, _ = session.evaluate(small, f"{name}_final")
    return small, final


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=100_000)
    parser.add_argument("--count", type=int, default=0, help="stop after this many programs")
    parser.add_argument("--kind", default=None, help="only this kind (chain, tape, keras...)")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "shapelens-fuzz")
    parser.add_argument("--no-shrink", action="store_true")
    parser.add_argument("--known-bugs", action="store_true",
                        help="also generate constructs left out for known engine bugs")
    parser.add_argument("--verbose", action="store_true", help="print every failing program")
    parser.add_argument("--sweep", action="store_true",
                        help="run the probe sweep (genprog/sweep.py) instead of random programs")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="shapelens-fuzz-"))
    session = Session(work)
    import_s = time.perf_counter() - started
    args.out.mkdir(parents=True, exist_ok=True)
    deadline = started + args.minutes * 60
    stats: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    seen_signatures: Counter[str] = Counter()
    if args.sweep:
        return _sweep(session)
    try:
        seed = _loop(args, session, deadline, stats, kinds, seen_signatures)
    except KeyboardInterrupt:  # Ctrl-C / SIGINT: stop and print what was seen so far
        seed = args.seed + stats["programs"] + stats["generator_errors"]
        print("interrupted", flush=True)
    _summary(args, stats, kinds, seen_signatures, started, import_s, seed)
    os.environ.get("SHAPELENS_FUZZ_KEEP") or _cleanup(work)
    return 1 if stats["false_alarms"] or stats["disagreements"] or stats["crashes"] else 0


def _loop(args: argparse.Namespace, session: Session, deadline: float, stats: Counter[str],
          kinds: Counter[str], seen_signatures: Counter[str]) -> int:
    """Generate, run and judge programs until the deadline; returns the next seed."""
    started = time.perf_counter()
    seed = args.seed
    while time.perf_counter() < deadline and not (args.count and stats["programs"] >= args.count):
        try:
            program = generate(seed, kind=args.kind, known_bugs=args.known_bugs)
        except Exception as exc:  # a generator bug must not end the run
            print(f"GENERATOR ERROR seed {seed}: {type(exc).__name__}: {exc}", flush=True)
            stats["generator_errors"] += 1
            seed += 1
            continue
        seed += 1
        verdict, _record = session.evaluate(program.source, "prog")
        stats["programs"] += 1
        if stats["programs"] % 500 == 0:
            print(f"... {stats['programs']} programs, {time.perf_counter() - started:.0f} s, "
                  f"{stats['false_alarms']} false alarms, {stats['disagreements']} "
                  f"disagreements, {stats['misses']} misses", flush=True)
        kinds[program.kind] += 1
        stats["tf_failed" if verdict.tf_error else "tf_ran"] += 1
        stats["false_alarms"] += len(verdict.false_alarms)
        stats["disagreements"] += len(verdict.disagreements)
        stats["misses"] += len(verdict.misses)
        stats["hits"] += verdict.hits
        stats["judged_errors"] += verdict.judged_errors
        stats["shapes_compared"] += verdict.shapes_compared
        stats["crashes"] += bool(verdict.crash)
        if verdict.tf_error and verdict.tf_error["type"] == "FixtureTimeout":
            stats["timeouts"] += 1
        for miss in verdict.misses:
            print(f"MISS {program.name}: {miss}", flush=True)
        if not verdict.failed:
            continue
        stats["failing_programs"] += 1
        signature = verdict.signature()
        seen_signatures[signature] += 1
        print(f"FAIL {program.name} [{signature}]: "
              f"{(verdict.false_alarms + verdict.disagreements + [verdict.crash or ''])[0]}",
              flush=True)
        if args.verbose:
            print(program.source)
        if args.no_shrink or seen_signatures[signature] > 3:
            continue
        small, final = shrink_failure(session, program.source, verdict, program.name)
        target = args.out / f"{program.name}.py"
        target.write_text(header(final, program.seed, program.kind) + small, encoding="utf-8")
        print(f"  shrunk to {len(small.splitlines())} lines: {target}", flush=True)
    return seed


def _summary(args: argparse.Namespace, stats: Counter[str], kinds: Counter[str],
             seen_signatures: Counter[str], started: float, import_s: float, seed: int) -> None:
    elapsed = time.perf_counter() - started
    n = max(stats["programs"], 1)
    print(f"\n{stats['programs']} programs in {elapsed:.0f} s "
          f"({stats['programs'] / max(elapsed - import_s, 1e-9):.1f}/s after a {import_s:.1f} s "
          f"TF import), seeds {args.seed}..{seed - 1}")
    print("kinds: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    print(f"TF failures: {stats['tf_failed']} ({stats['tf_failed'] / n:.1%}), "
          f"runs: {stats['tf_ran']}, timeouts: {stats['timeouts']}, "
          f"generator errors: {stats['generator_errors']}")
    print(f"false alarms: {stats['false_alarms']}, shape disagreements: "
          f"{stats['disagreements']} ({stats['shapes_compared']} shapes compared), "
          f"engine crashes: {stats['crashes']}, failing programs: {stats['failing_programs']}")
    print(f"misses: {stats['misses']} of {stats['judged_errors']} TF errors where the engine "
          f"knew every input ({stats['hits']} reported with the rule that names them)")
    for signature, count in seen_signatures.most_common():
        print(f"  {signature}: {count}")
    print(f"shrunk failures: {args.out}")


def _sweep(session: Session) -> int:
    """Every probe in every context once; prints each problem and a count."""
    from genprog.sweep import sweep_programs

    ran = problems = 0
    for name, source in sweep_programs():
        verdict, _ = session.evaluate(source, "sweep")
        ran += 1
        found = verdict.false_alarms + verdict.disagreements + verdict.misses
        if verdict.crash:
            found.append(f"engine crash: {verdict.crash}")
        if found:
            problems += 1
            print(f"{name}: {found[0]}\n{source}", flush=True)
    print(f"probe sweep: {ran} programs, {problems} with a false alarm, disagreement, miss or "
          "crash")
    return 1 if problems else 0


def _cleanup(work: Path) -> None:
    for path in work.glob("*.py"):
        path.unlink()
    work.rmdir()


if __name__ == "__main__":
    sys.exit(main())
