"""What a shopper would see as broken on a screen: clipped or elided text, controls outside the window, the same
control shown twice, touch targets smaller than a finger."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QLabel, QPushButton, QSlider, QWidget

MIN_TOUCH = 48  # px: WCAG 2.5.5's target size, what a kiosk needs for a finger
SLACK = 2  # px of rounding


def _visible(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0 and widget.height() > 0


def _rect_in(widget: QWidget, top: QWidget) -> QRect:
    return QRect(widget.mapTo(top, QPoint(0, 0)), widget.size())


def _scroll_viewport(widget: QWidget, top: QWidget) -> QWidget | None:
    """The viewport of the scroll area a widget lives in (it may be scrolled out of view, not clipped)."""
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        grand = parent.parentWidget()
        if isinstance(grand, QAbstractScrollArea) and grand.viewport() is parent:
            return parent
        parent = grand
    return None


def _text_problem(widget: QWidget) -> str | None:
    if isinstance(widget, QLabel) and widget.text() and widget.pixmap().isNull():
        inner = widget.contentsRect()
        metrics = widget.fontMetrics()
        if widget.wordWrap():
            needed = widget.heightForWidth(widget.width())
            if needed > widget.height() + SLACK:
                return f"needs {needed} px height, has {widget.height()}"
        else:
            longest = max(metrics.horizontalAdvance(line) for line in widget.text().splitlines() or [""])
            if longest > inner.width() + SLACK:
                return f"needs {longest} px width, has {inner.width()}"
    if isinstance(widget, QPushButton) and widget.text() and widget.layout() is None:
        hint = widget.sizeHint()
        if hint.width() > widget.width() + SLACK:
            return f"needs {hint.width()} px width, has {widget.width()}"
    return None


def layout_problems(top: QWidget) -> list[str]:
    """Everything on a shown window or dialog that a shopper would see as broken, one line each."""
    problems: list[str] = []
    window = top.rect()
    seen: dict[tuple[str, str, str], QWidget] = {}
    for widget in top.findChildren(QWidget):
        if not _visible(widget) or not all(_visible(a) for a in _ancestors(widget, top)):
            continue
        name = f"{type(widget).__name__} {_shown_text(widget)!r}"
        rect = _rect_in(widget, top)
        viewport = _scroll_viewport(widget, top)
        if viewport is None and not window.contains(rect.adjusted(SLACK, SLACK, -SLACK, -SLACK)):
            problems.append(f"{name} lies outside the window ({rect.x()},{rect.y()} {rect.width()}x{rect.height()})")
        elif viewport is not None:
            area = _rect_in(viewport, top)
            if rect.left() < area.left() - SLACK or rect.right() > area.right() + SLACK:
                problems.append(f"{name} is cut off at the side of its scrolling area")
        text_problem = _text_problem(widget)
        if text_problem is not None:
            problems.append(f"{name} is clipped: {text_problem}")
        if isinstance(widget, QAbstractButton | QSlider) and widget.isEnabled():
            smaller = min(widget.width(), widget.height())
            if smaller < MIN_TOUCH:
                problems.append(f"{name} is a touch target of {smaller} px (at least {MIN_TOUCH})")
        if isinstance(widget, QAbstractButton) and (widget.text() or widget.accessibleName()):
            key = (type(widget).__name__, widget.text(), widget.accessibleName())
            if key in seen and seen[key] is not widget:
                problems.append(f"{name} is shown twice")
            seen[key] = widget
    return problems


def _ancestors(widget: QWidget, top: QWidget) -> list[QWidget]:
    found = []
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        found.append(parent)
        parent = parent.parentWidget()
    return found


def _shown_text(widget: QWidget) -> str:
    if isinstance(widget, QLabel | QAbstractButton):
        return widget.text()[:40]
    return widget.accessibleName()[:40]


def hidden_below(top: QWidget) -> list[str]:
    """Scrolling areas on a shown window whose content goes on below their lower edge with no sign of it shown (a
    visible "MoreBelow" line for that area, ui/widgets.MoreBelow): the answer cut off at that edge would look like
    the last one."""
    marked = {
        id(getattr(cue, "area", None))
        for cue in top.findChildren(QLabel, "MoreBelow")
        if _visible(cue) and all(_visible(a) for a in _ancestors(cue, top))
    }
    problems = []
    for area in top.findChildren(QAbstractScrollArea):
        if not _visible(area) or not all(_visible(a) for a in _ancestors(area, top)) or id(area) in marked:
            continue
        bar = area.verticalScrollBar()
        if bar.value() < bar.maximum():
            problems.append(
                f"{type(area).__name__} {_shown_text(area)!r} goes on {bar.maximum() - bar.value()} px below its lower "
                "edge with no sign that it does"
            )
    return problems
