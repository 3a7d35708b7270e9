"""Command line: the window by default, headless commands after the global options (as in git)."""

from __future__ import annotations

import json
import os
import re
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crampdiary import __version__
from crampdiary.domain.nights import coming_monday, current_night
from crampdiary.paths import AppPaths, resolve_paths

if TYPE_CHECKING:
    import argparse

    from crampdiary.domain.nutrition import DailyIntake, NutrientTotal
    from crampdiary.domain.stats import PeriodSummary
    from crampdiary.services.diary import DiaryService

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_BAD_INPUT = 2


def build_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="crampdiary",
        description="Cramp Diary: a private diary for night-time leg cramps. "
        "With no command it opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"crampdiary {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="keep the database, backups and logs in DIR "
        "(default: $CRAMPDIARY_DATA_DIR, else the user data folder)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    p = sub.add_parser("export", help="export the diary as JSON (one file) or CSV (a folder)")
    p.add_argument("--format", choices=["json", "csv"], default="json")
    p.add_argument("-o", "--output", required=True, metavar="PATH")
    p = sub.add_parser("import", help="add the records of a JSON export to the diary")
    p.add_argument("path", metavar="PATH")
    sub.add_parser("backup", help="make a backup of the diary now")
    p = sub.add_parser("restore", help="restore the diary from a backup file")
    p.add_argument("file", metavar="FILE")
    p = sub.add_parser("demo-data", help="fill the diary with a realistic synthetic diary")
    p.add_argument("--days", type=int, default=365)
    p.add_argument("--seed", type=int, default=1)
    sub.add_parser("where", help="print where the data lives")
    p = sub.add_parser("checklist", help="write the printable weekly routine checklist as a PDF")
    p.add_argument(
        "--week",
        metavar="YYYY-MM-DD",
        help="the first of the 7 nights (default: the coming Monday)",
    )
    p.add_argument("--paper", choices=["a4", "letter"], default="a4")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    p = sub.add_parser("intake", help="print a day's nutrient totals against the reference values")
    p.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="the day to total")
    p.add_argument("--json", action="store_true", help="print JSON (for scripts)")
    p = sub.add_parser(
        "summary", help="print a period's figures (nights from..to) beside the previous period"
    )
    p.add_argument("--from", dest="first", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="last", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--json", action="store_true", help="print JSON (for scripts)")
    return parser


def _window_only(argv: list[str]) -> tuple[bool, str | None]:
    """(True, data dir or None) when argv asks only for the window: ``[--data-dir DIR]``.

    Opening the window is the common case; it skips argparse to start a little faster.
    """
    if not argv:
        return True, None
    if len(argv) == 2 and argv[0] == "--data-dir" and not argv[1].startswith("-"):
        return True, argv[1]
    if len(argv) == 1 and argv[0].startswith("--data-dir=") and len(argv[0]) > 11:
        return True, argv[0].split("=", 1)[1]
    return False, None


def main(argv: list[str] | None = None) -> int:
    os.umask(0o077)  # everything the app creates is readable by the user alone
    argv = sys.argv[1:] if argv is None else argv
    window, window_dir = _window_only(argv)
    if window:
        from crampdiary.app import run_gui

        return run_gui(resolve_paths(window_dir))
    args = build_parser().parse_args(argv)
    paths = resolve_paths(args.data_dir)
    if args.command is None:
        from crampdiary.app import run_gui

        return run_gui(paths)
    return run_command(args, paths)


def _err(text: str) -> None:
    print(f"crampdiary: {text}", file=sys.stderr)


def run_command(args: argparse.Namespace, paths: AppPaths) -> int:
    from crampdiary.domain.errors import CrampDiaryError, ImportFormatError, ValidationError
    from crampdiary.logsetup import setup_logging

    paths.ensure()
    setup_logging(paths)
    now = datetime.now()
    try:
        if args.command == "where":
            print(
                f"data folder: {paths.data_dir}\ndatabase: {paths.database}\n"
                f"backups: {paths.backups}\nlogs: {paths.logs}"
            )
            return EXIT_OK
        if args.command == "backup":
            from crampdiary.storage.backup import make_backup

            print(make_backup(paths, kind="manual", now=now))
            return EXIT_OK
        if args.command == "restore":
            return _restore(paths, Path(args.file), now)
        if args.command == "intake":
            args.day = _parse_day(args.date, "--date")
        if args.command == "summary":
            args.first_night = _parse_day(args.first, "--from")
            args.last_night = _parse_day(args.last, "--to")
            if args.last_night < args.first_night:
                raise ValidationError("--to", "must be on or after --from")
        if args.command == "checklist":
            args.first_night = (
                _parse_day(args.week, "--week") if args.week else coming_monday(now.date())
            )
        return _with_diary(args, paths, now)
    except (ImportFormatError, ValidationError) as exc:
        _err(str(exc))
        return EXIT_BAD_INPUT
    except CrampDiaryError as exc:
        _err(str(exc))
        return EXIT_ERROR
    except OSError as exc:  # an output path that cannot be written, a full disk, ...
        where = f" ({exc.filename})" if exc.filename else ""
        _err(f"{exc.strerror or exc}{where}")
        return EXIT_ERROR


def _restore(paths: AppPaths, file: Path, now: datetime) -> int:
    from crampdiary.storage.backup import restore_backup
    from crampdiary.storage.lock import InstanceLock

    with InstanceLock(paths):
        kept = restore_backup(paths, file, now=now)
    print(f"restored {file.name}" + (f"; the previous diary was kept as {kept}" if kept else ""))
    return EXIT_OK


def _with_diary(args: argparse.Namespace, paths: AppPaths, now: datetime) -> int:
    from crampdiary.domain.errors import CrampDiaryError
    from crampdiary.services.diary import DiaryService
    from crampdiary.storage.database import open_database
    from crampdiary.storage.lock import InstanceLock

    writes = args.command in ("import", "demo-data")
    if args.command == "export" and not paths.database.exists():
        raise CrampDiaryError(f"There is no diary in {paths.data_dir} to export.")
    if args.command in ("intake", "checklist", "summary") and not paths.database.exists():
        raise CrampDiaryError(f"There is no diary in {paths.data_dir} to total.")
    lock = InstanceLock(paths)
    if writes:
        lock.acquire()
    try:
        engine = open_database(paths, now=now)
        try:
            diary = DiaryService(engine)
            if args.command == "export":
                from crampdiary.services.transfer import write_export

                for written in write_export(diary, args.format, Path(args.output), now=now):
                    print(written)
            elif args.command == "import":
                from crampdiary.services.transfer import import_file
                from crampdiary.storage.backup import make_backup

                make_backup(paths, kind="pre-import", now=now)
                result = import_file(diary, Path(args.path), now=now)
                _print_counts(result.added, result.skipped)
            elif args.command == "demo-data":
                from crampdiary.services.demo import generate_demo

                result = generate_demo(diary, days=args.days, seed=args.seed, now=now)
                _print_counts(result.added, result.skipped)
            elif args.command == "checklist":
                print(_write_checklist(diary, args, now))
            elif args.command == "intake":
                from crampdiary.services.nutrition import NutritionService, load_reference_data

                intake = NutritionService(diary, *load_reference_data()).day_intake(args.day)
                if args.json:
                    print(json.dumps(intake_json(intake), indent=2, ensure_ascii=False))
                else:
                    print(intake_text(intake))
            elif args.command == "summary":
                _print_summary(diary, args)
        finally:
            engine.dispose()
    finally:
        if writes:
            lock.release()
    return EXIT_OK


def _write_checklist(diary: DiaryService, args: argparse.Namespace, now: datetime) -> Path:
    from crampdiary.reports.checklist import ChecklistRow, build_weekly_checklist
    from crampdiary.services.routine import RoutineService
    from crampdiary.storage.files import write_private_atomic

    routine = RoutineService(diary)
    routine.ensure_default_routine(current_night(now))
    rows = [
        ChecklistRow(r.title, r.line, frozenset(r.days))
        for r in routine.checklist_rows(args.first_night)
    ]
    pdf = build_weekly_checklist(
        rows,
        first_night=args.first_night,
        paper=args.paper,
        generated_on=now.date(),
        name=diary.profile().name,
    )
    out = Path(args.output)
    write_private_atomic(out, pdf)
    return out


def _print_counts(added: dict[str, int], skipped: dict[str, int]) -> None:
    for name in added:
        extra = f" ({skipped[name]} already present)" if skipped.get(name) else ""
        print(f"{name}: {added[name]} added{extra}")


# --- intake ------------------------------------------------------------------------------------

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Shown under every printout of intakes (SOURCES.md asks for it).
USDA_ATTRIBUTION = (
    "Source: USDA, Agricultural Research Service, National Nutrient Database for Standard "
    "Reference, Release 28 (also in FoodData Central as SR Legacy)."
)


def _parse_day(text: str, option: str) -> date:
    from crampdiary.domain.errors import ValidationError

    try:
        if not _DAY.fullmatch(text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(option, f"must be a real date as YYYY-MM-DD (got {text!r})") from None


def _amount(value: float) -> float:
    return round(value, 2)


def intake_json(intake: DailyIntake) -> dict[str, Any]:
    """The day's totals as ``crampdiary intake --json`` prints them (null where nothing applies)."""
    from crampdiary.domain.nutrition import NUTRIENTS

    nutrients: dict[str, Any] = {}
    for name in NUTRIENTS:
        total = intake.totals[name]
        ref = total.reference
        nutrients[name] = {
            "food": _amount(total.food),
            "drinks" if name == "water" else "supplements": _amount(total.supplements),
            "total": _amount(total.total),
            "unit": total.unit,
            "reference": None if ref is None else ref.value,
            "reference_kind": None if ref is None else ref.kind,
            "upper_limit": None if ref is None else ref.upper_limit,
            "upper_limit_scope": None if ref is None else ref.upper_limit_scope,
            "foods_without_data": total.foods_without_data,
        }
    return {"date": intake.day.isoformat(), "nutrients": nutrients}


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 10 or value == round(value) else f"{value:,.1f}"


def _with_unit(value: float, unit: str) -> str:
    from crampdiary.domain.nutrition import UNIT_TEXT

    return f"{_number(value)} {UNIT_TEXT.get(unit, unit)}"


def _total_cell(total: NutrientTotal) -> str:
    text = _with_unit(total.total, total.unit)
    missing = total.foods_without_data
    if missing:
        foods = "food" if missing == 1 else "foods"
        text = f"at least {text}, {missing} {foods} without data"
    return text


def _reference_cell(total: NutrientTotal) -> str:
    ref = total.reference
    if ref is None:
        return "no reference value (see below)"
    percent = total.percent_of_reference or 0.0
    if total.total < ref.value:
        where = "below the reference value"
    elif total.total > ref.value:
        where = "above the reference value"
    else:
        where = "at the reference value"
    return f"{_with_unit(ref.value, total.unit)} {ref.kind}: {where} ({percent:.0f}%)"


def intake_text(intake: DailyIntake) -> str:
    """The day's totals as a readable table, with the notes and upper-limit warnings."""
    from crampdiary.domain.nutrition import LABEL, NUTRIENTS

    head = ("Nutrient", "Food", "Supplements/drinks", "Total", "Reference")
    rows = [head]
    for name in NUTRIENTS:
        total = intake.totals[name]
        rows.append(
            (
                LABEL[name],
                _with_unit(total.food, total.unit),
                _with_unit(total.supplements, total.unit),
                _total_cell(total),
                _reference_cell(total),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(head) - 1)]
    entries = "entry" if intake.food_entries == 1 else "entries"
    lines = [
        f"Intake on {intake.day.isoformat()}: {intake.food_entries} food {entries}, "
        f"{_with_unit(intake.drinks_ml, 'ml')} of drinks",
        "",
    ]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    notes: list[str] = []
    for name in NUTRIENTS:
        total = intake.totals[name]
        if total.reference is None and total.reference_note and total.reference_note not in notes:
            notes.append(total.reference_note)
        notes.extend(total.warnings)
    if notes:
        lines.append("")
        lines.extend(notes)
    lines += [
        "",
        "Reference values are population intake targets, not personal requirements.",
        USDA_ATTRIBUTION,
    ]
    return "\n".join(lines)


# --- summary -----------------------------------------------------------------------------------


def _print_summary(diary: DiaryService, args: argparse.Namespace) -> None:
    from crampdiary.services.nutrition import NutritionService, load_reference_data
    from crampdiary.services.routine import RoutineService
    from crampdiary.services.summary import period_summary

    summary = period_summary(
        diary,
        NutritionService(diary, *load_reference_data()),
        RoutineService(diary),
        args.first_night,
        args.last_night,
    )
    if args.json:
        print(json.dumps(summary_json(summary), indent=2, ensure_ascii=False))
    else:
        print(summary_text(summary))


def summary_json(summary: PeriodSummary) -> dict[str, Any]:
    """The figures as ``summary --json`` prints them: full precision, null where undefined."""
    return summary.figures()


# (JSON name, label, unit or "", decimals; None: a count)
_SUMMARY_ROWS: tuple[tuple[str, str, str, int | None], ...] = (
    ("nights_in_period", "Nights in period", "", None),
    ("nights_logged", "Nights logged", "", None),
    ("cramp_nights", "Cramp nights", "", None),
    ("cramp_nights_per_week", "Cramp nights per week", "", 1),
    ("cramps_per_night", "Cramps per night", "", 2),
    ("total_cramps", "Total cramps", "", None),
    ("severity_median", "Peak severity, median", "/10", 1),
    ("severity_mean", "Peak severity, mean", "/10", 1),
    ("severity_max", "Peak severity, max", "/10", None),
    ("duration_median_min", "Duration, median", "min", 1),
    ("duration_q1_min", "Duration, lower quartile", "min", 1),
    ("duration_q3_min", "Duration, upper quartile", "min", 1),
    ("cramps_over_10_min", "Cramps over 10 min", "", None),
    ("nights_woken", "Nights woken by a cramp", "", None),
    ("nights_woken_pct", "Nights woken, % of logged", "pct", 0),
    ("sleep_disturbance_mean", "Sleep disturbance, mean", "/10", 1),
    ("cramps_per_week", "Cramps per week", "", 1),
    ("cramps_over_10_min_pct", "Cramps over 10 min, %", "pct", 0),
    ("routine_adherence", "Routine adherence", "%", 0),
    ("food_days", "Days with food logged", "", None),
    ("magnesium_per_day", "Magnesium per day", "mg", 0),
    ("calcium_per_day", "Calcium per day", "mg", 0),
    ("vitamin_d_per_day", "Vitamin D per day", "µg", 1),
    ("potassium_per_day", "Potassium per day", "mg", 0),
    ("fluid_days", "Days with drinks logged", "", None),
    ("fluids_per_day_ml", "Fluids (drinks) per day", "ml", 0),
)


def _summary_cell(value: Any, unit: str, decimals: int | None) -> str:
    if value is None:
        return "-"
    if decimals is None:
        return f"{value}{unit}" if unit == "/10" else str(value)
    if unit == "%":
        return f"{value * 100:.{decimals}f}%"
    if unit == "pct":
        return f"{value:.{decimals}f}%"
    text = f"{value:,.{decimals}f}"
    if unit == "/10":
        return text + unit
    return f"{text} {unit}" if unit else text


def _change_cell(
    change: tuple[float | None, float | None] | None, unit: str, decimals: int | None
) -> str:
    """The absolute change (percentage points for 0-1 rates) and the % change."""
    absolute, percent = change if change is not None else (None, None)
    if absolute is None:
        return "-"
    if unit == "%":
        text = f"{absolute * 100:+.{decimals or 0}f} pp"
    elif unit == "pct":
        text = f"{absolute:+.{decimals or 0}f} pp"
    else:
        text = f"{absolute:+,.{decimals or 0}f}"
        if unit and unit != "/10":
            text += f" {unit}"
    return f"{text} ({percent:+.0f}%)" if percent is not None else text


def _location_text(split: tuple[tuple[str, int], ...]) -> str:
    return ", ".join(f"{where} {count}" for where, count in split) if split else "-"


def summary_text(summary: PeriodSummary) -> str:
    """The figures as a table: this period beside the previous one and the change against it
    ("-": not defined)."""
    previous = summary.previous
    changes = summary.change() or {}
    head = (
        "",
        f"{summary.first.isoformat()} to {summary.last.isoformat()}",
        f"{previous.first.isoformat()} to {previous.last.isoformat()}" if previous else "",
        "Change" if previous else "",
    )
    rows = [head]
    for name, label, unit, decimals in _SUMMARY_ROWS:
        rows.append(
            (
                label,
                _summary_cell(getattr(summary, name), unit, decimals),
                _summary_cell(getattr(previous, name), unit, decimals) if previous else "",
                _change_cell(changes.get(name), unit, decimals) if previous else "",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "  ".join(
            [row[0].ljust(widths[0]), *(row[i].rjust(widths[i]) for i in range(1, 4))]
        ).rstrip()
        for row in rows
    ]
    lines += ["", f"Location split: {_location_text(summary.location_split)}"]
    if previous:
        lines.append(f"Location split, previous: {_location_text(previous.location_split)}")
    lines += [
        "",
        '"-": not defined for the period (nothing logged, or fewer than 7 nights for per-week '
        "rates).",
        "Intakes are averaged over days with food logged; fluids over days with drinks logged.",
        "Change: this period minus the previous one, and as % of the previous one.",
        USDA_ATTRIBUTION,
    ]
    return "\n".join(lines)
