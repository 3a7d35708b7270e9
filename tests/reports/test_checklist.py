"""Reports: the printable weekly checklist, read back with pypdf."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from crampdiary.domain.errors import ValidationError
from crampdiary.domain.texts import DISCLAIMER_SHORT
from crampdiary.reports.checklist import (
    COUNT_LABEL,
    NRS_LEGEND,
    WORST_LABEL,
    ChecklistRow,
    build_weekly_checklist,
    checklist_title,
)

FIRST_NIGHT = date(2026, 11, 23)  # a Monday
DATE_LABELS = (
    "Mon 23 Nov",
    "Tue 24 Nov",
    "Wed 25 Nov",
    "Thu 26 Nov",
    "Fri 27 Nov",
    "Sat 28 Nov",
    "Sun 29 Nov",
)
EVERY_NIGHT = frozenset(range(1, 8))

ALL = (1, 2, 3, 4, 5, 6, 7)

# The default routine's shape: 13 items, some on chosen nights only (ISO weekdays, 1 = Monday).
_ITEMS: tuple[tuple[str, str, tuple[int, ...]], ...] = (
    ("Calf stretch at the wall", "Heel down, lean in. 10 s, rest 10 s, 3 times.", ALL),
    ("Standing hamstring stretch", "Heel on a low step, hinge forward. 10 s, 3 times.", ALL),
    ("Seated towel stretch", "Towel round the foot, toes toward the shin. 10 s, 3 times.", (6, 7)),
    (
        "Front-of-thigh stretch",
        "Hold a chair, heel toward buttock. 10 s, 3 times per leg.",
        (1, 3, 5),
    ),
    ("Toe pull in bed", "Pull toes toward the shin until the calf stretches.", ALL),
    ("Warm bath or shower", "About 10 min, warm not hot, 1–2 h before bed.", (2, 4, 6)),
    ("Light movement", "A few minutes of easy walking or ankle circles.", ALL),
    (
        "Legs up for a few minutes",
        "10–15 min on a cushion; stop if it hurts more.",
        (1, 2, 3, 4, 5),
    ),
    ("Drinks through the day", "Sip regularly rather than a lot before bed.", ALL),
    ("Same sleep times", "Bed and up at about the same times, weekends too.", ALL),
    ("Daylight", "Some time outdoors in daylight, ideally in the morning.", ALL),
    ("Set up the bed", "Covers loose over your feet.", ALL),
    ("Evening drinks", "Keep alcohol and caffeine light in the evening.", ()),
)
ROUTINE = tuple(ChecklistRow(title, line, frozenset(days)) for title, line, days in _ITEMS)

PAGE_SIZES = {"a4": (841.89, 595.28), "letter": (792.0, 612.0)}  # landscape, in points


def read(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in read(data).pages]


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_default_routine_fits_one_page_with_dates_items_tally_and_footer(paper: str) -> None:
    data = build_weekly_checklist(
        ROUTINE, first_night=FIRST_NIGHT, paper=paper, generated_on=date(2026, 11, 20)
    )
    reader = read(data)

    assert len(reader.pages) == 1
    page = reader.pages[0]
    width, height = PAGE_SIZES[paper]
    assert float(page.mediabox.width) == pytest.approx(width, abs=0.5)
    assert float(page.mediabox.height) == pytest.approx(height, abs=0.5)
    text = page.extract_text()
    assert "Bedtime routine — week of Mon 23 Nov 2026" in text
    for label in DATE_LABELS:
        assert label in text
    for row in ROUTINE:
        assert row.title in text
        assert row.line in text
    for label in (COUNT_LABEL, WORST_LABEL, "Notes"):
        assert label in text
    assert "0 = no pain, 10 = worst pain imaginable" in NRS_LEGEND
    assert NRS_LEGEND in text
    assert DISCLAIMER_SHORT in text
    assert "Page 1 of 1" in text
    assert "Fri 20 Nov 2026" in text


def test_metadata_names_the_week_and_the_app() -> None:
    data = build_weekly_checklist(ROUTINE, first_night=FIRST_NIGHT, name="Anna Kowalska")
    meta = read(data).metadata
    assert meta is not None
    assert meta.title == checklist_title(FIRST_NIGHT)
    assert meta.title == "Bedtime routine — week of Mon 23 Nov 2026"
    assert meta.subject is not None and "Sun 29 Nov 2026" in meta.subject
    assert meta.creator == "Cramp Diary"
    assert meta.author == "Anna Kowalska"
    assert "Anna Kowalska" in page_texts(data)[0]


def test_columns_follow_first_night_not_monday() -> None:
    text = page_texts(build_weekly_checklist(ROUTINE, first_night=date(2026, 12, 30)))[0]
    assert "week of Wed 30 Dec 2026" in text
    for label in ("Wed 30 Dec", "Thu 31 Dec", "Fri 1 Jan", "Tue 5 Jan"):
        assert label in text


def test_invariant_builds_are_byte_identical() -> None:
    def build() -> bytes:
        return build_weekly_checklist(
            ROUTINE,
            first_night=FIRST_NIGHT,
            paper="letter",
            invariant=True,
            generated_on=date(2026, 11, 20),
            name="Anna",
        )

    first, second = build(), build()
    assert first == second
    meta = read(first).metadata
    assert meta is not None
    assert meta["/CreationDate"].startswith("D:20261120000000")


def test_invariant_without_a_date_is_still_identical() -> None:
    def build() -> bytes:
        return build_weekly_checklist(ROUTINE, first_night=FIRST_NIGHT, invariant=True)

    assert build() == build()


def test_unicode_titles_extract_as_written() -> None:
    rows = (
        ChecklistRow("Rozciąganie łydki", "Pięta na podłodze, 10 s, 3 razy.", EVERY_NIGHT),
        ChecklistRow("Διάταση", "Κρατήστε 10 δευτερόλεπτα, 3 φορές.", frozenset({1, 2})),
        ChecklistRow("Растяжка", "Держите 10 секунд, 3 раза.", frozenset({7})),
    )
    text = page_texts(build_weekly_checklist(rows, first_night=FIRST_NIGHT))[0]
    for row in rows:
        assert row.title in text
        assert row.line in text


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_sixteen_items_still_fit_one_page(paper: str) -> None:
    rows = [*ROUTINE, *ROUTINE[:3]]
    assert len(rows) == 16
    texts = page_texts(build_weekly_checklist(rows, first_night=FIRST_NIGHT, paper=paper))
    assert len(texts) == 1
    assert COUNT_LABEL in texts[0]


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_thirty_items_continue_on_a_second_page_with_the_header(paper: str) -> None:
    rows = [
        ChecklistRow(f"Item number {i:02d}", f"Instructions {i:02d}.", EVERY_NIGHT)
        for i in range(30)
    ]
    texts = page_texts(build_weekly_checklist(rows, first_night=FIRST_NIGHT, paper=paper))

    assert len(texts) == 2
    for number, text in enumerate(texts, start=1):
        assert "Bedtime routine — week of Mon 23 Nov 2026" in text
        assert "Routine item" in text
        for label in DATE_LABELS:
            assert label in text
        assert DISCLAIMER_SHORT in text
        assert f"Page {number} of 2" in text
    joined = "\n".join(texts)
    for row in rows:
        assert joined.count(row.title) == 1
    # The tally follows the last item, once.
    assert COUNT_LABEL not in texts[0]
    assert COUNT_LABEL in texts[1]
    assert "(continued)" in texts[1]


def test_fonts_are_embedded_and_the_page_has_no_images() -> None:
    data = build_weekly_checklist(ROUTINE, first_night=FIRST_NIGHT)
    page = read(data).pages[0]
    resources = page["/Resources"]
    assert "/XObject" not in resources  # vector only: no images
    fonts = resources["/Font"]
    names = set()
    for ref in fonts.values():
        font = ref.get_object()
        assert isinstance(font, DictionaryObject)
        names.add(str(font["/BaseFont"]))
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor  # the TrueType program is in the file
    assert {name.split("+")[-1] for name in names} == {"DejaVuSans", "DejaVuSans-Bold"}


def test_long_text_is_wrapped_or_cut_not_spilled() -> None:
    long_line = "Stretch gently " * 40
    rows = [ChecklistRow("A" * 120, long_line, EVERY_NIGHT), *ROUTINE[:12]]
    texts = page_texts(build_weekly_checklist(rows, first_night=FIRST_NIGHT))
    assert len(texts) == 1
    assert "…" in texts[0]


def test_an_empty_routine_still_prints_the_tally() -> None:
    text = page_texts(build_weekly_checklist([], first_night=FIRST_NIGHT, paper="LETTER"))[0]
    assert "No routine items are active." in text
    assert WORST_LABEL in text


def test_unknown_paper_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError) as caught:
        build_weekly_checklist(ROUTINE, first_night=FIRST_NIGHT, paper="a3")
    assert caught.value.field == "paper"


def test_a_weekday_out_of_range_is_refused_naming_the_row() -> None:
    rows = [ROUTINE[0], ChecklistRow("Bad", "", frozenset({0, 8}))]
    with pytest.raises(ValidationError) as caught:
        build_weekly_checklist(rows, first_night=FIRST_NIGHT)
    assert caught.value.field == "rows[1].days"
