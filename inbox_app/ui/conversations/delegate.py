"""Paints one conversation row: channel, name, time, preview, unread badge, priority, states.

A delegate rather than a widget per row, so 100,000 rows cost one painted screenful. Every
row has the same height (the view relies on it for uniform row heights).
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from inbox_app.client import ConversationView
from inbox_app.contract.models import Priority, Status
from inbox_app.ui import assets, labels

#: The ConversationView of a row (the delegate and the proxy read it).
VIEW_ROLE = Qt.ItemDataRole.UserRole + 1
#: The conversation id of a row.
ID_ROLE = Qt.ItemDataRole.UserRole + 2
#: The tab a search result lives in (translated), None when not searching.
TAB_ROLE = Qt.ItemDataRole.UserRole + 3
ROW_HEIGHT = 66
_PAD = 12
_CHANNEL_W = 20  # the channel icon before the name, and its gap
_INK = QColor("#101828")
_MUTED = QColor("#667085")
_LIGHT = QColor("#98a2b3")
_ACCENT = QColor("#0f766e")
_SELECTED = QColor("#e6f4f1")
_HOVER = QColor("#f9fafb")
_RULE = QColor("#f2f4f7")
_FAILED = QColor("#d92d20")


def row_time(view: ConversationView, now: datetime | None = None) -> str:
    """The time a row shows: the last message's time today, a day or a date before."""
    return labels.short_time(view.summary.last_message_at or view.summary.updated_at, now)


class ConversationDelegate(QStyledItemDelegate):
    """Paints a :class:`ConversationView` read from the model's view role."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fonts: dict[str, QFont] = {}

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        """Every row is ROW_HEIGHT high (the view relies on uniform rows)."""
        return QSize(280, ROW_HEIGHT)

    def _font(self, base: QFont, kind: str) -> QFont:
        key = f"{kind}:{base.key()}"
        font = self._fonts.get(key)
        if font is None:
            font = QFont(base)
            if kind == "name_bold":
                font.setWeight(QFont.Weight.Bold)
            elif kind == "name":
                font.setWeight(QFont.Weight.Medium)
            elif kind == "small":
                font.setPointSizeF(max(7.0, base.pointSizeF() - 1.5))
            elif kind == "chip":
                font.setPointSizeF(max(7.0, base.pointSizeF() - 2))
                font.setWeight(QFont.Weight.DemiBold)
            self._fonts[key] = font
        return font

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        view: ConversationView | None = index.data(VIEW_ROLE)
        if view is None:
            return
        summary = view.summary
        rect: QRect = option.rect
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        state = option.state
        if state & QStyle.StateFlag.State_Selected:
            painter.fillRect(rect, _SELECTED)
            painter.fillRect(QRect(rect.left(), rect.top(), 3, rect.height()), _ACCENT)
        elif state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(rect, _HOVER)
        painter.setPen(_RULE)
        painter.drawLine(rect.left() + _PAD, rect.bottom(), rect.right(), rect.bottom())

        unread = summary.unread_count > 0
        ink = _LIGHT if view.pending else _INK
        muted = _LIGHT if view.pending else _MUTED
        base = option.font
        left = rect.left() + _PAD
        right = rect.right() - _PAD
        line1 = rect.top() + 10
        line2 = rect.top() + 36

        # line 1, right to left: time, pending clock / failed mark
        small = self._font(base, "small")
        painter.setFont(small)
        time_text = row_time(view)
        fm_small = QFontMetrics(small)
        time_w = fm_small.horizontalAdvance(time_text)
        painter.setPen(_ACCENT if unread else muted)
        painter.drawText(
            QRect(right - time_w, line1, time_w, 20),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, time_text,
        )
        x_end = right - time_w - 6
        tab = index.data(TAB_ROLE)
        if tab:  # a search result: the tab it lives in, before the time
            tab_w = fm_small.horizontalAdvance(tab)
            painter.setPen(muted)
            painter.drawText(
                QRect(x_end - tab_w, line1, tab_w, 20),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, tab,
            )
            x_end -= tab_w + 8
        if view.failed:
            painter.drawPixmap(x_end - 14, line1 + 3, assets.pixmap("failed", 14))
            x_end -= 20
        if view.pending:
            painter.drawPixmap(x_end - 14, line1 + 3, assets.pixmap("clock", 14))
            x_end -= 20
        if summary.status == Status.ARCHIVED:
            painter.drawPixmap(x_end - 14, line1 + 3, assets.pixmap("archive", 14))
            x_end -= 20

        # line 1: the channel's icon (one patient on two channels is two rows), then the
        # patient's name, bold when unread (the row's accessible text names the channel)
        painter.drawPixmap(left, line1 + 3, assets.pixmap(labels.channel_icon(summary.channel),
                                                          14))
        name_left = left + _CHANNEL_W
        name_font = self._font(base, "name_bold" if unread else "name")
        painter.setFont(name_font)
        painter.setPen(ink)
        fm = QFontMetrics(name_font)
        name_w = max(10, x_end - name_left - 4)
        painter.drawText(
            QRect(name_left, line1, name_w, 20),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            fm.elidedText(summary.patient_name, Qt.TextElideMode.ElideRight, name_w),
        )

        # line 2, right to left: unread badge, priority chip, preview
        x_end = right
        if unread:
            painter.setFont(self._font(base, "chip"))
            count = "99+" if summary.unread_count > 99 else str(summary.unread_count)
            badge_w = max(20, QFontMetrics(painter.font()).horizontalAdvance(count) + 12)
            badge = QRect(x_end - badge_w, line2 + 1, badge_w, 18)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_LIGHT if view.pending else _ACCENT)
            painter.drawRoundedRect(badge, 9, 9)
            painter.setPen(QColor("#ffffff"))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, count)
            x_end -= badge_w + 6
        priority = Priority(summary.priority)
        chip_font = self._font(base, "chip")
        painter.setFont(chip_font)
        chip_text = labels.priority_label(priority)
        chip_w = QFontMetrics(chip_font).horizontalAdvance(chip_text) + 14
        fg, bg = labels.PRIORITY_COLORS[priority]
        chip = QRect(x_end - chip_w, line2 + 1, chip_w, 18)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(bg)
        painter.drawRoundedRect(chip, 9, 9)
        painter.setPen(fg if not view.pending else _LIGHT)
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, chip_text)
        x_end -= chip_w + 8

        painter.setFont(base)
        painter.setPen(ink if unread else muted)
        preview_w = max(10, x_end - left)
        preview = summary.last_message_preview.replace("\n", " ")
        painter.drawText(
            QRect(left, line2, preview_w, 20),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(base).elidedText(preview, Qt.TextElideMode.ElideRight, preview_w),
        )
        painter.restore()
