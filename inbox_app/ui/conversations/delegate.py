"""Paints one conversation row: channel, name, time, preview, unread badge, priority, states.

A delegate rather than a widget per row, so 100,000 rows cost one painted screenful. Every
row has the same height (the view relies on it for uniform row heights).
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from inbox_app.client import ConversationView
from inbox_app.contract.models import Priority, Status
from inbox_app.ui import assets, labels, theme

#: The ConversationView of a row (the delegate and the proxy read it).
VIEW_ROLE = Qt.ItemDataRole.UserRole + 1
#: The conversation id of a row.
ID_ROLE = Qt.ItemDataRole.UserRole + 2
#: The tab a search result lives in (translated), None when not searching.
TAB_ROLE = Qt.ItemDataRole.UserRole + 3
#: A row's height at the usual font sizes; larger fonts make rows taller (:func:`row_height`).
ROW_HEIGHT = 66
_PAD = 12
_CHANNEL_W = 20  # the channel icon before the name, and its gap
_ICON = 14
_LINE = 20  # the height of a line of text at the usual font sizes


def _line_height(font: QFont) -> int:
    """The height of one line of the row: 20 px, more when the user's font needs it."""
    return max(_LINE, QFontMetrics(font).height() + 4)


def row_height(font: QFont) -> int:
    """The height of every row for the list's font (the view's rows are uniform)."""
    return max(ROW_HEIGHT, 2 * _line_height(font) + 26)


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
        """Every row is as high as :func:`row_height` (the view relies on uniform rows)."""
        return QSize(280, row_height(option.font))

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
        colors = theme.current()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        state = option.state
        accent = colors.color("accent")
        if state & QStyle.StateFlag.State_Selected:
            painter.fillRect(rect, colors.color("row_selected"))
            painter.fillRect(QRect(rect.left(), rect.top(), 3, rect.height()), accent)
        elif state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(rect, colors.color("row_hover"))
        painter.setPen(colors.color("row_rule"))
        painter.drawLine(rect.left() + _PAD, rect.bottom(), rect.right(), rect.bottom())

        unread = summary.unread_count > 0
        # what waits for the server is lighter (and still readable: WCAG AA)
        ink = colors.color("pending" if view.pending else "ink")
        muted = colors.color("pending" if view.pending else "muted")
        base = option.font
        small = self._font(base, "small")
        chip_font = self._font(base, "chip")
        left = rect.left() + _PAD
        right = rect.right() - _PAD
        line_h = _line_height(base)
        line1 = rect.top() + 10
        line2 = line1 + line_h + 6
        icon_y = line1 + (line_h - _ICON) // 2
        chip_h = max(18, QFontMetrics(chip_font).height() + 4)
        chip_y = line2 + (line_h - chip_h) // 2

        # line 1, right to left: time, pending clock / failed mark
        painter.setFont(small)
        time_text = row_time(view)
        fm_small = QFontMetrics(small)
        time_w = fm_small.horizontalAdvance(time_text)
        painter.setPen(accent if unread and not view.pending else muted)
        painter.drawText(
            QRect(right - time_w, line1, time_w, line_h),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            time_text,
        )
        x_end = right - time_w - 6
        tab = index.data(TAB_ROLE)
        if tab:  # a search result: the tab it lives in, before the time
            tab_w = fm_small.horizontalAdvance(tab)
            painter.setPen(muted)
            painter.drawText(
                QRect(x_end - tab_w, line1, tab_w, line_h),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                tab,
            )
            x_end -= tab_w + 8
        for shown, icon in (
            (view.failed, "failed"),
            (view.pending, "clock"),
            (summary.status == Status.ARCHIVED, "archive"),
        ):
            if shown:
                painter.drawPixmap(x_end - _ICON, icon_y, assets.pixmap(icon, _ICON))
                x_end -= _ICON + 6

        # line 1: the channel's icon (one patient on two channels is two rows), then the
        # patient's name, bold when unread (the row's accessible text names the channel)
        painter.drawPixmap(left, icon_y, assets.pixmap(labels.channel_icon(summary.channel), _ICON))
        name_left = left + _CHANNEL_W
        name_font = self._font(base, "name_bold" if unread else "name")
        painter.setFont(name_font)
        painter.setPen(ink)
        fm = QFontMetrics(name_font)
        name_w = max(10, x_end - name_left - 4)
        painter.drawText(
            QRect(name_left, line1, name_w, line_h),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            fm.elidedText(summary.patient_name, Qt.TextElideMode.ElideRight, name_w),
        )

        # line 2, right to left: unread badge, priority chip, preview
        x_end = right
        painter.setFont(chip_font)
        fm_chip = QFontMetrics(chip_font)
        if unread:
            count = "99+" if summary.unread_count > 99 else str(summary.unread_count)
            badge_w = max(20, fm_chip.horizontalAdvance(count) + 12)
            badge = QRect(x_end - badge_w, chip_y, badge_w, chip_h)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colors.color("muted" if view.pending else "accent"))
            painter.drawRoundedRect(badge, chip_h / 2, chip_h / 2)
            painter.setPen(colors.color("on_muted" if view.pending else "on_accent"))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, count)
            x_end -= badge_w + 6
        priority = Priority(summary.priority)
        chip_text = labels.priority_label(priority)
        chip_w = fm_chip.horizontalAdvance(chip_text) + 14
        fg, bg = colors.chip(priority)
        chip = QRect(x_end - chip_w, chip_y, chip_w, chip_h)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(bg)
        painter.drawRoundedRect(chip, chip_h / 2, chip_h / 2)
        painter.setPen(fg)
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, chip_text)
        x_end -= chip_w + 8

        painter.setFont(base)
        painter.setPen(ink if unread else muted)
        preview_w = max(10, x_end - left)
        preview = summary.last_message_preview.replace("\n", " ")
        painter.drawText(
            QRect(left, line2, preview_w, line_h),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(base).elidedText(preview, Qt.TextElideMode.ElideRight, preview_w),
        )
        painter.restore()
