"""The readable table on stdout and the --json file. Figures only: nothing passes or fails."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from core import MIB, Figure, MeasurementResult

JSON_SCHEMA = 1


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "s":
        return f"{value * 1000:.0f} ms"
    if unit == "bytes":
        return f"{value / MIB:.1f} MiB"
    if unit == "x":
        return f"{value:.2f}x"
    return f"{value:g} {unit}"


def _row(cells: Sequence[str], widths: Sequence[int]) -> str:
    first, *rest = cells
    line = f"  {first:<{widths[0]}}" + "".join(
        f"  {c:>{w}}" for c, w in zip(rest[:-1], widths[1:-1], strict=True)
    )
    return (line + f"   {rest[-1]}").rstrip()


def _figure_cells(f: Figure) -> list[str]:
    lo = fmt(min(f.samples), f.unit) if f.samples else ""
    hi = fmt(max(f.samples), f.unit) if f.samples else ""
    n = str(len(f.samples)) if f.samples else ""
    if n and f.attempts:
        n += f"/{f.attempts}"
    return [f.label, fmt(f.value, f.unit), lo, hi, n, f.target]


def render(
    results: Sequence[MeasurementResult],
    facts: Mapping[str, Any],
    settings: Mapping[str, Any],
) -> str:
    out = [
        f"Cramp Diary bench, {facts.get('date', '?')}",
        f"  {facts.get('cpu_count')} CPUs ({facts.get('cpu_model') or 'unknown model'}), "
        f"Python {facts.get('python_version')}, PySide6 {facts.get('pyside6_version')} "
        f"(Qt {facts.get('qt_version')}), crampdiary {facts.get('crampdiary_version')}"
        + (
            f" at {facts['git_commit']}{'+dirty' if facts.get('git_dirty') else ''}"
            if facts.get("git_commit")
            else ""
        ),
        f"  {settings['runs']} runs each, QT_QPA_PLATFORM={settings['platform']}, "
        f"demo diary of {settings['days']} days (seed {settings['seed']}), "
        f"timeout {settings['timeout_s']:g} s",
    ]
    if facts.get("crampdiary_script") is None:
        out.append("  note: no `crampdiary` script beside the python (is the project installed?)")
    header = ["", "median", "min", "max", "runs", "target (issue)"]
    for res in results:
        out += ["", f"{res.name}: {res.title}"]
        if res.error is not None:
            out.append(f"  NOT MEASURED: {res.error}")
            continue
        rows = [_figure_cells(f) for f in res.figures]
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        out.append(_row(header, widths))
        out += [_row(r, widths) for r in rows]
        for p in res.problems:
            out.append(f"  problem: {p}")
    out += [
        "",
        "Targets are the issue's, for reference; the harness reports figures and judges none.",
    ]
    return "\n".join(out)


def write_json(
    path: Path,
    results: Sequence[MeasurementResult],
    facts: Mapping[str, Any],
    settings: Mapping[str, Any],
    extra: Mapping[str, Any],
) -> None:
    doc = {
        "schema": JSON_SCHEMA,
        "facts": dict(facts),
        "settings": dict(settings),
        **extra,
        "measurements": {r.name: r.to_json() for r in results},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
