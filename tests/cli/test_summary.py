"""``crampdiary summary --from --to [--json]``: a period's figures beside the previous period."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from crampdiary.cli import EXIT_BAD_INPUT, EXIT_ERROR, EXIT_OK, main
from crampdiary.domain.stats import FIGURE_NAMES

NAMES = [
    "nights_in_period",
    "nights_logged",
    "cramp_nights",
    "cramp_nights_per_week",
    "cramps_per_night",
    "total_cramps",
    "severity_median",
    "severity_mean",
    "severity_max",
    "duration_median_min",
    "duration_q1_min",
    "duration_q3_min",
    "cramps_over_10_min",
    "nights_woken",
    "routine_adherence",
    "food_days",
    "magnesium_per_day",
    "calcium_per_day",
    "vitamin_d_per_day",
    "potassium_per_day",
    "fluid_days",
    "fluids_per_day_ml",
]


def run(data: Path, *args: str) -> int:
    return main(["--data-dir", str(data), *args])


def summary(
    data: Path, first: str, last: str, capsys: pytest.CaptureFixture[str]
) -> dict[str, Any]:
    capsys.readouterr()
    assert run(data, "summary", "--from", first, "--to", last, "--json") == EXIT_OK
    return json.loads(capsys.readouterr().out)


def episode(started_at: str, severity: int, duration_s: int, woke: bool = False) -> dict[str, Any]:
    return {
        "started_at": started_at,
        "duration_s": duration_s,
        "muscle": "calf",
        "side": "left",
        "severity": severity,
        "woke_from_sleep": woke,
    }


def load(tmp_path: Path, **arrays: Any) -> Path:
    data = tmp_path / "data"
    doc: dict[str, Any] = {"format": "crampdiary", "version": 2, **arrays}
    path = tmp_path / "in.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert run(data, "import", str(path)) == EXIT_OK
    return data


def test_the_json_carries_exactly_the_issue_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert list(FIGURE_NAMES) == NAMES
    data = load(tmp_path, nights=[{"night_of": "2026-03-01", "no_cramps": True}])
    out = summary(data, "2026-03-08", "2026-03-14", capsys)
    assert list(out) == [*NAMES, "previous"]
    assert list(out["previous"]) == [*NAMES, "previous"]
    assert out["previous"]["previous"] is None
    # Nothing logged this week: counts 0, every rate and average null, never 0.
    assert out["nights_in_period"] == 7
    assert out["nights_logged"] == 0
    assert out["cramps_per_night"] is None
    assert out["severity_median"] is None
    assert out["routine_adherence"] is None
    assert out["magnesium_per_day"] is None
    assert out["previous"]["nights_logged"] == 1
    assert out["previous"]["cramps_per_night"] == 0


def test_a_hand_worked_diary_at_full_precision(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nights = [{"night_of": f"2026-03-0{d}", "no_cramps": True} for d in (1, 2, 3, 5, 6, 7)]
    episodes = [
        episode("2026-03-08T23:30", 4, 60),
        episode("2026-03-09T02:00", 7, 900, woke=True),
        episode("2026-03-10T03:00", 5, 300, woke=True),
        episode("2026-03-12T22:00", 8, 30),
    ]
    data = load(tmp_path, nights=nights, episodes=episodes)
    out = summary(data, "2026-03-01", "2026-03-14", capsys)
    assert out["nights_logged"] == 9
    assert out["cramp_nights"] == 3
    assert out["cramp_nights_per_week"] == 3 / 9 * 7  # not rounded
    assert out["cramps_per_night"] == 4 / 9
    assert (out["severity_median"], out["severity_mean"], out["severity_max"]) == (6.0, 6.0, 8)
    assert out["duration_q1_min"] == pytest.approx(0.875)
    assert out["duration_median_min"] == pytest.approx(3.0)
    assert out["duration_q3_min"] == pytest.approx(7.5)
    assert out["cramps_over_10_min"] == 1
    assert out["nights_woken"] == 2
    assert out["previous"]["nights_in_period"] == 14
    assert out["previous"]["nights_logged"] == 0


def test_the_demo_diary_gives_consistent_figures_and_a_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert run(data, "demo-data", "--days", "60", "--seed", "3") == EXIT_OK
    # The demo diary ends last night: take the 4 weeks ending 2 nights before, and the 4 before.
    last = date.today() - timedelta(days=3)
    first = last - timedelta(days=27)
    prev_first, prev_last = first - timedelta(days=28), first - timedelta(days=1)
    out = summary(data, first.isoformat(), last.isoformat(), capsys)
    for figures in (out, out["previous"]):
        assert figures["nights_in_period"] == 28
        assert 0 < figures["nights_logged"] <= 28
        assert figures["cramp_nights"] <= figures["nights_logged"]
        assert figures["total_cramps"] >= figures["cramp_nights"]
        if figures["total_cramps"]:
            assert 0 <= figures["severity_median"] <= 10
            q1, q2, q3 = (figures[f"duration_{k}_min"] for k in ("q1", "median", "q3"))
            assert q1 <= q2 <= q3
        rate = figures["routine_adherence"]
        assert rate is None or 0 <= rate <= 1
        assert figures["food_days"] <= 28
        if figures["food_days"]:
            assert figures["magnesium_per_day"] > 0
    capsys.readouterr()
    assert run(data, "summary", "--from", first.isoformat(), "--to", last.isoformat()) == EXIT_OK
    text = capsys.readouterr().out
    assert f"{first.isoformat()} to {last.isoformat()}" in text
    assert f"{prev_first.isoformat()} to {prev_last.isoformat()}" in text
    assert "Cramp nights per week" in text
    assert "Routine adherence" in text


def test_bad_dates_and_a_missing_diary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = load(tmp_path, nights=[{"night_of": "2026-03-01", "no_cramps": True}])
    assert run(data, "summary", "--from", "2026-03-10", "--to", "2026-03-01") == EXIT_BAD_INPUT
    assert "--to" in capsys.readouterr().err
    assert run(data, "summary", "--from", "2026-02-30", "--to", "2026-03-01") == EXIT_BAD_INPUT
    assert "--from" in capsys.readouterr().err
    assert run(tmp_path / "none", "summary", "--from", "2026-03-01", "--to", "2026-03-02") == (
        EXIT_ERROR
    )
