"""Command line: the window by default, headless commands after the global options (as in git)."""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from crampdiary import __version__
from crampdiary.paths import AppPaths, resolve_paths

if TYPE_CHECKING:
    import argparse

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
        return _with_diary(args, paths, now)
    except (ImportFormatError, ValidationError) as exc:
        _err(str(exc))
        return EXIT_BAD_INPUT
    except CrampDiaryError as exc:
        _err(str(exc))
        return EXIT_ERROR


def _restore(paths: AppPaths, file: Path, now: datetime) -> int:
    from crampdiary.storage.backup import restore_backup
    from crampdiary.storage.lock import InstanceLock

    with InstanceLock(paths):
        kept = restore_backup(paths, file, now=now)
    print(f"restored {file.name}" + (f"; the previous diary was kept as {kept}" if kept else ""))
    return EXIT_OK


def _with_diary(args: argparse.Namespace, paths: AppPaths, now: datetime) -> int:
    from crampdiary.services.diary import DiaryService
    from crampdiary.storage.database import open_database
    from crampdiary.storage.lock import InstanceLock

    writes = args.command in ("import", "demo-data")
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

                result = import_file(diary, Path(args.path), now=now)
                _print_counts(result.added, result.skipped)
            elif args.command == "demo-data":
                from crampdiary.services.demo import generate_demo

                result = generate_demo(diary, days=args.days, seed=args.seed, now=now)
                _print_counts(result.added, result.skipped)
        finally:
            engine.dispose()
    finally:
        if writes:
            lock.release()
    return EXIT_OK


def _print_counts(added: dict[str, int], skipped: dict[str, int]) -> None:
    for name in added:
        extra = f" ({skipped[name]} already present)" if skipped.get(name) else ""
        print(f"{name}: {added[name]} added{extra}")
