"""What every measurement shares: the run context, figures, results and a few statistics."""

from __future__ import annotations

import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"  # git-ignored
MIB = 1024 * 1024


class BenchError(Exception):
    """A measurement could not be made at all (not a slow figure: a broken set-up)."""


@dataclass
class Figure:
    """One reported number: a median over ``samples`` or a single derived value (a ratio).

    ``unit`` is the unit of ``value`` and ``samples`` as stored in JSON: "s", "bytes" or "x".
    ``target`` is the issue's figure, shown for reference; nothing here judges against it.
    """

    key: str
    label: str
    unit: str
    value: float | None
    samples: list[float] = field(default_factory=list)
    target: str = ""
    note: str = ""
    attempts: int = 0  # runs tried, when some may have failed (shown as samples/attempts)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"label": self.label, "unit": self.unit, "median": self.value}
        if self.samples:
            out |= {"min": min(self.samples), "max": max(self.samples), "samples": self.samples}
        if self.attempts:
            out["attempts"] = self.attempts
        if self.target:
            out["target"] = self.target
        if self.note:
            out["note"] = self.note
        return out


@dataclass
class MeasurementResult:
    """Figures of one measurement, plus the runs that went wrong and anything worth keeping."""

    name: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    error: str | None = None  # set when the measurement could not be made

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "figures": {f.key: f.to_json() for f in self.figures},
            "problems": self.problems,
            "details": self.details,
            "error": self.error,
        }


@dataclass
class Context:
    """What a measurement gets: the python to run, the child environment, settings, the diary.

    ``diary_dir()`` makes (or copies from the cache) the demo diary on first use, once a run.
    """

    python: str
    env: dict[str, str]
    runs: int
    timeout: float
    days: int
    work_dir: Path
    make_diary: Callable[[], Path]
    _diary: Path | None = None

    def diary_dir(self) -> Path:
        if self._diary is None:
            self._diary = self.make_diary()
        return self._diary

    def app_argv(self, *args: str) -> list[str]:
        """``python -m crampdiary --data-dir <demo diary> ARGS``."""
        return [self.python, "-m", "crampdiary", "--data-dir", str(self.diary_dir()), *args]

    def script_argv(self, script: Path, *args: str) -> list[str]:
        """``python SCRIPT ARGS``, the same interpreter and environment as the app."""
        return [self.python, str(script), *args]

    def log(self, text: str) -> None:
        """Progress for the person watching (stderr, so stdout stays the table)."""
        print(text, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Measurement:
    """A named measurement in the registry (see measurements/__init__.py)."""

    name: str
    title: str
    run: Callable[[Context], MeasurementResult]
    needs_diary: bool = True


def median(samples: Sequence[float]) -> float | None:
    return statistics.median(samples) if samples else None


def ratio(top: float | None, bottom: float | None) -> float | None:
    if top is None or bottom is None or bottom == 0:
        return None
    return top / bottom
