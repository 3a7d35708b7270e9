"""Storage layer: the USDA food table and the user's custom foods, searchable as you type.

The table ships in ``resources/food/`` (found through importlib.resources, so it works from the
source tree, an installed wheel and a bundle). ``FoodIndex.load()`` reads it into an in-memory
SQLite FTS5 index; ``Food`` values are built only when asked for (a hit or ``food(key)``).

Ranking, best first:
1. the caller's ``boost`` (recent and frequent foods: key -> score, higher first);
2. plain foods before the rest: tier 0 plain whole foods and custom foods, tier 1 the USDA
   groups of prepared and packaged meals (Fast Foods, Restaurant Foods, Baby Foods, "Meals,
   Entrees, and Side Dishes"), tier 2 brand-like names (a word of 3+ capitals: KELLOGG'S,
   CAMPBELL'S, USDA Commodity);
3. where the words are: the sum over the typed words of the comma-separated part of the name
   where each is found (USDA names run "Fish, salmon, pink, raw"), a word only begun (a prefix,
   "salmon" in "Salmonberries") counting 1.5 parts further on;
4. fewer words in the name; 5. bm25 over the name's parts (first parts weigh more).
SQLite orders the matches by tier and bm25 (plus a little per word; by tier and length alone
when more than ``BROAD_MATCHES`` match, as bm25 costs about 1 us a row) and hands the best
``CANDIDATES`` to Python, which applies the full order to those. One letter lists the foods
whose name starts with it, plainest first; nothing typed, nothing found.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import sqlite3
import threading
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Final

from crampdiary.domain.nutrition import DriTable, Food, food_from_row, load_dri

logger = logging.getLogger(__name__)

RESOURCE_PACKAGE: Final = "crampdiary.resources"
FOODS_CSV: Final = "food/foods.csv"
PORTIONS_CSV: Final = "food/food_portions.csv"
DRI_CSV: Final = "food/dri.csv"

# USDA groups of prepared meals and packaged foods: ranked after plain foods.
LATE_GROUPS: Final = frozenset(
    {"Fast Foods", "Restaurant Foods", "Baby Foods", "Meals, Entrees, and Side Dishes", ""}
)
# A run of 3+ capitals not running into a lower-case letter: KELLOGG'S, McDONALD'S, REESE's,
# USDA Commodity.
_CAPS_WORD: Final = re.compile(r"[A-Z][A-Z'&.\-]*[A-Z](?![a-z])")
_NOT_BRANDS: Final = frozenset({"NFS"})  # "not further specified"
_TOKEN: Final = re.compile(r"[^\W_]+")
CUSTOM_BASE: Final = 1_000_000  # rowids of custom foods start here
CANDIDATES: Final = 150  # matches SQLite hands over for the full ranking
BROAD_MATCHES: Final = 1500  # above this many matches, SQLite pre-orders without bm25
PREFIX_ONLY_COST: Final = 1.5  # a word only begun counts as this many parts further on
WORD_COST: Final = 0.3  # per word of the name, added to bm25 in SQLite's pre-order
BM25_WEIGHTS: Final = (8.0, 4.0, 1.0)  # first part, second part, the rest


def load_dri_table() -> DriTable:
    """The dietary reference intakes shipped in resources/food/dri.csv."""
    text = resources.files(RESOURCE_PACKAGE).joinpath(DRI_CSV).read_text(encoding="utf-8")
    return load_dri(csv.DictReader(io.StringIO(text, newline="")))


@dataclass(frozen=True)
class FoodHit:
    """A search result: the food (with its values, portions and density) and its text score.

    ``score`` is the text relevance (minus bm25: higher is better, 0 for one-letter searches);
    the order of the hits also takes the boost and plainness into account.
    """

    food: Food
    score: float


def fold(text: str) -> str:
    """Lower case without accents ("Entrée" -> "entree"), for indexing and queries alike."""
    # Apostrophes go too, so "Campbell's" is one word ("campbells") and "s" is no word.
    if text.isascii():
        return text.lower().replace("'", "")
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return kept.casefold().replace("'", "").replace("\u2019", "")


def tokens(text: str) -> list[str]:
    """The words of a text as the index sees them."""
    return _TOKEN.findall(fold(text))


def tier(name: str, group: str) -> int:
    """0 plain, 1 prepared-meal groups, 2 brand-like (a word of 3+ capitals); custom foods 0."""
    for word in _CAPS_WORD.findall(name):
        if word not in _NOT_BRANDS and sum(ch.isalpha() for ch in word) >= 3:
            return 2
    return 1 if group in LATE_GROUPS else 0


class _Entry:
    """What the index keeps of a food until it is asked for; its words are split on demand."""

    __slots__ = ("_parts", "folded", "key", "name", "tier", "words")

    def __init__(self, key: str, name: str, tier_: int) -> None:
        self.key = key
        self.name = name
        self.tier = tier_
        self.words = len(name.split())
        self.folded = fold(name)
        self._parts: tuple[tuple[str, ...], ...] | None = None

    @property
    def parts(self) -> tuple[tuple[str, ...], ...]:
        """The folded words of each comma-separated part of the name."""
        if self._parts is None:
            self._parts = tuple(tuple(_TOKEN.findall(p)) for p in self.folded.split(","))
        return self._parts

    def columns(self) -> tuple[str, str, str]:
        """The name's first part, second part and the rest, folded: the FTS columns."""
        p = self.folded.split(",", 2)
        return (p[0], p[1] if len(p) > 1 else "", p[2] if len(p) > 2 else "")


def _position_cost(entry: _Entry, query: list[str]) -> float:
    """Sum over the typed words of the part where each is found (see the module docstring)."""
    cost = 0.0
    for tok in query:
        plural, plural_es = tok + "s", tok + "es"
        best = len(entry.parts) + PREFIX_ONLY_COST  # not found by these rules: last
        for i, words in enumerate(entry.parts):
            if i >= best:
                break
            for w in words:
                if w in (tok, plural, plural_es):
                    best = i
                    break
                if i + PREFIX_ONLY_COST < best and w.startswith(tok):
                    best = i + PREFIX_ONLY_COST
        cost += best
    return cost


class FoodIndex:
    """The food table plus the user's custom foods, with search as you type (FTS5, in memory).

    Safe to use from several threads (one lock); build it off the GUI thread if you like.
    """

    def __init__(
        self,
        food_rows: list[list[str]],
        header: list[str],
        portion_rows: Mapping[str, list[list[str]]],
        portion_header: list[str],
    ) -> None:
        """Index foods.csv rows (``header`` names the columns) with their portions' rows
        (food_portions.csv, by NDB number, in Seq order); ``load()`` is the usual way in."""
        self._lock = threading.Lock()
        self._header = header
        self._portions = portion_rows
        self._portion_header = portion_header
        col = {name: i for i, name in enumerate(header)}
        self._col_id, self._col_name, self._col_group = (
            col["source_id"],
            col["name"],
            col["food_group"],
        )
        self._rows: dict[str, list[str]] = {}  # USDA key -> foods.csv row
        self._entries: dict[int, _Entry] = {}  # rowid -> entry
        self._rowid: dict[str, int] = {}  # key -> rowid
        self._foods: dict[str, Food] = {}  # built Food values (USDA on demand, custom all)
        self._custom_keys: list[str] = []
        self._first_letter: dict[str, list[int]] = {}  # folded first char -> rowids, ranked
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(
            "CREATE VIRTUAL TABLE food_fts USING fts5(part1, part2, rest, "
            "tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3')"
        )
        self._db.execute(
            "CREATE TABLE food_meta (id INTEGER PRIMARY KEY, tier INTEGER NOT NULL, "
            "words INTEGER NOT NULL)"
        )
        usda: list[tuple[int, _Entry]] = []
        for i, row in enumerate(food_rows, start=1):
            key = "usda:" + row[self._col_id]
            self._rows[key] = row
            name = row[self._col_name]
            usda.append((i, _Entry(key, name, tier(name, row[self._col_group]))))
        self._insert(usda)
        self._rebuild_letters()

    # --- building ------------------------------------------------------------------------

    @classmethod
    def load(cls) -> FoodIndex:
        """The USDA table from the installed package's resources/food/, indexed."""
        base = resources.files(RESOURCE_PACKAGE)
        foods_text = base.joinpath(FOODS_CSV).read_text(encoding="utf-8")
        portions_text = base.joinpath(PORTIONS_CSV).read_text(encoding="utf-8")
        return cls.from_csv_text(foods_text, portions_text)

    @classmethod
    def from_csv_text(cls, foods_csv: str, portions_csv: str) -> FoodIndex:
        """An index from the text of foods.csv and food_portions.csv (same columns)."""
        reader = csv.reader(io.StringIO(foods_csv, newline=""))
        header = next(reader)
        rows = [r for r in reader if r]
        portion_reader = csv.reader(io.StringIO(portions_csv, newline=""))
        portion_header = next(portion_reader)
        id_col = portion_header.index("source_id")
        portions: dict[str, list[list[str]]] = {}
        for p in portion_reader:
            if p:
                portions.setdefault(p[id_col], []).append(p)
        return cls(rows, header, portions, portion_header)

    def _insert(self, items: Iterable[tuple[int, _Entry]]) -> None:
        fts: list[tuple[int, str, str, str]] = []
        meta: list[tuple[int, int, int]] = []
        for rowid, entry in items:
            self._entries[rowid] = entry
            self._rowid[entry.key] = rowid
            fts.append((rowid, *entry.columns()))
            meta.append((rowid, entry.tier, entry.words))
        with self._db:
            self._db.executemany(
                "INSERT INTO food_fts (rowid, part1, part2, rest) VALUES (?, ?, ?, ?)", fts
            )
            self._db.executemany("INSERT INTO food_meta (id, tier, words) VALUES (?, ?, ?)", meta)

    def _rebuild_letters(self) -> None:
        letters: dict[str, list[int]] = {}
        for rowid, entry in self._entries.items():
            first = _TOKEN.search(entry.folded)
            if first is not None:
                letters.setdefault(first.group()[0], []).append(rowid)
        for rowids in letters.values():
            rowids.sort(key=lambda r: (self._entries[r].tier, self._entries[r].words, r))
        self._first_letter = letters

    def set_custom_foods(self, foods: Iterable[Food]) -> None:
        """Replace the custom foods in the index (searched like the others, tier 0)."""
        custom = [f for f in foods if f.is_custom]
        with self._lock:
            old = [r for r in self._entries if r >= CUSTOM_BASE]
            for rowid in old:
                del self._rowid[self._entries.pop(rowid).key]
            for key in self._custom_keys:
                self._foods.pop(key, None)
            with self._db:
                self._db.execute("DELETE FROM food_fts WHERE rowid >= ?", (CUSTOM_BASE,))
                self._db.execute("DELETE FROM food_meta WHERE id >= ?", (CUSTOM_BASE,))
            unique = {f.key: f for f in custom}  # the same name twice: the last one stays
            self._custom_keys = list(unique)
            self._foods.update(unique)
            self._insert(
                (CUSTOM_BASE + i, _Entry(f.key, f.name, 0)) for i, f in enumerate(unique.values())
            )
            self._rebuild_letters()

    # --- reading -------------------------------------------------------------------------

    def __len__(self) -> int:
        """Foods in the index: the USDA table and the custom foods."""
        return len(self._entries)

    def food_keys(self) -> tuple[str, ...]:
        """Every food's key, USDA foods in table order, then custom foods."""
        with self._lock:
            return tuple(self._entries[r].key for r in sorted(self._entries))

    def food(self, key: str) -> Food | None:
        """The food with this key ("usda:01001", "custom:Name"), or None."""
        with self._lock:
            return self._food(key)

    def _food(self, key: str) -> Food | None:
        found = self._foods.get(key)
        if found is not None:
            return found
        row = self._rows.get(key)
        if row is None:
            return None
        portions = [
            dict(zip(self._portion_header, p, strict=True))
            for p in self._portions.get(row[self._col_id], ())
        ]
        made = food_from_row(dict(zip(self._header, row, strict=True)), portions)
        self._foods[key] = made
        return made

    def search(
        self, text: str, *, limit: int = 30, boost: Mapping[str, float] | None = None
    ) -> list[FoodHit]:
        """Foods whose name has every typed word as a word or the start of one, best first.

        Case and accents do not matter; words may come in any order. An empty search gives
        nothing; one letter gives the foods whose name starts with it (boosted ones first).
        """
        query = tokens(text)
        if not query or limit <= 0:
            return []
        boost = boost or {}
        with self._lock:
            if len(query) == 1 and len(query[0]) == 1:
                return self._first_letter_hits(query[0], limit, boost)
            return self._match_hits(query, limit, boost)

    def _match_hits(
        self, query: list[str], limit: int, boost: Mapping[str, float]
    ) -> list[FoodHit]:
        match = " AND ".join(f'"{t}"*' for t in query)  # tokens are letters and digits only
        fetch = max(CANDIDATES, limit * 3)
        (count,) = self._db.execute(
            "SELECT count(*) FROM food_fts WHERE food_fts MATCH ?", (match,)
        ).fetchone()
        join = (
            "FROM food_fts JOIN food_meta ON food_meta.id = food_fts.rowid "
            "WHERE food_fts MATCH ? ORDER BY food_meta.tier, "
        )
        rows: list[tuple[int, float]]
        if count > BROAD_MATCHES:
            # bm25 costs about 1 us a row: a broad search ("s c") is pre-ordered by plainness
            # alone and its candidates get no text score.
            rows = self._db.execute(
                f"SELECT food_fts.rowid, 0.0 {join} food_meta.words, food_fts.rowid LIMIT ?",
                (match, fetch),
            ).fetchall()
        else:
            bm25 = "bm25(food_fts, {}, {}, {})".format(*BM25_WEIGHTS)
            rows = self._db.execute(
                f"SELECT food_fts.rowid, {bm25} {join} {bm25} + {WORD_COST} * food_meta.words "
                "LIMIT ?",
                (match, fetch),
            ).fetchall()
        # Boosted foods that match but came after the candidates: checked here, as FTS5 with
        # "rowid IN (...)" would be slower than the whole search.
        fetched = {rowid for rowid, _ in rows}
        for key in boost:
            rowid = self._rowid.get(key)
            if rowid is not None and rowid not in fetched and self._matches(rowid, query):
                rows.append((rowid, 0.0))
        ranked: list[tuple[tuple[float, int, float, int, float], int, float]] = []
        for rowid, score in rows:
            e = self._entries[rowid]
            order = (-boost.get(e.key, 0.0), e.tier, _position_cost(e, query), e.words, score)
            ranked.append((order, rowid, -score))
        ranked.sort()
        return self._hits((rowid, relevance) for _, rowid, relevance in ranked[:limit])

    def _matches(self, rowid: int, query: list[str]) -> bool:
        """Every typed word starts a word of the name (what the FTS query asks)."""
        words = [w for part in self._entries[rowid].parts for w in part]
        return all(any(w.startswith(tok) for w in words) for tok in query)

    def _first_letter_hits(
        self, letter: str, limit: int, boost: Mapping[str, float]
    ) -> list[FoodHit]:
        boosted = sorted(
            (
                (-score, self._rowid[key])
                for key, score in boost.items()
                if key in self._rowid
                and any(
                    w.startswith(letter) for p in self._entries[self._rowid[key]].parts for w in p
                )
            ),
        )
        picked = [rowid for _, rowid in boosted][:limit]
        seen = set(picked)
        for rowid in self._first_letter.get(letter, ()):
            if len(picked) >= limit:
                break
            if rowid not in seen:
                picked.append(rowid)
        return self._hits((rowid, 0.0) for rowid in picked)

    def _hits(self, ranked: Iterable[tuple[int, float]]) -> list[FoodHit]:
        hits: list[FoodHit] = []
        for rowid, score in ranked:
            made = self._food(self._entries[rowid].key)
            if made is not None:
                hits.append(FoodHit(made, score))
        return hits

    def close(self) -> None:
        """Release the in-memory database (the index is unusable afterwards)."""
        with self._lock:
            self._db.close()
