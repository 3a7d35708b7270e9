"""UI layer: the Help and About dialogs, read-only pages that never open a link or the network."""

from __future__ import annotations

import logging
from collections.abc import Callable
from html import escape
from typing import TypeVar

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from crampdiary import APP_NAME
from crampdiary.domain import texts

logger = logging.getLogger(__name__)
D = TypeVar("D", bound="HelpDialog")


class HelpDialog(QDialog):
    """A page of rich text with a Close button; Esc closes it. Links are never followed out."""

    def __init__(self, parent: QWidget | None, title: str, html: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)

        self.browser = QTextBrowser(self)
        self.browser.setAccessibleName(title)
        # No network and no other program: a link may only move within this page.
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.setTabChangesFocus(True)
        self.browser.anchorClicked.connect(self._on_browser_anchor_clicked)
        self.browser.setHtml(html)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setAccessibleName("Close")
        self.close_button.setDefault(True)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)

        metrics = self.fontMetrics()
        self.resize(metrics.averageCharWidth() * 80, metrics.lineSpacing() * 32)
        self.close_button.setFocus()

    def html(self) -> str:
        return self.browser.toHtml()

    def text(self) -> str:
        """The page as plain text (what a screen reader reads)."""
        return self.browser.toPlainText()

    def _on_browser_anchor_clicked(self, url: QUrl) -> None:
        if url.isRelative() and url.hasFragment() and not url.path():
            self.browser.scrollToAnchor(url.fragment())
        else:
            logger.debug("link not followed: the help pages stay offline")


class AboutDialog(HelpDialog):
    """Name, version, licence, disclaimer, data sources and where the data lives."""

    def __init__(self, parent: QWidget | None, *, version: str, name: str = APP_NAME) -> None:
        disclaimer = "".join(
            f"<p>{escape(paragraph, quote=False)}</p>" for paragraph in texts.DISCLAIMER_PARAGRAPHS
        )
        html = (
            f"<h2>{escape(name, quote=False)}</h2>"
            f"<p>Version {escape(version, quote=False)}</p>"
            f"<p>Licence: {texts.LICENSE_NAME}</p>"
            f"<p><b>{escape(texts.PRIVACY_TEXT, quote=False)}</b></p>"
            f"<p>{escape(texts.DISCLAIMER_SHORT, quote=False)}</p>"
            f"<h3>Disclaimer</h3>{disclaimer}"
            f"<h3>Data sources</h3><p>{escape(texts.DATA_SOURCES_TEXT, quote=False)}</p>"
        )
        super().__init__(parent, f"About {name}", html)
        self.version = version


def _show(parent: QWidget | None, key: str, kind: type[D], make: Callable[[], D]) -> D:
    """Show a help window without blocking; a second request raises the one already open."""
    if parent is not None:
        for child in parent.findChildren(kind, key):
            if child.isVisible():
                child.raise_()
                child.activateWindow()
                return child
    dialog = make()
    dialog.setObjectName(key)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setModal(False)
    dialog.show()
    return dialog


def show_when_to_see(parent: QWidget | None) -> HelpDialog:
    """Help > When to see a healthcare professional (GUIDE 4.2)."""
    return _show(
        parent,
        "when_to_see_dialog",
        HelpDialog,
        lambda: HelpDialog(parent, texts.WHEN_TO_SEE_TITLE, texts.WHEN_TO_SEE_HTML),
    )


def show_app_guide(parent: QWidget | None) -> HelpDialog:
    """Help > Using Cramp Diary."""
    return _show(
        parent,
        "app_guide_dialog",
        HelpDialog,
        lambda: HelpDialog(parent, texts.APP_GUIDE_TITLE, texts.APP_GUIDE_HTML),
    )


def show_about(parent: QWidget | None, version: str) -> AboutDialog:
    """Help > About."""
    return _show(parent, "about_dialog", AboutDialog, lambda: AboutDialog(parent, version=version))
