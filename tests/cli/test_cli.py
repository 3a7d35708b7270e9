"""The headless command line: global options first, exit codes, the data format round trip."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from crampdiary import __version__
from crampdiary.cli import EXIT_BAD_INPUT, EXIT_ERROR, EXIT_OK, main


def run(data: Path, *args: str) -> int:
    return main(["--data-dir", str(data), *args])


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def without_exported_at(path: Path) -> dict[str, object]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc.pop("exported_at")
    return doc


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_data_dir_from_environment(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("CRAMPDIARY_DATA_DIR", str(tmp_path / "env"))
    assert main(["where"]) == EXIT_OK
    assert str(tmp_path / "env") in capsys.readouterr().out
    assert main(["--data-dir", str(tmp_path / "flag"), "where"]) == EXIT_OK
    assert str(tmp_path / "flag") in capsys.readouterr().out


@pytest.mark.slow
def test_round_trip_of_a_year_through_the_command_line(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    assert run(first, "demo-data", "--days", "365", "--seed", "7") == EXIT_OK
    assert run(first, "export", "--format", "json", "-o", str(tmp_path / "a.json")) == EXIT_OK
    assert run(second, "import", str(tmp_path / "a.json")) == EXIT_OK
    assert run(second, "export", "--format", "json", "-o", str(tmp_path / "b.json")) == EXIT_OK
    a, b = without_exported_at(tmp_path / "a.json"), without_exported_at(tmp_path / "b.json")
    assert len(a["episodes"]) > 100  # type: ignore[arg-type]
    assert a == b
    # Importing the same file again adds nothing.
    assert run(second, "import", str(tmp_path / "a.json")) == EXIT_OK
    assert run(second, "export", "--format", "json", "-o", str(tmp_path / "c.json")) == EXIT_OK
    assert without_exported_at(tmp_path / "c.json") == a


def test_a_file_with_one_bad_record_is_refused_whole(tmp_path: Path, capsys) -> None:
    data = tmp_path / "data"
    assert run(data, "demo-data", "--days", "30", "--seed", "3") == EXIT_OK
    assert run(data, "export", "-o", str(tmp_path / "good.json")) == EXIT_OK
    doc = json.loads((tmp_path / "good.json").read_text(encoding="utf-8"))
    for ep in doc["episodes"]:
        ep["id"] = ep["id"] + "-new"  # all new records...
    doc["episodes"][3]["severity"] = 14  # ...but one bad one
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    before = run(data, "export", "-o", str(tmp_path / "before.json"))
    assert before == EXIT_OK
    capsys.readouterr()

    assert run(data, "import", str(bad)) == EXIT_BAD_INPUT
    message = capsys.readouterr().err
    assert "episodes[3]" in message and "severity" in message

    assert run(data, "export", "-o", str(tmp_path / "after.json")) == EXIT_OK
    assert without_exported_at(tmp_path / "after.json") == without_exported_at(
        tmp_path / "before.json"
    )


def test_not_json_is_refused(tmp_path: Path, capsys) -> None:
    junk = tmp_path / "junk.json"
    junk.write_bytes(b"\x89PNG not json")
    assert run(tmp_path / "data", "import", str(junk)) == EXIT_BAD_INPUT
    assert capsys.readouterr().err.startswith("crampdiary: ")


def test_backup_and_restore(tmp_path: Path, capsys) -> None:
    data = tmp_path / "data"
    assert run(data, "demo-data", "--days", "20", "--seed", "1") == EXIT_OK
    capsys.readouterr()
    assert run(data, "backup") == EXIT_OK
    backup = Path(capsys.readouterr().out.strip())
    assert backup.exists() and backup.parent == data / "backups"
    assert run(data, "export", "-o", str(tmp_path / "before.json")) == EXIT_OK
    other = tmp_path / "other"
    assert run(other, "demo-data", "--days", "40", "--seed", "2") == EXIT_OK
    assert run(other, "export", "-o", str(tmp_path / "other.json")) == EXIT_OK
    assert run(data, "import", str(tmp_path / "other.json")) == EXIT_OK
    assert run(data, "restore", str(backup)) == EXIT_OK
    assert run(data, "export", "-o", str(tmp_path / "after.json")) == EXIT_OK
    assert without_exported_at(tmp_path / "after.json") == without_exported_at(
        tmp_path / "before.json"
    )


def test_restoring_garbage_is_refused_and_changes_nothing(tmp_path: Path, capsys) -> None:
    data = tmp_path / "data"
    assert run(data, "demo-data", "--days", "5", "--seed", "1") == EXIT_OK
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"nope" * 100)
    db = data / "diary.sqlite3"
    before = sha(db)
    capsys.readouterr()
    assert run(data, "restore", str(garbage)) == EXIT_ERROR
    assert "crampdiary:" in capsys.readouterr().err
    assert sha(db) == before


def test_a_garbage_database_is_reported_and_kept(tmp_path: Path, capsys) -> None:
    data = tmp_path / "data"
    data.mkdir()
    db = data / "diary.sqlite3"
    db.write_bytes(b"garbage" * 1000)
    before = sha(db)
    assert run(data, "export", "-o", str(tmp_path / "x.json")) == EXIT_ERROR
    assert "is not a Cramp Diary database" in capsys.readouterr().err
    assert sha(db) == before


def test_writers_wait_for_the_open_window(tmp_path: Path, capsys) -> None:
    data = tmp_path / "data"
    assert run(data, "demo-data", "--days", "3", "--seed", "1") == EXIT_OK
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys,time;from crampdiary.paths import AppPaths;"
            "from crampdiary.storage.lock import InstanceLock;"
            f"l=InstanceLock(AppPaths(__import__('pathlib').Path({str(data)!r})));l.acquire();"
            "print('held',flush=True);time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        capsys.readouterr()
        assert run(data, "import", str(tmp_path / "none.json")) == EXIT_ERROR
        assert "already open" in capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()


def test_files_are_private(tmp_path: Path) -> None:
    if sys.platform == "win32":
        pytest.skip("POSIX modes")
    data = tmp_path / "data"
    assert run(data, "demo-data", "--days", "3", "--seed", "1") == EXIT_OK
    assert run(data, "export", "-o", str(tmp_path / "out.json")) == EXIT_OK
    assert data.stat().st_mode & 0o777 == 0o700
    for path in [data / "diary.sqlite3", tmp_path / "out.json", *(data / "logs").iterdir()]:
        assert path.stat().st_mode & 0o777 == 0o600, path


def test_demo_data_never_mixes_with_a_real_diary(tmp_path: Path, capsys) -> None:
    data = tmp_path / "data"
    assert run(data, "demo-data", "--days", "3", "--seed", "1") == EXIT_OK
    capsys.readouterr()
    assert run(data, "demo-data", "--days", "3", "--seed", "2") == EXIT_ERROR
    assert "empty diary" in capsys.readouterr().err


def test_a_data_folder_with_odd_characters_keeps_everything_inside(tmp_path: Path) -> None:
    data = tmp_path / "what?x%y"
    assert run(data, "demo-data", "--days", "5", "--seed", "1") == EXIT_OK
    assert not (tmp_path / "what").exists()
    assert run(data, "export", "-o", str(tmp_path / "odd.json")) == EXIT_OK
    assert json.loads((tmp_path / "odd.json").read_text(encoding="utf-8"))["episodes"]


def test_export_of_a_missing_diary_is_refused(tmp_path: Path, capsys) -> None:
    assert run(tmp_path / "typo", "export", "-o", str(tmp_path / "x.json")) == EXIT_ERROR
    assert "no diary" in capsys.readouterr().err
    assert not (tmp_path / "typo" / "diary.sqlite3").exists()


def test_import_makes_a_backup_first(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run(data, "demo-data", "--days", "5", "--seed", "1") == EXIT_OK
    assert run(data, "export", "-o", str(tmp_path / "a.json")) == EXIT_OK
    assert run(data, "import", str(tmp_path / "a.json")) == EXIT_OK
    assert [p for p in (data / "backups").iterdir() if p.name.endswith("-pre-import.sqlite3")]


def test_text_that_cannot_be_stored_is_refused_by_name(tmp_path: Path, capsys) -> None:
    doc = {
        "format": "crampdiary",
        "version": 1,
        "episodes": [
            {
                "started_at": "2026-11-20T03:00",
                "duration_s": 60,
                "muscle": "calf",
                "side": "left",
                "severity": 5,
                "notes": "\ud800 hi",
            }
        ],
    }
    bad = tmp_path / "surrogate.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")  # json escapes it as \\ud800
    assert run(tmp_path / "data", "import", str(bad)) == EXIT_BAD_INPUT
    assert "episodes[0].notes" in capsys.readouterr().err
