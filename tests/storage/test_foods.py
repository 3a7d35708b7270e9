"""storage/foods: the shipped food table and its search as you type."""

from __future__ import annotations

import hashlib
import random
import threading
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crampdiary.domain import nutrition as nu
from crampdiary.storage.foods import FoodHit, FoodIndex, fold, load_dri_table, tier

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
SHIPPED = ("foods.csv", "food_portions.csv", "dri.csv", "SOURCES.md")


@pytest.fixture(scope="module")
def index() -> Iterator[FoodIndex]:
    idx = FoodIndex.load()
    yield idx
    idx.close()


def names(hits: list[FoodHit]) -> list[str]:
    return [h.food.name for h in hits]


# --- the shipped files ---------------------------------------------------------------------


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_files_are_found_through_the_package(name: str) -> None:
    res = resources.files("crampdiary.resources").joinpath(f"food/{name}")
    assert res.is_file()
    assert len(res.read_bytes()) > 10_000


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_files_are_byte_identical_to_the_shared_data(name: str) -> None:
    source = SHARED_DATA / name
    if not source.is_file():
        pytest.skip(f"{source} is not on this machine")
    shipped = resources.files("crampdiary.resources").joinpath(f"food/{name}").read_bytes()
    assert hashlib.sha256(shipped).hexdigest() == hashlib.sha256(source.read_bytes()).hexdigest()


def test_dri_table_loads() -> None:
    assert len(load_dri_table()) == 132


# --- foods ---------------------------------------------------------------------------------


def test_whole_table(index: FoodIndex) -> None:
    assert len(index) == 8790
    keys = index.food_keys()
    assert keys[0] == "usda:01001" and len(set(keys)) == 8790
    assert index.food("usda:99999") is None
    assert index.food("custom:nothing") is None


def test_pumpkin_seeds_magnesium(index: FoodIndex) -> None:
    seeds = index.food("usda:12014")
    assert seeds is not None
    assert seeds.name == "Seeds, pumpkin and squash seed kernels, dried"
    assert nu.nutrients_for(seeds, 100)["magnesium"] == 592
    assert index.food("usda:12014") is seeds  # built once


def test_every_food_builds(index: FoodIndex) -> None:
    with_portions = 0
    for key in index.food_keys():
        f = index.food(key)
        assert f is not None and f.key == key and set(f.per_100g) == set(nu.NUTRIENTS)
        with_portions += bool(f.portions)
    assert with_portions == 8492


# --- search --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("pump see", "Seeds, pumpkin and squash seed kernels, dried"),
        ("pumpkin seeds", "Seeds, pumpkin and squash seed kernels, dried"),
        ("seeds pumpkin", "Seeds, pumpkin and squash seed kernels, dried"),
        ("SEE PUMP", "Seeds, pumpkin and squash seed kernels, dried"),
        ("spinach raw", "Spinach, raw"),
        ("raw spinach", "Spinach, raw"),
        ("milk whole", "Milk, whole, 3.25% milkfat, with added vitamin D"),
        ("banana", "Bananas, raw"),
        ("almonds", "Nuts, almonds"),
        ("oat", "Oats"),
        ("chees ched", "Cheese, cheddar"),
        ("orange juice", "Orange juice, raw"),
        ("beans black", "Beans, black, mature seeds, raw"),
    ],
)
def test_first_hit(index: FoodIndex, query: str, first: str) -> None:
    hits = index.search(query)
    assert hits and hits[0].food.name == first, names(hits)[:5]


def test_every_hit_has_every_word_as_a_word_start(index: FoodIndex) -> None:
    for query in ("pump see", "chees ched", "yogurt greek", "salm", "milk w"):
        words = query.split()
        hits = index.search(query, limit=100)
        assert hits
        for h in hits:
            name_words = fold(h.food.name).replace(",", " ").split()
            for w in words:
                assert any(nw.lstrip("(").startswith(w) for nw in name_words), (w, h.food.name)


def test_plain_foods_before_prepared_before_brands(index: FoodIndex) -> None:
    for query in ("pizza", "chicken", "cereal", "cookies", "soup tomato", "entree", "burger"):
        hits = index.search(query, limit=60)
        tiers = [tier(h.food.name, h.food.group) for h in hits]
        assert tiers == sorted(tiers), (query, list(zip(tiers, names(hits), strict=True)))
    pizza = index.search("pizza", limit=200)
    assert tier(pizza[0].food.name, pizza[0].food.group) == 0
    groups = [h.food.group for h in pizza]
    assert "Fast Foods" in groups[1:]


def test_brand_like_names_are_last(index: FoodIndex) -> None:
    assert tier("Cereals ready-to-eat, KELLOGG'S CORN FLAKES", "Breakfast Cereals") == 2
    assert tier("CAMPBELL'S Chunky Soups, Beef", "Soups, Sauces, and Gravies") == 2
    assert tier("Candies, REESE's Fast Break", "Sweets") == 2
    assert tier("Milk, whole, 3.25% milkfat, with added vitamin D", "Dairy and Egg Products") == 0
    assert tier("Candies, chocolate, dark, NFS (45-59% cacao)", "Sweets") == 0
    assert tier("McDONALD'S, Hamburger", "Fast Foods") == 2
    assert tier("Hamburger, single patty", "Fast Foods") == 1
    assert tier("Babyfood, apple", "Baby Foods") == 1
    flakes = index.search("corn flakes", limit=60)
    tiers = [tier(h.food.name, h.food.group) for h in flakes]
    assert 2 in tiers and tiers == sorted(tiers)


def test_case_and_accents_do_not_matter(index: FoodIndex) -> None:
    plain = names(index.search("entree", limit=100))
    assert plain and all("entree" in n.lower() for n in plain)
    assert names(index.search("Entrée", limit=100)) == plain
    assert names(index.search("ENTRÉE", limit=100)) == plain
    assert names(index.search("entrée", limit=100)) == plain


def test_custom_foods_are_searched_the_same_way(index: FoodIndex) -> None:
    creme = nu.make_custom_food("Crème fraîche maison", {"calcium": 80}, [nu.Portion("1 tbsp", 15)])
    soup = nu.make_custom_food("Grandma's lentil soup", {"magnesium": 30})
    greek = nu.make_custom_food("Γιαούρτι στραγγιστό", {"calcium": 100})
    try:
        index.set_custom_foods([creme, soup, greek])
        assert len(index) == 8793
        assert index.food(creme.key) == creme
        assert names(index.search("creme fraiche"))[0] == "Crème fraîche maison"
        assert names(index.search("CRÈME"))[0] == "Crème fraîche maison"
        assert names(index.search("fraî crè"))[0] == "Crème fraîche maison"
        assert "Grandma's lentil soup" in names(index.search("lentil soup"))
        assert "Grandma's lentil soup" in names(index.search("grandmas"))
        assert names(index.search("γιαουρτι")) == ["Γιαούρτι στραγγιστό"]
        assert names(index.search("ΓΙΑΟΎΡΤΙ")) == ["Γιαούρτι στραγγιστό"]
        hit = index.search("creme")[0]
        assert hit.food.is_custom and hit.food.density_g_per_ml == 15 / nu.ML_PER_TBSP
        # Replacing the set drops the old ones.
        index.set_custom_foods([soup])
        assert len(index) == 8791
        assert index.search("creme fraiche") == []
        assert index.food(creme.key) is None
        assert "Grandma's lentil soup" in names(index.search("lentil"))
    finally:
        index.set_custom_foods([])
    assert len(index) == 8790


def test_custom_foods_found_by_one_letter(index: FoodIndex) -> None:
    zz = nu.make_custom_food("Zzeta bar", {"magnesium": 50})
    try:
        index.set_custom_foods([zz])
        assert "Zzeta bar" in names(index.search("z", limit=100))
    finally:
        index.set_custom_foods([])


def test_boost_puts_recent_and_frequent_foods_first(index: FoodIndex) -> None:
    plain = index.search("milk")
    goat = "usda:01106"  # Milk, goat, fluid, with added vitamin D
    whole = "usda:01077"
    boosted = index.search("milk", boost={whole: 3.0, goat: 5.0, "usda:12014": 9.0})
    assert [h.food.key for h in boosted[:2]] == [goat, whole]  # seeds don't match "milk"
    assert "usda:12014" not in [h.food.key for h in boosted]
    assert len(boosted) == len(plain)
    # A boosted food beyond the first candidates still comes first.
    deep = index.search("c", limit=8790)  # a long list
    far = deep[-1].food.key
    assert index.search("c", boost={far: 1.0})[0].food.key == far
    broad = index.search("s c", limit=500)
    far_broad = broad[-1].food.key
    assert index.search("s c", boost={far_broad: 1.0})[0].food.key == far_broad


def test_hits_carry_the_food_for_per_portion_figures(index: FoodIndex) -> None:
    hit = index.search("pumpkin seeds")[0]
    f = hit.food
    assert hit.score > 0
    cup = f.portions[0]
    assert cup.description == "1 cup"
    per_cup = nu.nutrients_for(f, cup.grams)
    assert per_cup["magnesium"] == 592 * 129 / 100
    assert per_cup["calcium"] == 46 * 129 / 100


def test_empty_and_one_letter_searches(index: FoodIndex) -> None:
    assert index.search("") == []
    assert index.search("   ") == []
    assert index.search("'-,.") == []
    s = index.search("s")
    assert len(s) == 30
    assert all(fold(n).startswith("s") for n in names(s))
    assert all(tier(h.food.name, h.food.group) == 0 for h in s)  # plain ones first
    words = [len(n.split()) for n in names(s)]
    assert words == sorted(words)
    assert index.search("S") == s
    assert index.search("q", limit=5) and len(index.search("q", limit=5)) == 5
    assert index.search("s", limit=0) == []
    recent = index.search("s", boost={"usda:12014": 2.0})  # "Seeds, ..." starts with s
    assert recent[0].food.key == "usda:12014"


def test_limit(index: FoodIndex) -> None:
    assert len(index.search("cheese", limit=5)) == 5
    assert len(index.search("cheese", limit=500)) > 100


@pytest.mark.parametrize(
    "query",
    ['milk "AND" OR NOT', "* ( ) : ^ -", "NEAR(milk whole, 2)", "milk AND", '"', "col:milk", "0"],
)
def test_query_syntax_is_not_interpreted(index: FoodIndex, query: str) -> None:
    index.search(query)  # no sqlite3 error


def test_search_from_another_thread(index: FoodIndex) -> None:
    out: list[list[FoodHit]] = []
    t = threading.Thread(target=lambda: out.append(index.search("banana")))
    t.start()
    t.join()
    assert out and out[0][0].food.name == "Bananas, raw"


def test_a_food_is_found_by_its_own_name(index: FoodIndex) -> None:
    rng = random.Random(3)
    missed = []
    for key in rng.sample(index.food_keys(), 300):
        f = index.food(key)
        assert f is not None
        if key not in [h.food.key for h in index.search(f.name, limit=30)]:
            missed.append(f.name)
    assert not missed


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=30))
def test_any_text_searches(index: FoodIndex, text: str) -> None:
    hits = index.search(text, limit=10)
    assert len(hits) <= 10
