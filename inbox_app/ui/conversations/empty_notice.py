"""The line over an empty conversation list that says why it is empty ("Nothing found").

It follows the list model (resets, inserts, removals) and covers the view's viewport, so the
list panel only creates it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel

from inbox_app.ui.conversations.model import ConversationListModel


class EmptyNotice(QLabel):
    """Shown over ``view`` while a search matches no conversation in any tab."""

    def __init__(self, model: ConversationListModel, view: QAbstractItemView) -> None:
        super().__init__(view.viewport())
        self.setObjectName("emptyNotice")
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setContentsMargins(12, 24, 12, 12)
        self.setWordWrap(True)
        self.setText(self.tr("Nothing found"))
        self.setAccessibleName(self.text())
        self._model = model
        self._viewport = view.viewport()
        self._viewport.installEventFilter(self)
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
            signal.connect(self.refresh)
        self.hide()

    def refresh(self, *_: object) -> None:
        """Shows or hides the notice after the rows changed."""
        empty = self._model.searching and self._model.rowCount() == 0
        self.setGeometry(self._viewport.rect())
        self.setVisible(empty)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._viewport and event.type() == QEvent.Type.Resize:
            self.setGeometry(self._viewport.rect())
        return super().eventFilter(watched, event)
