"""Cramp Diary: a private desktop diary for night-time leg cramps."""

__version__ = "0.1.0"
APP_NAME = "Cramp Diary"
APP_ID = "io.github.crampdiary.CrampDiary"
