"""A reply's delivery in its bubble: the mark WhatsApp users know (a clock, one tick, two
ticks, two blue ticks, a red mark), with its accessible text, and for a failed delivery the
reason and "Try again".

The states and reasons come from the client (``Message.delivery``); this module only draws
them and says them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from inbox_app.contract.models import Delivery, DeliveryState
from inbox_app.ui import assets, labels


def mark(delivery: Delivery, parent: QWidget) -> QLabel:
    """The state's icon, named for screen readers and in its tooltip."""
    icon = QLabel(parent)
    icon.setObjectName("deliveryMark")
    icon.setPixmap(assets.pixmap(labels.DELIVERY_ICONS[delivery.state], 14))
    text = labels.delivery_label(delivery.state)
    icon.setAccessibleName(text)
    icon.setToolTip(text)
    return icon


class FailedDelivery(QWidget):
    """ "Not delivered: reason" and the "Try again" button under a failed reply."""

    resendRequested = Signal()

    def __init__(self, delivery: Delivery, parent: QWidget) -> None:
        super().__init__(parent)
        assert delivery.state is DeliveryState.FAILED
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        reason = labels.delivery_failure(delivery.error_code, delivery.error_title)
        self.text = QLabel(self.tr("Not delivered: {0}").format(reason), self)
        self.text.setObjectName("failedText")
        self.text.setTextFormat(Qt.TextFormat.PlainText)  # the channel's words, never markup
        self.text.setWordWrap(True)
        layout.addWidget(self.text)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.button = QPushButton(assets.icon("retry"), self.tr("Try again"), self)
        self.button.setObjectName("resendButton")
        self.button.setAccessibleDescription(self.text.text())
        self.button.clicked.connect(self.resendRequested)
        buttons.addWidget(self.button)
        layout.addLayout(buttons)
