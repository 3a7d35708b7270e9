"""The cramp, night and day forms: they build records, and refusals stay inside the form."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot

from crampdiary.domain import vocab
from crampdiary.domain.errors import StorageError
from crampdiary.domain.records import Day, Episode, Night
from crampdiary.ui.diary.day_dialog import SYMPTOMS_NOTE, DayDialog
from crampdiary.ui.diary.episode_dialog import EpisodeDialog, to_qdatetime
from crampdiary.ui.diary.formatting import severity_anchor
from crampdiary.ui.diary.night_dialog import NightDialog
from crampdiary.ui.diary.tag_list_model import TagListModel

if TYPE_CHECKING:
    from pytestqt.modeltest import ModelTester

pytestmark = pytest.mark.gui

NOW = datetime(2026, 11, 25, 8, 30)
TODAY = NOW.date()


def make_episode_dialog(qtbot: QtBot, **kwargs: object) -> EpisodeDialog:
    dialog = EpisodeDialog(None, now=NOW, **kwargs)
    qtbot.addWidget(dialog)
    return dialog


def test_a_new_cramp_starts_from_the_defaults(qtbot: QtBot) -> None:
    start = datetime(2026, 11, 25, 3, 0)
    dialog = make_episode_dialog(
        qtbot, default_start=start, default_muscle="foot", default_side="right"
    )

    assert dialog.windowTitle() == "Add cramp"
    assert dialog.start_edit.dateTime() == to_qdatetime(start)
    assert dialog.muscle_combo.currentData() == "foot"
    assert dialog.side_buttons["right"].isChecked()
    assert (dialog.minutes_spin.value(), dialog.seconds_spin.value()) == (1, 0)
    assert dialog.soreness_spin.text() == "Not recorded"
    assert not any(button.isEnabled() for button in dialog.helped_buttons.values())

    dialog.accept()
    made = dialog.episode()
    assert (made.muscle, made.side, made.duration_s, made.soreness_after) == (
        "foot",
        "right",
        60,
        None,
    )
    assert made.relief == () and made.relief_helped is None


def test_the_pain_scale_shows_the_exact_end_anchors(qtbot: QtBot) -> None:
    dialog = make_episode_dialog(qtbot)
    texts = [label.text() for label in dialog.findChildren(QLabel)]

    assert "0 = no pain" in texts
    assert "10 = worst pain imaginable" in texts
    dialog.severity.set_value(10)
    assert dialog.severity.value_label.text() == "10 of 10: worst pain imaginable"
    dialog.severity.set_value(0)
    assert dialog.severity.value_label.text() == "0 of 10: no pain"
    assert "worst pain imaginable" in dialog.severity.slider.accessibleName()


@pytest.mark.parametrize("value", range(11))
def test_every_score_has_helper_words_and_a_one_is_not_no_pain(value: int) -> None:
    words = severity_anchor(value)
    assert words
    if value in vocab.NRS_ANCHORS:
        assert words == vocab.NRS_ANCHORS[value]
    else:
        assert words.startswith("between ")
    if value > 0:
        assert words != "no pain"


def test_filling_the_form_builds_the_episode(qtbot: QtBot) -> None:
    dialog = make_episode_dialog(qtbot)
    dialog.start_edit.setDateTime(to_qdatetime(datetime(2026, 11, 25, 2, 40)))
    dialog.minutes_spin.setValue(2)
    dialog.seconds_spin.setValue(15)
    dialog.muscle_combo.setCurrentIndex(dialog.muscle_combo.findData("thigh_back"))
    dialog.side_buttons["both"].setChecked(True)
    dialog.severity.set_value(8)
    dialog.woke_check.setChecked(True)
    dialog.relief_checks["stretched"].setChecked(True)
    dialog.relief_checks["heat"].setChecked(True)
    assert dialog.helped_buttons["yes"].isEnabled()
    dialog.helped_buttons["yes"].setChecked(True)
    dialog.soreness_spin.setValue(3)
    dialog.notes.set_text("Both legs\nafter gardening")

    dialog.accept()

    assert dialog.result() == QDialog.DialogCode.Accepted
    made = dialog.episode()
    assert made.started_at == datetime(2026, 11, 25, 2, 40)
    assert made.duration_s == 135
    assert (made.muscle, made.side, made.severity) == ("thigh_back", "both", 8)
    assert made.woke_from_sleep
    assert made.relief == ("stretched", "heat") and made.relief_helped is True
    assert made.soreness_after == 3
    assert made.notes == "Both legs\nafter gardening"
    assert made.night_of == date(2026, 11, 24)


def test_editing_keeps_the_id_and_loads_every_value(qtbot: QtBot) -> None:
    original = Episode(
        started_at=datetime(2026, 11, 24, 23, 5),
        duration_s=61,
        muscle="toes",
        side="right",
        severity=3,
        woke_from_sleep=True,
        relief=("walked",),
        relief_helped=False,
        soreness_after=0,
        notes="short",
    )
    dialog = make_episode_dialog(qtbot, episode=original)
    assert dialog.windowTitle() == "Edit cramp"
    assert dialog.helped_buttons["no"].isChecked()

    dialog.accept()

    assert dialog.episode() == original


def test_a_future_start_is_refused_in_the_form(qtbot: QtBot) -> None:
    saved: list[Episode] = []
    dialog = make_episode_dialog(qtbot, save=saved.append)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.start_edit.setDateTime(to_qdatetime(NOW + timedelta(hours=2)))

    dialog.accept()

    assert dialog.isVisible()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert saved == []
    assert not dialog.error_label.isHidden()
    assert "Start" in dialog.error_label.text() and "future" in dialog.error_label.text()
    assert dialog.focusWidget() is dialog.start_edit
    with pytest.raises(RuntimeError):
        dialog.episode()

    dialog.start_edit.setDateTime(to_qdatetime(NOW))
    dialog.accept()
    assert len(saved) == 1 and dialog.error_label.isHidden()


def test_a_zero_duration_names_the_duration(qtbot: QtBot) -> None:
    dialog = make_episode_dialog(qtbot)
    dialog.minutes_spin.setValue(0)
    dialog.seconds_spin.setValue(0)

    dialog.accept()

    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_label.text() == "⚠ Duration: must be from 0 min 1 s to 1440 min 0 s"
    assert dialog.focusWidget() is dialog.minutes_spin


def test_notes_count_characters_and_the_limit_is_the_domains(qtbot: QtBot) -> None:
    dialog = make_episode_dialog(qtbot)
    dialog.notes.set_text("hello")
    assert dialog.notes.counter.text() == "5 / 2,000 characters"

    dialog.notes.set_text("x" * 2001)
    assert "1 too many" in dialog.notes.counter.text()
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_label.text().startswith("⚠ Notes")


def test_a_storage_failure_on_save_keeps_the_entry(qtbot: QtBot) -> None:
    def locked(_episode: Episode) -> None:
        raise StorageError("The diary is read-only. Check the folder's permissions.")

    dialog = make_episode_dialog(qtbot, save=locked)
    dialog.notes.set_text("keep me")
    dialog.accept()

    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "read-only" in dialog.error_label.text()
    assert dialog.notes.text() == "keep me"


def test_the_form_is_labelled_for_keyboard_and_screen_readers(qtbot: QtBot) -> None:
    dialog = make_episode_dialog(qtbot)
    inputs: list[QWidget] = [
        dialog.start_edit,
        dialog.minutes_spin,
        dialog.seconds_spin,
        dialog.muscle_combo,
        *dialog.side_buttons.values(),
        dialog.severity.slider,
        dialog.woke_check,
        *dialog.relief_checks.values(),
        *dialog.helped_buttons.values(),
        dialog.soreness_spin,
        dialog.notes.edit,
    ]
    assert all(widget.accessibleName() for widget in inputs)
    buddies = {label.buddy() for label in dialog.findChildren(QLabel) if "&" in label.text()}
    for widget in (
        dialog.start_edit,
        dialog.minutes_spin,
        dialog.muscle_combo,
        dialog.severity.slider,
        dialog.soreness_spin,
        dialog.notes.edit,
    ):
        assert widget in buddies
    assert dialog.start_edit.nextInFocusChain() is not None


# --- night --------------------------------------------------------------------------------------


def test_night_dialog_builds_a_night_and_keeps_its_id(qtbot: QtBot) -> None:
    before = Night(night_of=date(2026, 11, 23), sleep_hours=6.0, notes="woke twice")
    dialog = NightDialog(None, night_of=before.night_of, today=TODAY, night=before)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Night of Monday 23 November"

    dialog.no_cramps_check.setChecked(True)
    dialog.disturbance_spin.setValue(4)
    dialog.accept()

    night = dialog.night()
    assert night.id == before.id
    assert (night.no_cramps, night.sleep_hours, night.sleep_disturbance) == (True, 6.0, 4)


def test_night_dialog_optional_values_can_be_cleared(qtbot: QtBot) -> None:
    dialog = NightDialog(None, night_of=date(2026, 11, 23), today=TODAY)
    qtbot.addWidget(dialog)
    assert dialog.hours_spin.text() == "Not recorded"
    dialog.accept()
    assert dialog.night().sleep_hours is None and dialog.night().sleep_disturbance is None


def test_night_dialog_refuses_a_future_night_in_the_form(qtbot: QtBot) -> None:
    saved: list[Night] = []
    dialog = NightDialog(None, night_of=TODAY + timedelta(days=1), today=TODAY, save=saved.append)
    qtbot.addWidget(dialog)
    dialog.accept()
    assert saved == [] and dialog.result() != QDialog.DialogCode.Accepted
    assert "future" in dialog.error_label.text()


def test_night_with_cramps_cannot_be_ticked_no_cramps(qtbot: QtBot) -> None:
    dialog = NightDialog(None, night_of=date(2026, 11, 24), today=TODAY, has_cramps=True)
    qtbot.addWidget(dialog)
    assert not dialog.no_cramps_check.isEnabled()


# --- day ----------------------------------------------------------------------------------------


def test_day_dialog_tags_symptoms_and_numbers(qtbot: QtBot) -> None:
    dialog = DayDialog(
        None, day=date(2026, 11, 24), today=TODAY, known_tags=[*vocab.DEFAULT_TAGS, "gardening"]
    )
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Day of Tuesday 24 November"
    assert any(label.text() == SYMPTOMS_NOTE for label in dialog.findChildren(QLabel))

    dialog.activity_spin.setValue(45)
    dialog.alcohol_spin.setValue(1.5)
    hot = dialog.tag_model.index(list(vocab.DEFAULT_TAGS).index("hot_weather"))
    dialog.tag_model.setData(hot, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert dialog.add_tag("Long drive!")
    dialog.symptom_checks["weakness"].setChecked(True)
    dialog.accept()

    day = dialog.day()
    assert day.activity_min == 45 and day.sunlight_min is None
    assert day.alcohol_units == 1.5 and day.caffeine_drinks is None
    assert day.tags == ("hot_weather", "long_drive")
    assert day.symptoms == ("weakness",)


def test_day_dialog_enter_in_the_tag_box_adds_the_tag_not_the_day(qtbot: QtBot) -> None:
    saved: list[Day] = []
    dialog = DayDialog(None, day=date(2026, 11, 24), today=TODAY, known_tags=[], save=saved.append)
    qtbot.addWidget(dialog)
    dialog.new_tag_edit.setText("new shoes")
    QApplication.sendEvent(
        dialog.new_tag_edit,
        QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier),
    )
    assert saved == [] and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.tag_model.checked_tags() == ("new_shoes",)
    assert dialog.new_tag_edit.text() == ""


def test_day_dialog_refuses_a_tag_without_letters(qtbot: QtBot) -> None:
    dialog = DayDialog(None, day=date(2026, 11, 24), today=TODAY, known_tags=[])
    qtbot.addWidget(dialog)
    assert not dialog.add_tag("!!!")
    assert dialog.error_label.text().startswith("⚠ Tags")
    assert dialog.tag_model.rowCount() == 0


def test_day_dialog_loads_an_existing_day(qtbot: QtBot) -> None:
    existing = Day(
        date=date(2026, 11, 24), caffeine_drinks=3, tags=("my_own",), symptoms=("daytime_cramps",)
    )
    dialog = DayDialog(
        None, day=existing.date, today=TODAY, known_tags=list(vocab.DEFAULT_TAGS), existing=existing
    )
    qtbot.addWidget(dialog)
    dialog.accept()
    assert dialog.day() == existing


def test_tag_list_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    model = TagListModel(["hot_weather", "gardening"], ["gardening"])
    qtmodeltester.check(model)
    model.add_tag("late_dinner")
    qtmodeltester.check(model)
    assert model.checked_tags() == ("gardening", "late_dinner")
    assert model.data(model.index(0)) == "Hot weather"
