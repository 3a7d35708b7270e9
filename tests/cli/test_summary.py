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
ADDED = [
    "nights_woken_pct",
    "sleep_disturbance_mean",
    "cramps_per_week",
    "cramps_over_10_min_pct",
    "location_split",
]


def run(data: Path, *args: str) -> int:
    return main(["--data-dir", str(data), *args])


def summary(
    data: Path, first: str, last: str, capsys: pytest.CaptureFixture[str]
) -> dict[str, Any]:
    capsys.readouterr()
    assert run(data, "summary", "--from", first, "--to", last, "--json") == EXIT_OK
    return json.loads(capsys.readouterr().out)


def episode(
    started_at: str,
    severity: int,
    duration_s: int,
    woke: bool = False,
    muscle: str = "calf",
    side: str = "left",
) -> dict[str, Any]:
    return {
        "started_at": started_at,
        "duration_s": duration_s,
        "muscle": muscle,
        "side": side,
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
    # The issue's names first, unchanged; the added figures and ``change`` after them.
    assert list(out) == [*NAMES, "previous", *ADDED, "change"]
    assert list(out["previous"]) == [*NAMES, "previous", *ADDED, "change"]
    assert out["previous"]["previous"] is None
    assert out["previous"]["change"] is None
    assert out["location_split"] == {}
    assert out["nights_woken_pct"] is None
    assert out["previous"]["nights_woken_pct"] == 0.0
    assert out["change"]["nights_logged"] == {"absolute": -1, "percent": -100.0}
    assert out["change"]["cramps_per_night"] == {"absolute": None, "percent": None}
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
    assert out["nights_woken_pct"] == 2 / 9 * 100
    assert out["sleep_disturbance_mean"] is None
    assert out["cramps_per_week"] == 4 / 9 * 7
    assert out["cramps_over_10_min_pct"] == 25.0
    assert out["location_split"] == {"calf/left": 4}
    # previous: nothing logged; nights_logged 9 vs 0 has no % change
    assert out["change"]["nights_logged"] == {"absolute": 9, "percent": None}
    assert out["change"]["cramps_per_night"] == {"absolute": None, "percent": None}
    assert out["change"]["nights_in_period"] == {"absolute": 0, "percent": 0.0}


def test_the_added_figures_by_hand_in_json_and_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Previous week 1..7: nights 1..7 logged, cramps on 1 and 2 (calf/left, sev 4 and 6).
    # This week 8..14: nights 8..14 logged, sleep disturbance 2, 4, 9 on 8, 9, 10; cramps on
    # 8 (calf/right, 12 min, woke), 9 (calf/right), 10 (foot/both): sev 8 each.
    nights: list[dict[str, Any]] = [{"night_of": f"2026-03-{d:02d}"} for d in range(1, 15)]
    for d, score in ((8, 2), (9, 4), (10, 9)):
        nights[d - 1]["sleep_disturbance"] = score
    episodes = [
        episode("2026-03-01T23:00", 4, 60),
        episode("2026-03-02T23:00", 6, 60),
        episode("2026-03-08T23:00", 8, 720, woke=True, side="right"),
        episode("2026-03-09T23:00", 8, 60, side="right"),
        episode("2026-03-10T23:00", 8, 60, muscle="foot", side="both"),
    ]
    data = load(tmp_path, nights=nights, episodes=episodes)
    out = summary(data, "2026-03-08", "2026-03-14", capsys)
    assert out["nights_woken_pct"] == 1 / 7 * 100
    assert out["sleep_disturbance_mean"] == 5.0
    assert out["cramps_per_week"] == 3.0
    assert out["cramps_over_10_min_pct"] == pytest.approx(100 / 3)
    assert list(out["location_split"].items()) == [("calf/right", 2), ("foot/both", 1)]
    assert out["previous"]["location_split"] == {"calf/left": 2}
    assert out["previous"]["cramps_per_week"] == 2.0
    assert out["change"]["total_cramps"] == {"absolute": 1, "percent": 50.0}
    assert out["change"]["cramps_per_week"] == {"absolute": 1.0, "percent": 50.0}
    assert out["change"]["severity_mean"] == {"absolute": 3.0, "percent": 60.0}
    assert out["change"]["sleep_disturbance_mean"] == {"absolute": None, "percent": None}
    assert "location_split" not in out["change"]
    capsys.readouterr()
    assert run(data, "summary", "--from", "2026-03-08", "--to", "2026-03-14") == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    row = {line.split("  ")[0]: line.split() for line in lines if "  " in line}
    assert row["Cramps per week"][-4:] == ["3.0", "2.0", "+1.0", "(+50%)"]
    assert row["Nights woken, % of logged"][-4:] == ["14%", "0%", "+14", "pp"]
    assert "Sleep disturbance, mean" in row
    assert "Change" in lines[0]
    assert "Location split: calf/right 2, foot/both 1" in lines
    assert "Location split, previous: calf/left 2" in lines
    assert any(line.startswith("Source: USDA") for line in lines)  # intakes name their source


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
