"""domain/nutrition: reference values against every row of dri.csv, life stages, upper limits."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources

import pytest

from crampdiary.domain import nutrition as nu
from crampdiary.domain.errors import ValidationError
from crampdiary.domain.records import Profile

DAY = date(2026, 6, 1)


def _rows() -> list[dict[str, str]]:
    text = resources.files("crampdiary.resources").joinpath("food/dri.csv").read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


ROWS = _rows()
OURS = {"total_water": "water", "vitamin_d_iu": "vitamin_d"}


@cache
def table() -> nu.DriTable:
    return nu.load_dri(ROWS)


@dataclass(frozen=True)
class Person:
    age: int
    sex: str | None
    pregnancy: str
    age_months: int | None = None


def people_for(life_stage: str, sex: str) -> list[Person]:
    """People at both ends of a dri.csv life stage (and unknown sex where it does not matter)."""
    if life_stage == "0-6 mo":
        return [Person(0, None, "none", 0), Person(0, "female", "none", 5), Person(0, None, "none")]
    if life_stage == "7-12 mo":
        return [Person(0, None, "none", 6), Person(0, "male", "none", 11)]
    state = "none"
    band = life_stage
    for word, st in (("pregnancy ", "pregnant"), ("lactation ", "lactating")):
        if life_stage.startswith(word):
            state, band = st, life_stage.removeprefix(word)
    lo, hi = (71, 120) if band == ">70" else (int(x) for x in band.split("-"))
    if sex == "any":
        return [Person(lo, None, state), Person(hi, "male", state), Person(hi, "female", state)]
    return [Person(lo, sex, state), Person(hi, sex, state)]


def _ids(row: dict[str, str]) -> str:
    return f"{row['nutrient']}-{row['life_stage']}-{row['sex']}".replace(" ", "_")


def _number(text: str, unit: str) -> float:
    factor = Decimal(1000) if unit == "L/d" else Decimal(1)
    return float(Decimal(text) * factor)


@pytest.mark.parametrize("row", ROWS, ids=_ids)
def test_every_dri_row(row: dict[str, str]) -> None:
    nutrient = OURS.get(row["nutrient"], row["nutrient"])
    for person in people_for(row["life_stage"], row["sex"]):
        ref = table().reference(
            nutrient,
            age=person.age,
            sex=person.sex,
            pregnancy=person.pregnancy,
            age_months=person.age_months,
        )
        assert ref is not None, person
        assert (ref.life_stage, ref.sex) == (row["life_stage"], row["sex"]), person
        assert ref.nutrient == nutrient
        if row["nutrient"] == "vitamin_d_iu":
            # The IU rows restate the µg rows: 40 IU = 1 µg (µg ULs are rounded: 63 ~ 2,500 IU).
            assert ref.value * nu.IU_PER_UG == float(row["value"])
            if row["ul"]:
                assert ref.upper_limit_iu == float(row["ul"])
                assert ref.upper_limit is not None
                assert abs(ref.upper_limit * nu.IU_PER_UG - float(row["ul"])) <= 20
            continue
        assert ref.value == _number(row["value"], row["unit"])
        assert ref.kind == row["kind"]
        if row["ul"]:
            assert ref.upper_limit == _number(row["ul"], row["ul_unit"])
            scope = "supplements" if row["ul_scope"].startswith("supplements") else "total"
            assert ref.upper_limit_scope == scope
            assert ref.upper_limit_source
            for sid in row["ul_source"].split(";"):
                assert sid in ref.source
        else:
            assert ref.upper_limit is None and ref.upper_limit_scope is None
        assert row["value_source"] in ref.source
        assert row["notes"] in ref.note


def test_table_size_and_units() -> None:
    assert len(table()) == 22 * 6  # vitamin_d_iu rows fold into the vitamin_d references
    water = table().get("water", "19-30", "male")
    assert water is not None and water.value == 3700.0  # 3.7 L, exact
    vit_d = table().get("vitamin_d", ">70", "female")
    assert vit_d is not None and (vit_d.value, vit_d.upper_limit) == (20, 100)
    mg = table().get("magnesium", "31-50", "female")
    assert mg is not None and mg.upper_limit_scope == "supplements"
    assert mg.upper_limit_source == "IOM 2000"
    assert table().get("magnesium", "0-6 mo", "any").upper_limit is None  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("age", "sex", "pregnancy", "stage", "ref_sex"),
    [
        (0, None, "none", "0-6 mo", "any"),
        (1, None, "none", "1-3", "any"),
        (8, "male", "none", "4-8", "any"),
        (9, "male", "none", "9-13", "male"),
        (18, "female", "none", "14-18", "female"),
        (19, "female", "none", "19-30", "female"),
        (50, "male", "none", "31-50", "male"),
        (70, "male", "none", "51-70", "male"),
        (71, "female", "none", ">70", "female"),
        (150, "female", "none", ">70", "female"),
        (14, "female", "pregnant", "pregnancy 14-18", "female"),
        (50, "female", "lactating", "lactation 31-50", "female"),
    ],
)
def test_life_stage(age: int, sex: str | None, pregnancy: str, stage: str, ref_sex: str) -> None:
    got = nu.life_stage(age, sex, pregnancy)
    assert got is not None
    assert (got.life_stage, got.sex, got.note) == (stage, ref_sex, "")


@pytest.mark.parametrize(
    ("age", "pregnancy", "stage"),
    [
        (13, "pregnant", "9-13"),
        (12, "lactating", "9-13"),
        (51, "pregnant", "51-70"),
        (75, "lactating", ">70"),
    ],
)
def test_pregnancy_outside_14_to_50_falls_back_and_says_so(
    age: int, pregnancy: str, stage: str
) -> None:
    ref = table().reference("calcium", age=age, sex="female", pregnancy=pregnancy)
    assert ref is not None
    assert (ref.life_stage, ref.sex) == (stage, "female")
    word = "pregnancy" if pregnancy == "pregnant" else "lactation"
    assert f"Reference values for {word} are set for ages 14 to 50 only" in ref.note


def test_unknown_age_or_sex() -> None:
    assert table().reference("calcium", age=None, sex="male", pregnancy="none") is None
    assert table().reference("calcium", age=30, sex=None, pregnancy="none") is None
    child = table().reference("calcium", age=5, sex=None, pregnancy="none")
    assert child is not None and child.life_stage == "4-8"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"age": -1, "sex": "male", "pregnancy": "none"}, "age"),
        ({"age": 151, "sex": "male", "pregnancy": "none"}, "age"),
        ({"age": 30, "sex": "other", "pregnancy": "none"}, "sex"),
        ({"age": 30, "sex": "male", "pregnancy": "pregnant"}, "pregnancy"),
        ({"age": 30, "sex": "female", "pregnancy": "yes"}, "pregnancy"),
        ({"age": 0, "sex": None, "pregnancy": "none", "age_months": 12}, "age_months"),
    ],
)
def test_reference_refuses(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as err:
        table().reference("calcium", **kwargs)  # type: ignore[arg-type]
    assert err.value.field == field


def test_unknown_nutrient() -> None:
    with pytest.raises(ValidationError):
        table().reference("iron", age=30, sex="male", pregnancy="none")


def test_age_on() -> None:
    assert nu.age_on(None, DAY) is None
    assert nu.age_on(1980, date(2026, 1, 1)) == 46
    assert nu.age_on(1980, date(2026, 12, 31)) == 46


def test_load_dri_refuses_a_bad_unit() -> None:
    row = dict(ROWS[0], unit="g/d")
    with pytest.raises(ValidationError):
        nu.load_dri([row])
    with pytest.raises(ValidationError):
        nu.load_dri([dict(ROWS[0], nutrient="iron")])
    with pytest.raises(ValidationError):
        nu.load_dri([ROWS[0], ROWS[0]])


# --- upper limits, for every life stage that has one -----------------------------------

UL_ROWS = [r for r in ROWS if r["ul"] and r["nutrient"] in ("magnesium", "calcium", "vitamin_d")]


def _profile_for(row: dict[str, str]) -> Profile | None:
    """A profile whose life stage on DAY is the row's (None for 7-12 months: not by year)."""
    if row["life_stage"] == "7-12 mo":
        return None
    person = people_for(row["life_stage"], row["sex"])[-1]
    return Profile(birth_year=DAY.year - person.age, sex=person.sex, pregnancy=person.pregnancy)


def _warnings(row: dict[str, str], *, food: float, supplements: float) -> tuple[str, ...]:
    nutrient = row["nutrient"]
    profile = _profile_for(row)
    if profile is None:
        ref = table().get(nutrient, row["life_stage"], row["sex"])
        return nu.upper_limit_warnings(nutrient, supplements, food + supplements, ref)
    per = {n: (10_000.0 if n == nutrient else None) for n in nu.NUTRIENTS}
    rich = nu.Food("custom:x", "x", "", per, None, (), None)  # 100 units a gram
    day = nu.daily_intake(
        DAY,
        foods=[(rich, food / 100)] if food else [],
        supplements=[(nutrient, supplements)] if supplements else [],
        drinks=[],
        profile=profile,
        medications=[],
        dri=table(),
    )
    return day.totals[nutrient].warnings


@pytest.mark.parametrize("row", UL_ROWS, ids=_ids)
def test_upper_limit_warns_strictly_above(row: dict[str, str]) -> None:
    ul = float(row["ul"])
    ref = table().get(row["nutrient"], row["life_stage"], row["sex"])
    if ref is not None and ref.upper_limit_iu is not None:
        # Vitamin D is compared in IU: dri.csv rounds 2,500 IU (62.5 µg) to 63 µg.
        ul = ref.upper_limit_iu / nu.IU_PER_UG
    supplements_only = row["nutrient"] == "magnesium"
    # All from supplements: at the limit nothing, just above a warning.
    assert _warnings(row, food=0, supplements=ul) == ()
    assert _warnings(row, food=0, supplements=ul - 1) == ()
    (warning,) = _warnings(row, food=0, supplements=ul + 0.01)
    assert f"{ul:,.1f}".removesuffix(".0") in warning
    assert "tolerable upper intake level" in warning
    if supplements_only:
        assert "IOM 2000" in warning and "for supplements" in warning
        # Food never counts toward the magnesium limit.
        assert _warnings(row, food=ul * 10, supplements=ul) == ()
    else:
        assert "IOM 2011" in warning
        # The total counts: food and supplements together.
        assert _warnings(row, food=ul / 2, supplements=ul / 2) == ()
        assert len(_warnings(row, food=ul / 2, supplements=ul / 2 + 0.01)) == 1
        assert len(_warnings(row, food=ul + 1, supplements=0)) == 1


def test_float_noise_at_the_limit_does_not_warn() -> None:
    ref = table().get("calcium", "31-50", "female")
    noisy = 1695.4 + 438.3 + 366.3  # 2500.0000000000005
    assert noisy > 2500
    assert nu.upper_limit_warnings("calcium", 0, noisy, ref) == ()
    assert len(nu.upper_limit_warnings("calcium", 0, 2500.001, ref)) == 1


def test_no_upper_limit_no_warning() -> None:
    infant = table().get("magnesium", "0-6 mo", "any")
    assert nu.upper_limit_warnings("magnesium", 10_000, 10_000, infant) == ()
    potassium = table().get("potassium", "31-50", "male")
    assert nu.upper_limit_warnings("potassium", 0, 99_999, potassium) == ()
