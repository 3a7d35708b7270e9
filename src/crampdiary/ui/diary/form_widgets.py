"""UI layer: what the diary forms share: optional numbers, notes with a counter, inline errors.

The widgets' ranges are a convenience; the domain's ``validate_*`` decides, and a refusal is shown
inside the form beside the field it names (``RecordDialog``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from crampdiary.domain import vocab
from crampdiary.domain.errors import CrampDiaryError, ValidationError

logger = logging.getLogger(__name__)
T = TypeVar("T")

NOT_RECORDED = "Not recorded"


class OptionalSpinBox(QSpinBox):
    """A whole number from lo to hi, or "Not recorded" (one step below lo)."""

    def __init__(self, lo: int, hi: int, *, suffix: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self._lo = lo
        self.setRange(lo - 1, hi)
        self.setSpecialValueText(NOT_RECORDED)
        self.setSuffix(suffix)
        self.setValue(lo - 1)

    def optional_value(self) -> int | None:
        return None if self.value() < self._lo else self.value()

    def set_optional_value(self, value: int | None) -> None:
        self.setValue(self._lo - 1 if value is None else value)


class OptionalDoubleSpinBox(QDoubleSpinBox):
    """A number from lo to hi, or "Not recorded" (one step below lo)."""

    def __init__(
        self,
        lo: float,
        hi: float,
        *,
        step: float,
        decimals: int = 2,
        suffix: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._lo = lo
        self._exact: float | None = None
        self.setDecimals(decimals)
        self.setSingleStep(step)
        self.setRange(lo - step, hi)
        self.setSpecialValueText(NOT_RECORDED)
        self.setSuffix(suffix)
        self.setValue(lo - step)

    def optional_value(self) -> float | None:
        if self.value() < self._lo:
            return None
        exact = self._exact
        if exact is not None and round(exact, self.decimals()) == self.value():
            return exact  # untouched: keep the stored value, not its rounded display
        return self.value()

    def set_optional_value(self, value: float | None) -> None:
        self._exact = value
        self.setValue(self.minimum() if value is None else value)


class NotesField(QWidget):
    """Free text with a live "n / 2,000 characters" counter; the limit itself is the domain's."""

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QPlainTextEdit()
        self.edit.setTabChangesFocus(True)  # Tab leaves the notes, as in every other field
        self.edit.setAccessibleName(accessible_name)
        self.edit.setMinimumHeight(72)
        self.counter = QLabel()
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(self.counter)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self._on_edit_text_changed)
        self._on_edit_text_changed()

    def text(self) -> str:
        return self.edit.toPlainText()

    def set_text(self, text: str) -> None:
        self.edit.setPlainText(text)

    def _on_edit_text_changed(self) -> None:
        count = len(self.text())
        text = f"{count:,} / {vocab.MAX_NOTES:,} characters"
        if count > vocab.MAX_NOTES:
            text += f": {count - vocab.MAX_NOTES:,} too many"
        self.counter.setText(text)
        self.counter.setAccessibleName(text)
        self.edit.setAccessibleDescription(text)


class RecordDialog(QDialog, Generic[T]):
    """A form that builds one record; OK validates it (and saves it, when given ``save``).

    A refusal stays inside the form: a ``ValidationError`` is shown above the buttons naming the
    field, and that field takes the focus; the dialog stays open and nothing is saved. A
    ``StorageError`` from ``save`` is shown the same way, so the user's entry is not lost.
    """

    def __init__(
        self, parent: QWidget | None, *, title: str, save: Callable[[T], object] | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self._save = save
        self._record: T | None = None
        # field name (as ValidationError names it) -> (label shown, widget to focus)
        self._fields: dict[str, tuple[str, QWidget]] = {}
        self.error_label = QLabel()
        self.error_label.setObjectName("formError")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName("Problem with this form")
        font = self.error_label.font()
        font.setBold(True)
        self.error_label.setFont(font)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def record(self) -> T:
        """The validated record, after the dialog was accepted."""
        if self._record is None:
            raise RuntimeError("the dialog has not been accepted")
        return self._record

    def build(self) -> T:
        """The form's record, validated by the domain (raises ValidationError)."""
        raise NotImplementedError

    def accept(self) -> None:
        try:
            record = self.build()
            if self._save is not None:
                self._save(record)
        except ValidationError as exc:
            self.show_problem(exc)
            return
        except CrampDiaryError as exc:
            logger.warning("form not saved: %s", type(exc).__name__)
            self._show_text(str(exc))
            return
        self._record = record
        self.clear_problem()
        super().accept()

    def show_problem(self, exc: ValidationError) -> None:
        entry = self._fields.get(exc.field)
        if entry is None:
            self._show_text(str(exc))
            return
        label, widget = entry
        self._show_text(f"{label}: {exc.detail}")
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear_problem(self) -> None:
        self.error_label.clear()
        self.error_label.hide()

    def _show_text(self, text: str) -> None:
        self.error_label.setText(f"⚠ {text}")
        self.error_label.setAccessibleDescription(text)
        self.error_label.show()
