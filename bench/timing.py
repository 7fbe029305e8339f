"""Timing helpers shared by the benchmarks: whole processes, interleaved rounds, medians."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

__all__ = ["PY", "Results", "pct", "run", "run_json"]

PY = sys.executable


def run(argv: list[str], env: Mapping[str, str] | None = None) -> tuple[float, int, str]:
    """Run a process to its end: (wall seconds, peak RSS in KiB, stdout)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out = proc.stdout.read() if proc.stdout else b""
    err = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{argv} failed:\n{err.decode()}")
    return wall, usage.ru_maxrss, out.decode()


def run_json(argv: list[str], env: Mapping[str, str] | None = None) -> object:
    """Run a process that prints JSON on its last line; its parsed output."""
    import json

    return json.loads(run(argv, env)[2].strip().splitlines()[-1])


def pct(values: list[float], q: float) -> float:
    """The `q` quantile (0..1) of `values`, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@dataclass
class Results:
    """Wall times and peak RSS per measure, over interleaved rounds."""

    times: dict[str, list[float]] = field(default_factory=dict)
    rss: dict[str, int] = field(default_factory=dict)

    def process(self, name: str, argv: list[str], env: Mapping[str, str] | None = None) -> str:
        """Time one whole process under `name`; its stdout."""
        wall, peak, out = run(argv, env)
        self.add(name, wall, peak)
        return out

    def add(self, name: str, seconds: float, rss_kib: int = 0) -> None:
        """Record one measurement."""
        self.times.setdefault(name, []).append(seconds)
        self.rss[name] = max(self.rss.get(name, 0), rss_kib)

    def rounds(self, runs: int, steps: list[Callable[[], object]]) -> None:
        """Run `steps` `runs` times, rotating the order each round (same load for all)."""
        for n in range(runs):
            for step in steps[n % len(steps) :] + steps[: n % len(steps)]:
                step()

    def ms(self, name: str) -> float:
        """Median of `name`, in milliseconds."""
        return statistics.median(self.times[name]) * 1000

    def mb(self, name: str) -> float:
        """Peak RSS of `name`, in MB (MiB)."""
        return self.rss[name] / 1024
