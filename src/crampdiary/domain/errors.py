"""Domain layer: the expected failures, each with a message a user can act on."""

from __future__ import annotations


class CrampDiaryError(Exception):
    """Base of every expected failure; its message is shown to the user as it is."""


class ValidationError(CrampDiaryError):
    """A value out of range or of the wrong type; names the field and what is allowed."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.detail = message


class StorageError(CrampDiaryError):
    """The database or a file cannot be read or written (damaged, locked, read-only, disk full)."""


class DatabaseUnusableError(StorageError):
    """The diary database cannot be opened; the file is left exactly as it is."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason  # not_sqlite | truncated | newer | read_only | locked | damaged


class ImportFormatError(CrampDiaryError):
    """A file to import is refused whole; names the array, the index and the field."""

    def __init__(
        self,
        message: str,
        *,
        array: str | None = None,
        index: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.array = array
        self.index = index
        self.field = field


class AlreadyRunningError(CrampDiaryError):
    """Another instance already has this data dir open."""
