"""The single-writer lock: one process per data folder, recovered when its holder is killed."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest

from crampdiary.domain.errors import AlreadyRunningError, StorageError
from crampdiary.paths import AppPaths
from crampdiary.storage.lock import InstanceLock

pytestmark = pytest.mark.slow

# Exit codes of the child: 0 lock taken, 3 AlreadyRunningError. With "hold" it reports
# "locked" and waits to be killed.
_CHILD = """
import sys, time
from pathlib import Path
from crampdiary.domain.errors import AlreadyRunningError
from crampdiary.paths import AppPaths
from crampdiary.storage.lock import InstanceLock

lock = InstanceLock(AppPaths(Path(sys.argv[1])))
try:
    lock.acquire()
except AlreadyRunningError as exc:
    print(exc, flush=True)
    sys.exit(3)
if sys.argv[2] == "hold":
    print("locked", flush=True)
    time.sleep(600)
lock.release()
"""


def run_child(data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _CHILD, str(data_dir), "try"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_second_process_is_refused_while_the_lock_is_held(paths: AppPaths) -> None:
    with InstanceLock(paths):
        child = run_child(paths.data_dir)
    assert child.returncode == 3, child.stderr
    assert "Cramp Diary is already open with this diary" in child.stdout
    assert str(paths.data_dir) in child.stdout
    assert "Close it first, or use that window." in child.stdout

    assert run_child(paths.data_dir).returncode == 0, "free again after release"


def test_the_lock_of_a_killed_process_is_taken_over(paths: AppPaths) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(paths.data_dir), "hold"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        assert paths.lock_file.read_text().strip() == str(holder.pid)
        with pytest.raises(AlreadyRunningError):
            InstanceLock(paths).acquire()
    finally:
        holder.kill()  # SIGKILL on POSIX: no clean-up runs in the holder
        holder.wait(timeout=60)
        if holder.stdout is not None:
            holder.stdout.close()

    lock = InstanceLock(paths)
    lock.acquire()
    try:
        assert lock.held
        assert paths.lock_file.read_text().strip() != str(holder.pid)
    finally:
        lock.release()


def test_acquire_and_release_in_one_process(paths: AppPaths) -> None:
    lock = InstanceLock(paths)
    lock.acquire()
    lock.acquire()  # already held by us: nothing to do
    assert lock.held
    lock.release()
    lock.release()
    assert not lock.held
    with InstanceLock(paths) as again:
        assert again.held
    assert not again.held
    assert paths.lock_file.exists(), "the lock file stays; only the OS lock comes and goes"


def test_lock_creates_a_missing_data_folder_privately(tmp_path: Path) -> None:
    paths = AppPaths(tmp_path / "fresh" / "data")
    with InstanceLock(paths):
        if sys.platform != "win32":
            assert stat.S_IMODE(paths.data_dir.stat().st_mode) == 0o700
            assert stat.S_IMODE(paths.lock_file.stat().st_mode) == 0o600


def test_lock_in_an_unusable_folder_is_a_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the data folder should be")
    with pytest.raises(StorageError, match="Cannot create the lock file"):
        InstanceLock(AppPaths(blocker)).acquire()
