"""``crampdiary intake --date YYYY-MM-DD [--json]``: a day's totals for scripts and for people."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from crampdiary.cli import EXIT_BAD_INPUT, EXIT_ERROR, EXIT_OK, main

KEYS = [
    "food",
    "supplements",
    "total",
    "unit",
    "reference",
    "reference_kind",
    "upper_limit",
    "upper_limit_scope",
    "foods_without_data",
]
UNITS = {
    "magnesium": "mg",
    "calcium": "mg",
    "vitamin_d": "ug",
    "potassium": "mg",
    "sodium": "mg",
    "water": "ml",
}
DAY = "2026-01-10"


def run(data: Path, *args: str) -> int:
    return main(["--data-dir", str(data), *args])


def intake(data: Path, day: str, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    assert run(data, "intake", "--date", day, "--json") == EXIT_OK
    return json.loads(capsys.readouterr().out)


def diary_file(tmp_path: Path, profile: dict[str, Any] | None = None, **arrays: Any) -> Path:
    doc: dict[str, Any] = {"format": "crampdiary", "version": 2, **arrays}
    if profile is not None:
        doc["profile"] = profile
    path = tmp_path / "in.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def food(key: str, grams: float, meal: str = "lunch", day: str = DAY) -> dict[str, Any]:
    return {"date": day, "food": key, "grams": grams, "meal": meal}


def test_the_json_has_exactly_the_documented_shape(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert run(data, "demo-data", "--days", "20", "--seed", "4") == EXIT_OK
    yesterday = (datetime.now().date() - timedelta(days=1)).isoformat()
    doc = intake(data, yesterday, capsys)
    assert list(doc) == ["date", "nutrients"] and doc["date"] == yesterday
    assert list(doc["nutrients"]) == list(UNITS)
    for name, values in doc["nutrients"].items():
        keys = [("drinks" if k == "supplements" and name == "water" else k) for k in KEYS]
        assert list(values) == keys, name
        assert values["unit"] == UNITS[name]
        second = values["drinks" if name == "water" else "supplements"]
        assert values["total"] == pytest.approx(values["food"] + second, abs=0.02)
        assert isinstance(values["foods_without_data"], int)
    # The demo profile (a woman in her sixties) has every reference.
    magnesium = doc["nutrients"]["magnesium"]
    assert (magnesium["reference"], magnesium["reference_kind"]) == (320.0, "RDA")
    assert (magnesium["upper_limit"], magnesium["upper_limit_scope"]) == (350.0, "supplements")
    assert doc["nutrients"]["magnesium"]["food"] > 100
    assert doc["nutrients"]["water"]["drinks"] > 0
    potassium = doc["nutrients"]["potassium"]
    assert potassium["reference_kind"] == "AI" and potassium["upper_limit"] is None
    assert potassium["upper_limit_scope"] is None


def test_the_figures_of_a_known_day(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    path = diary_file(
        tmp_path,
        profile={"birth_year": 1958, "sex": "female"},
        food_entries=[
            food("usda:12014", 100),  # pumpkin seeds: 592 mg Mg, 46 Ca, 809 K, 7 Na, 5.23 g water
            food("usda:19904", 50, "snack"),  # dark chocolate: no vitamin D value
            food("usda:12014", 10, day="2026-01-09"),  # another day
        ],
        supplement_intakes=[
            {"date": DAY, "nutrient": "magnesium", "amount": 400, "unit": "mg"},
            {"date": DAY, "nutrient": "vitamin_d", "amount": 1000, "unit": "IU"},
        ],
        drinks=[
            {"date": DAY, "ml": 500, "kind": "water"},
            {"date": DAY, "ml": 300, "kind": "tea"},
        ],
    )
    assert run(data, "import", str(path)) == EXIT_OK
    doc = intake(data, DAY, capsys)
    n = doc["nutrients"]
    assert n["magnesium"] == {
        "food": 592 + 114,  # 228 mg per 100 g of chocolate
        "supplements": 400.0,
        "total": 1106.0,
        "unit": "mg",
        "reference": 320.0,
        "reference_kind": "RDA",
        "upper_limit": 350.0,
        "upper_limit_scope": "supplements",
        "foods_without_data": 0,
    }
    assert n["vitamin_d"]["supplements"] == 25.0 and n["vitamin_d"]["foods_without_data"] == 1
    assert n["vitamin_d"]["reference"] == 15.0 and n["vitamin_d"]["upper_limit"] == 100.0
    assert n["calcium"]["upper_limit"] == 2000.0 and n["calcium"]["upper_limit_scope"] == "total"
    assert n["water"]["drinks"] == 800.0
    assert n["water"]["food"] == pytest.approx(5.23 + 0.685, abs=0.01)
    assert n["water"]["reference"] == 2700.0 and n["water"]["upper_limit"] is None

    capsys.readouterr()
    assert run(data, "intake", "--date", DAY) == EXIT_OK
    text = capsys.readouterr().out
    assert "Intake on 2026-01-10: 2 food entries, 800 ml of drinks" in text
    assert "above the reference value" in text and "below the reference value" in text
    assert "at least 25 µg, 1 food without data" in text
    assert "tolerable upper intake level of 350 mg a day for supplements" in text
    assert "USDA" in text and "Release 28" in text
    assert "deficien" not in text.lower()


def test_at_least_with_several_foods_without_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    chocolate = "usda:19904"
    path = diary_file(
        tmp_path,
        food_entries=[food(chocolate, 100), food(chocolate, 100, "snack")],
        custom_foods=[{"name": "Soup", "calcium_mg": 10}],
    )
    assert run(data, "import", str(path)) == EXIT_OK
    capsys.readouterr()
    assert run(data, "intake", "--date", DAY) == EXIT_OK
    text = capsys.readouterr().out
    assert "at least 0 µg, 2 foods without data" in text
    assert "Set your birth year and sex in the profile" in text


def test_no_reference_where_none_applies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    path = diary_file(tmp_path, food_entries=[food("usda:09040", 101)])
    assert run(data, "import", str(path)) == EXIT_OK
    n = intake(data, DAY, capsys)["nutrients"]
    # No age or sex in the profile: no reference for anything.
    assert all(n[name]["reference"] is None for name in UNITS)
    assert all(n[name]["reference_kind"] is None for name in UNITS)
    assert n["potassium"]["food"] == 361.58  # a small banana: 101 g x 358 mg / 100 g
    other = tmp_path / "other"
    path = diary_file(
        tmp_path,
        profile={
            "birth_year": 1950,
            "sex": "male",
            "conditions": ["kidney_disease", "fluid_restriction"],
        },
        food_entries=[food("usda:09040", 100)],
    )
    assert run(other, "import", str(path)) == EXIT_OK
    n = intake(other, DAY, capsys)["nutrients"]
    assert n["potassium"]["reference"] is None and n["water"]["reference"] is None
    assert n["magnesium"]["reference"] == 420.0 and n["calcium"]["reference"] == 1200.0
    capsys.readouterr()
    assert run(other, "intake", "--date", DAY) == EXIT_OK
    text = capsys.readouterr().out
    assert "No potassium reference value is shown" in text
    assert "limit fluids" in text


def test_an_empty_day(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    assert run(data, "demo-data", "--days", "2", "--seed", "1") == EXIT_OK
    n = intake(data, "2001-01-01", capsys)["nutrients"]
    assert all(n[name]["total"] == 0 and n[name]["foods_without_data"] == 0 for name in UNITS)


@pytest.mark.parametrize("bad", ["2026-02-30", "2026-1-5", "yesterday", "20260105", ""])
def test_a_bad_date_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: str
) -> None:
    data = tmp_path / "data"
    assert run(data, "demo-data", "--days", "2", "--seed", "1") == EXIT_OK
    capsys.readouterr()
    assert run(data, "intake", "--date", bad, "--json") == EXIT_BAD_INPUT
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("crampdiary: --date: must be a real date as YYYY-MM-DD")


def test_the_date_is_required(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as stop:
        run(tmp_path / "data", "intake", "--json")
    assert stop.value.code == EXIT_BAD_INPUT


def test_no_diary_no_totals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "nothing"
    assert run(data, "intake", "--date", DAY) == EXIT_ERROR
    assert "There is no diary" in capsys.readouterr().err
    assert not (data / "diary.sqlite3").exists()
    assert date.fromisoformat(DAY)  # the date itself was fine


def test_the_documented_json_has_the_same_shape() -> None:
    text = (Path(__file__).parents[2] / "docs" / "data-format.md").read_text(encoding="utf-8")
    section = text.split("## 6. ")[1]
    doc = json.loads(section.split("```json\n")[1].split("```")[0])
    assert list(doc) == ["date", "nutrients"] and list(doc["nutrients"]) == list(UNITS)
    assert list(doc["nutrients"]["magnesium"]) == KEYS
    assert list(doc["nutrients"]["water"]) == ["drinks" if k == "supplements" else k for k in KEYS]
