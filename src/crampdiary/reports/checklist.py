"""Reports layer: the printable weekly bedtime-routine checklist (plain rows in, PDF bytes out).

One landscape page per week: the routine items down the side (bold title, one-line instructions
under it), the 7 nights across the top, an empty tick box where an item is scheduled and a light
hatch where it is not; below, a box per night for the number of cramps and the worst cramp
(NRS 0-10), and a notes cell per night. Landscape because it gives the instructions room to stay on
one line and each night a column wide enough to write a number or a note in; 13 items fit at full
size, up to about 16 by shrinking rows and type a little, and more continue on further pages with
the header repeated (the tally rows follow the last item). Everything is vector: drawn lines and
real text in the embedded DejaVu fonts, so it prints crisply and reads in greyscale.

ReportLab is imported inside ``build_weekly_checklist`` so that importing ``ChecklistRow`` (for a
service to fill) costs nothing at start-up.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Final

from crampdiary import APP_NAME
from crampdiary.domain.errors import ValidationError
from crampdiary.domain.texts import DISCLAIMER_SHORT
from crampdiary.domain.vocab import NRS_ANCHORS, NRS_MAX, NRS_MIN
from crampdiary.reports.fonts import SANS, SANS_BOLD, register_fonts

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

logger = logging.getLogger(__name__)

PAPERS: Final = ("a4", "letter")
NIGHTS: Final = 7

_WEEKDAYS: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS: Final = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip

COUNT_LABEL: Final = "Cramps this night (count)"
WORST_LABEL: Final = f"Worst cramp ({NRS_MIN}-{NRS_MAX})"
NRS_LEGEND: Final = f"{NRS_MIN} = {NRS_ANCHORS[NRS_MIN]}, {NRS_MAX} = {NRS_ANCHORS[NRS_MAX]}"
NOTES_LABEL: Final = "Notes"
ITEM_HEADER: Final = "Routine item"
NO_ITEMS: Final = "No routine items are active."

# Fixed geometry, in points (1/72 in). Margins stay clear of what desktop printers cannot reach.
_MARGIN_X: Final = 28.0
_MARGIN_TOP: Final = 26.0
_MARGIN_BOTTOM: Final = 20.0
_TITLE_SIZE: Final = 15.0
_LEGEND_SIZE: Final = 8.5
_HEADER_ROW: Final = 20.0
_HEADER_SIZE: Final = 9.0
_FOOTER_SIZE: Final = 7.5
_FOOTER_HEIGHT: Final = 16.0  # the footer line and the gap above it
_DAY_MAX: Final = 64.0
_CELL_PAD_X: Final = 6.0
_ITEM_MIN: Final = 310.0
_TITLE_LINES: Final = 2  # an item's title and instructions wrap to at most 2 lines each, then "…"
_LINE_LINES: Final = 2
_MAX_CHARS: Final = 600  # more than 2 lines hold even in the narrowest glyphs
_ROW_GROW_MAX: Final = 6.0
_NOTES_GROW_FIRST: Final = 24.0
_NOTES_GROW_MAX: Final = 48.0

# Greys (0 = black, 1 = white): the sheet never relies on colour.
_GRID: Final = 0.45
_HEADER_FILL: Final = 0.86
_HATCH_FILL: Final = 0.93
_HATCH_LINE: Final = 0.55
_RULE: Final = 0.78

# Shrink steps tried, largest first: the first that fits everything on the fewest pages wins.
_SCALES: Final = (1.0, 0.95, 0.9, 0.85, 0.8)


@dataclass(frozen=True)
class ChecklistRow:
    """One routine item as printed: its title, one-line instructions and its nights."""

    title: str
    line: str  # one-line instructions
    days: frozenset[int]  # ISO weekdays (1 = Monday) the item is scheduled; others are shaded


def day_label(day: date) -> str:
    """'Mon 23 Nov': English, independent of the process locale."""
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"


def long_date(day: date) -> str:
    """'Mon 23 Nov 2026'."""
    return f"{day_label(day)} {day.year}"


def checklist_title(first_night: date) -> str:
    """The heading of every page, and the PDF's title."""
    return f"Bedtime routine — week of {long_date(first_night)}"


def build_weekly_checklist(
    rows: Sequence[ChecklistRow],
    *,
    first_night: date,
    paper: str = "a4",
    invariant: bool = False,
    generated_on: date | None = None,
    name: str = "",
) -> bytes:
    """The checklist for the 7 nights starting on ``first_night``, as PDF bytes.

    ``paper`` is "a4" or "letter" (landscape). ``invariant`` makes the bytes depend only on the
    input: a fixed creation date (``generated_on`` at midnight UTC, or ReportLab's fixed date)
    and no random document id. ``generated_on`` is printed in the footer; ``name`` beside the
    title (an empty line to write on when blank).
    """
    paper_key = paper.strip().lower()
    if paper_key not in PAPERS:
        raise ValidationError("paper", f"must be one of {', '.join(PAPERS)}, not {paper!r}")
    for index, row in enumerate(rows):
        bad = sorted(d for d in row.days if not 1 <= d <= NIGHTS)
        if bad:
            raise ValidationError(
                f"rows[{index}].days", f"ISO weekdays are 1 (Monday) to 7 (Sunday), not {bad}"
            )

    from reportlab.lib.pagesizes import A4, landscape, letter
    from reportlab.pdfgen.canvas import Canvas

    register_fonts()
    page_w, page_h = landscape(A4 if paper_key == "a4" else letter)
    nights = tuple(first_night + timedelta(days=i) for i in range(NIGHTS))
    layout = _Layout(float(page_w), float(page_h))
    scale, pages = _plan(rows, layout)

    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(page_w, page_h),
        invariant=1 if invariant else 0,
        initialFontName=SANS,  # else an unused, unembedded Helvetica is declared
    )
    title = checklist_title(first_night)
    canvas.setTitle(title)
    canvas.setSubject(
        f"Printable weekly checklist of the bedtime routine, nights of "
        f"{long_date(nights[0])} to {long_date(nights[-1])}"
    )
    canvas.setCreator(APP_NAME)
    canvas.setAuthor(name.strip() or APP_NAME)
    canvas.setKeywords(["bedtime routine", "checklist", "leg cramps"])
    if invariant and generated_on is not None:
        canvas.setDateFormatter(_fixed_date(generated_on))

    sheet = _Sheet(canvas, layout, _Metrics(scale), nights, name.strip(), generated_on)
    for number, page_rows in enumerate(pages, start=1):
        sheet.draw_page(
            title,
            [rows[i] for i in page_rows],
            number=number,
            count=len(pages),
        )
        canvas.showPage()
    canvas.save()
    logger.debug("weekly checklist: %d items, %d page(s), scale %.2f", len(rows), len(pages), scale)
    return buffer.getvalue()


def _fixed_date(day: date) -> Callable[[int, int, int, int, int, int], str]:
    """A ReportLab date formatter that stamps ``day`` at midnight UTC, whatever the clock says."""

    def formatter(_y: int, _mo: int, _d: int, _h: int, _mi: int, _s: int) -> str:
        return f"D:{day.year:04d}{day.month:02d}{day.day:02d}000000+00'00'"

    return formatter


# --- layout ----------------------------------------------------------------------------------


class _Layout:
    """Where things go on the page; independent of the shrink scale."""

    def __init__(self, page_w: float, page_h: float) -> None:
        self.page_w = page_w
        self.page_h = page_h
        self.left = _MARGIN_X
        self.right = page_w - _MARGIN_X
        content_w = self.right - self.left
        self.day_w = min(_DAY_MAX, (content_w - _ITEM_MIN) / NIGHTS)
        self.item_w = content_w - NIGHTS * self.day_w
        self.days_x = self.left + self.item_w
        self.title_base = page_h - _MARGIN_TOP - _TITLE_SIZE * 0.8
        self.legend_base = self.title_base - 16.0
        self.table_top = self.legend_base - 8.0
        self.body_top = self.table_top - _HEADER_ROW
        self.body_bottom = _MARGIN_BOTTOM + _FOOTER_HEIGHT
        # Height for item rows and the tally block, below the column headings.
        self.body_height = self.body_top - self.body_bottom

    def day_x(self, index: int) -> float:
        return self.days_x + index * self.day_w


class _Metrics:
    """Type sizes and row geometry at one shrink scale."""

    def __init__(self, scale: float) -> None:
        self.scale = scale
        self.title_size = 10.0 * scale
        self.title_lead = self.title_size * 1.18
        self.line_size = 8.0 * scale
        self.line_lead = self.line_size * 1.2
        self.pad = 4.0 * scale
        self.min_row = 26.0 * scale
        self.box = max(11.0, 15.0 * scale)
        self.tally_gap = 8.0 * scale
        self.count_h = 24.0 * scale
        self.worst_h = 28.0 * scale
        self.notes_h = 34.0 * scale
        self.label_size = 9.5 * scale
        self.anchor_size = 7.5 * scale
        self.tally_box_w = 34.0 * scale
        self.tally_box_h = 19.0 * scale

    @property
    def tally_height(self) -> float:
        return self.tally_gap + self.count_h + self.worst_h + self.notes_h


@dataclass(frozen=True)
class _RowText:
    title_lines: tuple[str, ...]
    line_lines: tuple[str, ...]
    height: float


def _measure(row: ChecklistRow, width: float, m: _Metrics) -> _RowText:
    title_lines = _wrap(row.title, SANS_BOLD, m.title_size, width, _TITLE_LINES)
    line_lines = _wrap(row.line, SANS, m.line_size, width, _LINE_LINES)
    text_h = len(title_lines) * m.title_lead + len(line_lines) * m.line_lead
    return _RowText(title_lines, line_lines, max(m.min_row, text_h + 2 * m.pad))


def _paginate(heights: Sequence[float], capacity: float, tally: float) -> list[list[int]]:
    """Row indexes per page: fill each page, then make room for the tally on the last one."""
    pages: list[list[int]] = [[]]
    used = 0.0
    for index, height in enumerate(heights):
        if pages[-1] and used + height > capacity:
            pages.append([])
            used = 0.0
        pages[-1].append(index)
        used += height
    moved: list[int] = []
    while len(pages[-1]) > 1 and sum(heights[i] for i in pages[-1]) + tally > capacity:
        moved.insert(0, pages[-1].pop())
    if moved:
        pages.append(moved)
    return pages


def _plan(rows: Sequence[ChecklistRow], layout: _Layout) -> tuple[float, list[list[int]]]:
    """The largest scale among those giving the fewest pages, and the rows on each page."""
    text_w = layout.item_w - 2 * _CELL_PAD_X
    best: tuple[float, list[list[int]]] | None = None
    for scale in _SCALES:
        m = _Metrics(scale)
        heights = [_measure(row, text_w, m).height for row in rows]
        pages = _paginate(heights, layout.body_height, m.tally_height)
        if best is None or len(pages) < len(best[1]):
            best = (scale, pages)
        if len(pages) == 1:
            break
    assert best is not None
    return best


def _wrap(text: str, font: str, size: float, width: float, max_lines: int) -> tuple[str, ...]:
    """Greedy word wrap by the font's real widths; over-long words break; an ellipsis ends a cut."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    def fits(s: str) -> bool:
        return bool(stringWidth(s, font, size) <= width)

    tokens: list[str] = []
    for word in text[:_MAX_CHARS].split():
        while not fits(word) and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and not fits(word[:cut]):
                cut -= 1
            tokens.append(word[:cut])
            word = word[cut:]
        tokens.append(word)
    lines: list[str] = []
    current = ""
    for token in tokens:
        candidate = f"{current} {token}" if current else token
        if current and not fits(candidate):
            lines.append(current)
            current = token
        else:
            current = candidate
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and not fits(last + "…"):
            last = last[:-1]
        lines = [*lines[: max_lines - 1], last.rstrip() + "…"]
    return tuple(lines)


# --- drawing ---------------------------------------------------------------------------------


class _Sheet:
    """Draws pages of the checklist on one canvas."""

    def __init__(
        self,
        canvas: Canvas,
        layout: _Layout,
        metrics: _Metrics,
        nights: tuple[date, ...],
        name: str,
        generated_on: date | None,
    ) -> None:
        self.c = canvas
        self.lay = layout
        self.m = metrics
        self.nights = nights
        self.name = name
        self.generated_on = generated_on

    def draw_page(
        self, title: str, rows: Sequence[ChecklistRow], *, number: int, count: int
    ) -> None:
        c, lay, m = self.c, self.lay, self.m
        self._header(title, continued=number > 1)
        self._column_headings()
        text_w = lay.item_w - 2 * _CELL_PAD_X
        texts = [_measure(row, text_w, m) for row in rows]
        last = number == count
        # Spare height on the page goes first to the notes cells (room to write), then to roomier
        # rows (single page only, so that the pages of one sheet match), then to notes again.
        spare = lay.body_height - sum(t.height for t in texts) - (m.tally_height if last else 0)
        spare = max(0.0, spare)
        notes_extra = min(spare, _NOTES_GROW_FIRST) if last else 0.0
        spare -= notes_extra
        grow = 0.0
        if count == 1 and texts:
            grow = min(spare / len(texts), _ROW_GROW_MAX * m.scale)
            spare -= grow * len(texts)
        if last:
            notes_extra = min(notes_extra + spare, _NOTES_GROW_MAX)
        y = lay.body_top
        row_lines: list[float] = []
        for row, text in zip(rows, texts, strict=True):
            self._item_row(row, text, y, text.height + grow)
            y -= text.height + grow
            row_lines.append(y)
        if not rows:
            c.setFont(SANS, m.line_size)
            c.drawString(lay.left + _CELL_PAD_X, y - m.min_row / 2, NO_ITEMS)
            y -= m.min_row
        table_bottom = y
        self._frame(lay.table_top, table_bottom, row_lines, heading=True)
        if last:
            self._tally(table_bottom - m.tally_gap, notes_extra)
        self._footer(number, count)
        c.setFillGray(0)

    # header -------------------------------------------------------------------------------

    def _header(self, title: str, *, continued: bool) -> None:
        c, lay = self.c, self.lay
        c.setFillGray(0)
        c.setFont(SANS_BOLD, _TITLE_SIZE)
        c.drawString(lay.left, lay.title_base, title)
        title_end = lay.left + c.stringWidth(title, SANS_BOLD, _TITLE_SIZE)
        if continued:
            c.setFont(SANS, _LEGEND_SIZE + 1)
            c.drawString(title_end + 8, lay.title_base, "(continued)")
        self._name_field(title_end + (80 if continued else 24))
        self._legend()

    def _name_field(self, min_x: float) -> None:
        c, lay = self.c, self.lay
        size = 10.0
        label = "Name:"
        label_w = c.stringWidth(label + " ", SANS, size)
        c.setFont(SANS, size)
        if self.name:
            room = lay.right - min_x - label_w
            shown = _wrap(self.name, SANS, size, room, 1)
            text = shown[0] if shown else ""
            x = lay.right - label_w - c.stringWidth(text, SANS, size)
            c.drawString(x, lay.title_base, label)
            c.drawString(x + label_w, lay.title_base, text)
        else:
            rule_w = min(170.0, lay.right - min_x - label_w)
            x = lay.right - rule_w - label_w
            c.drawString(x, lay.title_base, label)
            c.setStrokeGray(0)
            c.setLineWidth(0.6)
            c.line(x + label_w, lay.title_base - 2, lay.right, lay.title_base - 2)

    def _legend(self) -> None:
        c, lay = self.c, self.lay
        y = lay.legend_base
        size = _LEGEND_SIZE
        c.setFont(SANS, size)
        x = lay.left
        box = 8.5
        self._tick_box(x + box / 2, y + size * 0.35, box, line=0.8)
        x += box + 4
        text = "Tick the box when you have done the item that night."
        c.setFillGray(0)
        c.drawString(x, y, text)
        x += c.stringWidth(text, SANS, size) + 18
        sample_w, sample_h = 20.0, 10.0
        self._hatch(x, y - 2.5, sample_w, sample_h)
        c.setStrokeGray(_GRID)
        c.setLineWidth(0.5)
        c.rect(x, y - 2.5, sample_w, sample_h, stroke=1, fill=0)
        x += sample_w + 4
        c.setFillGray(0)
        c.drawString(x, y, "Shaded: not planned for that night.")
        made = f"Printed from {APP_NAME}"
        if self.generated_on is not None:
            made += f" on {long_date(self.generated_on)}"
        c.drawRightString(lay.right, y, made)

    def _column_headings(self) -> None:
        c, lay = self.c, self.lay
        top, bottom = lay.table_top, lay.body_top
        c.setFillGray(_HEADER_FILL)
        c.rect(lay.left, bottom, lay.right - lay.left, top - bottom, stroke=0, fill=1)
        c.setFillGray(0)
        base = bottom + (top - bottom) / 2 - _HEADER_SIZE * 0.35
        c.setFont(SANS_BOLD, _HEADER_SIZE)
        c.drawString(lay.left + _CELL_PAD_X, base, ITEM_HEADER)
        labels = [day_label(night) for night in self.nights]
        widest = max(c.stringWidth(label, SANS_BOLD, _HEADER_SIZE) for label in labels)
        size = min(_HEADER_SIZE, _HEADER_SIZE * (lay.day_w - 8) / widest)
        c.setFont(SANS_BOLD, size)
        for index, label in enumerate(labels):
            c.drawCentredString(lay.day_x(index) + lay.day_w / 2, base, label)

    # item rows ----------------------------------------------------------------------------

    def _item_row(self, row: ChecklistRow, text: _RowText, top: float, height: float) -> None:
        c, lay, m = self.c, self.lay, self.m
        bottom = top - height
        block = len(text.title_lines) * m.title_lead + len(text.line_lines) * m.line_lead
        y = top - (height - block) / 2
        x = lay.left + _CELL_PAD_X
        c.setFillGray(0)
        c.setFont(SANS_BOLD, m.title_size)
        for line in text.title_lines:
            y -= m.title_lead
            c.drawString(x, y + (m.title_lead - m.title_size) / 2 + m.title_size * 0.12, line)
        c.setFont(SANS, m.line_size)
        for line in text.line_lines:
            y -= m.line_lead
            c.drawString(x, y + (m.line_lead - m.line_size) / 2 + m.line_size * 0.12, line)
        for index, night in enumerate(self.nights):
            x0 = lay.day_x(index)
            if night.isoweekday() in row.days:
                self._tick_box(x0 + lay.day_w / 2, bottom + height / 2, m.box, line=1.0)
            else:
                self._hatch(x0, bottom, lay.day_w, height)

    def _tick_box(self, cx: float, cy: float, size: float, *, line: float) -> None:
        c = self.c
        c.setStrokeGray(0)
        c.setFillGray(1)
        c.setLineWidth(line)
        c.rect(cx - size / 2, cy - size / 2, size, size, stroke=1, fill=1)

    def _hatch(self, x: float, y: float, w: float, h: float) -> None:
        """Light fill and diagonal lines, clipped to the cell: 'not scheduled' in any print."""
        c = self.c
        c.saveState()
        clip = c.beginPath()
        clip.rect(x, y, w, h)
        c.clipPath(clip, stroke=0, fill=0)
        c.setFillGray(_HATCH_FILL)
        c.rect(x, y, w, h, stroke=0, fill=1)
        c.setStrokeGray(_HATCH_LINE)
        c.setLineWidth(0.5)
        step = 5.0
        offset = -h
        while offset < w:
            c.line(x + offset, y, x + offset + h, y + h)
            offset += step
        c.restoreState()

    def _frame(
        self, top: float, bottom: float, row_lines: Sequence[float], *, heading: bool
    ) -> None:
        """Grid lines over the cells (drawn last, so no hatch covers them) and the outline."""
        c, lay = self.c, self.lay
        c.setStrokeGray(_GRID)
        c.setLineWidth(0.5)
        for y in row_lines:
            c.line(lay.left, y, lay.right, y)
        for index in range(1, NIGHTS):
            x = lay.day_x(index)
            c.line(x, top, x, bottom)
        c.setStrokeGray(0)
        c.setLineWidth(0.9)
        c.line(lay.days_x, top, lay.days_x, bottom)
        if heading:
            c.line(lay.left, lay.body_top, lay.right, lay.body_top)
        c.rect(lay.left, bottom, lay.right - lay.left, top - bottom, stroke=1, fill=0)

    # tally --------------------------------------------------------------------------------

    def _tally(self, top: float, notes_extra: float) -> None:
        c, lay, m = self.c, self.lay, self.m
        x_text = lay.left + _CELL_PAD_X
        y = top
        rows_top = y
        row_lines: list[float] = []
        # Count and worst severity: a box per night to write a number in.
        for label, legend, height in (
            (COUNT_LABEL, "", m.count_h),
            (WORST_LABEL, NRS_LEGEND, m.worst_h),
        ):
            bottom = y - height
            c.setFillGray(0)
            if legend:
                block = m.label_size * 1.2 + m.anchor_size * 1.2
                base = bottom + (height - block) / 2 + m.anchor_size * 1.2 + m.label_size * 0.3
                c.setFont(SANS_BOLD, m.label_size)
                c.drawString(x_text, base, label)
                c.setFont(SANS, m.anchor_size)
                c.drawString(x_text, base - m.anchor_size * 1.35, legend)
            else:
                c.setFont(SANS_BOLD, m.label_size)
                c.drawString(x_text, bottom + height / 2 - m.label_size * 0.35, label)
            for index in range(NIGHTS):
                cx = lay.day_x(index) + lay.day_w / 2
                c.setStrokeGray(0)
                c.setFillGray(1)
                c.setLineWidth(1.0)
                c.rect(
                    cx - m.tally_box_w / 2,
                    bottom + (height - m.tally_box_h) / 2,
                    m.tally_box_w,
                    m.tally_box_h,
                    stroke=1,
                    fill=1,
                )
            row_lines.append(bottom)
            y = bottom
        # Notes: a cell per night with faint writing lines.
        bottom = y - m.notes_h - notes_extra
        c.setFillGray(0)
        c.setFont(SANS_BOLD, m.label_size)
        c.drawString(x_text, y - m.pad - m.label_size, NOTES_LABEL)
        c.setFont(SANS, m.anchor_size)
        c.drawString(
            x_text, y - m.pad - m.label_size - m.anchor_size * 1.4, "Anything unusual that night."
        )
        c.setStrokeGray(_RULE)
        c.setLineWidth(0.4)
        rule_gap = 13.0 * m.scale
        rule_y = y - rule_gap
        while rule_y > bottom + 4:
            c.line(lay.days_x + 4, rule_y, lay.right - 4, rule_y)
            rule_y -= rule_gap
        self._frame(rows_top, bottom, row_lines, heading=False)

    # footer -------------------------------------------------------------------------------

    def _footer(self, number: int, count: int) -> None:
        c, lay = self.c, self.lay
        c.setFillGray(0)
        c.setFont(SANS, _FOOTER_SIZE)
        c.drawString(lay.left, _MARGIN_BOTTOM, DISCLAIMER_SHORT)
        c.setFont(SANS_BOLD, _FOOTER_SIZE + 0.5)
        c.drawRightString(lay.right, _MARGIN_BOTTOM, f"Page {number} of {count}")
