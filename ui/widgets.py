"""Reusable kiosk widgets: the top bar, option cards, product cards, scroll areas that scroll by touch."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path

import shiboken6
from PySide6.QtCore import QByteArray, QEvent, QObject, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QGuiApplication,
    QHelpEvent,
    QIcon,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QScroller,
    QScrollerProperties,
    QSizePolicy,
    QSlider,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ui.theme import contrast, luminance

ICONS = Path(__file__).resolve().parent / "resources" / "icons"
# The shipped icons are drawn in these two colours: the lines in the default theme's primary, small details in an
# orange. Shown, the lines take the colour of the words beside them (the theme's, on a coloured button its own).
ICON_LINES, ICON_DETAIL = "#1f4d3a", "#e0702a"
ICON_NAME = "icon_name"  # a widget's dynamic property: the shipped icon it shows, redrawn when its colours change
ICON_SIDE = "icon_side"  # (a picture's: the size it is drawn at)


def icon_pixmap(name: str, size: int) -> QPixmap:
    """A shipped icon rendered at a size, in its shipped colours (once; cards reuse it on every screen)."""
    return _rendered(str(ICONS / f"{name}.svg"), size, size)


@functools.lru_cache(maxsize=512)
def _tinted(name: str, colour: str, detail: str, size: int, ratio: float) -> QPixmap:
    """A shipped icon in other colours, drawn once per colour and size (a theme has a handful)."""
    pixmap = QPixmap(QSize(round(size * ratio), round(size * ratio)))
    pixmap.fill(Qt.GlobalColor.transparent)
    path = ICONS / f"{name}.svg"
    if path.exists():
        drawing = path.read_text(encoding="utf-8").replace(ICON_LINES, colour).replace(ICON_DETAIL, detail)
        renderer = QSvgRenderer(QByteArray(drawing.encode("utf-8")))
        if renderer.isValid():
            painter = QPainter(pixmap)
            renderer.render(painter)
            painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def show_icon(widget: QPushButton | QLabel, name: str, side: int = 48) -> None:
    """Show a shipped icon on a button (at its icon size) or as a label's picture (`side` px), drawn in the colour
    of the widget's words, which the style sheet gives: on a "Primary" or "Accent" button its light text colour,
    elsewhere the theme's. Drawn again whenever the style sheet changes the colours (accessibility mode, a store's
    theme): an icon never disappears into its button."""
    if widget.property(ICON_NAME) is None:
        widget.installEventFilter(_IconColours(widget))
    widget.setProperty(ICON_NAME, name)
    widget.setProperty(ICON_SIDE, side)
    _draw_icon(widget)


class _IconColours(QObject):
    """Draws its widget's icon again when the widget gets other colours (a new style sheet, a new parent)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.PaletteChange and isinstance(watched, (QPushButton, QLabel)):
            _draw_icon(watched)
        return False


def _draw_icon(widget: QPushButton | QLabel) -> None:
    name = widget.property(ICON_NAME)
    if not name:
        return
    palette = widget.palette()
    ratio = max(1.0, widget.devicePixelRatioF())
    if isinstance(widget, QPushButton):
        words, ground = QPalette.ColorRole.ButtonText, QPalette.ColorRole.Button
        side = widget.iconSize().width()
    else:
        words, ground = QPalette.ColorRole.WindowText, QPalette.ColorRole.Window
        side = int(widget.property(ICON_SIDE) or 48)

    def drawn(group: QPalette.ColorGroup) -> QPixmap:
        colour, background = palette.color(group, words).name(), palette.color(group, ground)
        # Dark lines on a light ground keep their orange details where these stand out; light words on a coloured
        # button get a light icon, all of it in their colour.
        dark_on_light = luminance(colour) < luminance(background.name())
        keep = background.alpha() < 255 or (dark_on_light and contrast(ICON_DETAIL, background.name()) >= 3)
        return _tinted(name, colour, ICON_DETAIL if keep else colour, side, ratio)

    if isinstance(widget, QPushButton):
        shown = QIcon()
        shown.addPixmap(drawn(QPalette.ColorGroup.Active), QIcon.Mode.Normal)
        shown.addPixmap(drawn(QPalette.ColorGroup.Disabled), QIcon.Mode.Disabled)
        widget.setIcon(shown)
    else:
        widget.setPixmap(drawn(QPalette.ColorGroup.Active))


def icon(name: str | None) -> QIcon:
    """A shipped icon by name (an empty icon when there is none)."""
    if not name:
        return QIcon()
    path = ICONS / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


@functools.lru_cache(maxsize=512)
def _rendered(path: str, width: int, height: int) -> QPixmap:
    pixmap = QPixmap(QSize(width, height))
    pixmap.fill(Qt.GlobalColor.transparent)
    renderer = QSvgRenderer(path)
    if renderer.isValid():
        painter = QPainter(pixmap)
        renderer.render(painter)
        painter.end()
    return pixmap


def svg_pixmap(path: Path, size: QSize) -> QPixmap:
    """An SVG file rendered at a size (transparent where the file cannot be read); each rendered once."""
    return _rendered(str(path), size.width(), size.height())


PHOTO_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


@functools.lru_cache(maxsize=256)
def _photo(path: str, width: int, height: int, ratio: float) -> QPixmap:
    source = QPixmap(path)
    if source.isNull():
        empty = QPixmap(QSize(width, height))
        empty.fill(Qt.GlobalColor.transparent)
        return empty
    # Scaled once, smoothly, to the screen's real pixels: sharp on a high-density kiosk screen.
    scaled = source.scaled(QSize(round(width * ratio), round(height * ratio)), Qt.AspectRatioMode.KeepAspectRatio,
                           Qt.TransformationMode.SmoothTransformation)  # fmt: skip
    scaled.setDevicePixelRatio(ratio)
    return scaled


def picture(path: Path, size: QSize) -> QPixmap:
    """A product's picture at a size: an SVG drawing or a photo (PNG, JPEG, WebP), each made once per size."""
    if path.suffix.lower() in PHOTO_SUFFIXES:
        screen = QApplication.primaryScreen() if isinstance(QApplication.instance(), QApplication) else None
        return _photo(str(path), size.width(), size.height(), screen.devicePixelRatio() if screen else 1.0)
    return svg_pixmap(path, size)


def label(text: str, name: str = "", *, wrap: bool = True) -> QLabel:
    """A plain-text label (markup in catalog or questionnaire text is shown as typed)."""
    widget = QLabel(text)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setWordWrap(wrap)
    if name:
        widget.setObjectName(name)
    return widget


def button(text: str, name: str = "", icon_name: str | None = None) -> QPushButton:
    """A push button showing `text` as written: an "&" in it ("Stadt & Alltag") is shown, not taken as the mark of
    a keyboard shortcut (which would hide it and underline the next letter); speech reads it as written too."""
    widget = QPushButton(text.replace("&", "&&"))
    if "&" in text:
        widget.setAccessibleName(text)
    if name:
        widget.setObjectName(name)
    if icon_name:
        widget.setIconSize(QSize(28, 28))
        show_icon(widget, icon_name)
    widget.setCursor(Qt.CursorShape.PointingHandCursor)
    return widget


class WrapButton(QPushButton):
    """A push button whose words wrap onto more lines where the width ends (a long offer, large text), never cut
    off at the screen's edge: as wide as its words on one line while they fit, else as wide as it may be and taller.
    `text()` gives the words (for speech and tests), as a plain button's does."""

    def __init__(self, words: str, name: str = "") -> None:
        super().__init__()
        self.words = words
        if name:
            self.setObjectName(name)
        self.setAccessibleName(words)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        layout = QHBoxLayout(self)
        self.row = layout  # the button's own layout(), typed (QWidget.layout() may be None)
        layout.setContentsMargins(18, 10, 18, 10)
        self.words_label = label(words, "ButtonText")
        self.words_label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout.addWidget(self.words_label)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def text(self) -> str:
        return self.words

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        return max(self.minimumHeight(), self.row.totalHeightForWidth(width))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        margins = self.row.contentsMargins()
        one_line = self.words_label.fontMetrics().horizontalAdvance(self.words) + margins.left() + margins.right() + 4
        return QSize(one_line, self.heightForWidth(one_line))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # as tall as the words need at the width the button has: a scroll area's layout never squeezes them
        width = min(240, self.sizeHint().width())
        return QSize(width, self.heightForWidth(max(self.width(), width)))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # another width, another height


def chosen_item(widget: QListWidget) -> QListWidgetItem | None:
    """The line a person chose in a list: the highlighted one. A list's current item alone is not a choice, as Qt
    makes the first line current when the list merely gets the focus."""
    items = widget.selectedItems()
    return items[0] if items else None


def saying(words: str) -> Callable[[], str]:
    """`readable`'s words fixed as they are now (a lambda in a loop would say the loop's last ones)."""
    return lambda: words


def readable(widget: QWidget, spoken: Callable[[], str] | None = None) -> QWidget:
    """Make a text a stop of keyboard focus, read aloud when reached (a result, a section of the details, a dialog's
    status): with the four keys a shopper reaches everything on a screen, not only its buttons."""
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    if spoken is not None:
        widget.spoken = spoken  # type: ignore[attr-defined]
    elif isinstance(widget, QLabel):
        widget.spoken = lambda: widget.accessibleName() or widget.text()  # type: ignore[attr-defined]
    return widget


def enter_presses_nothing(event: QKeyEvent) -> bool:
    """For a kiosk dialog's keyPressEvent: whether `event` is Return or Enter, which came up to the dialog from a text,
    a list or a field (a focused button takes its own), and is taken here to press nothing. Qt would press the
    dialog's default button, and a dialog naming none gets the first button it holds: Enter on a text ticked the
    consent to share the answers, or chose how to book, for the shopper."""
    if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        return False
    event.accept()
    return True


class Group:
    """Controls under one heading (the rating's question, "Like the first, but:", the products to set aside): the
    heading is said when focus enters the group from outside, before the control reached."""

    def __init__(self, heading: QLabel, members: Sequence[QWidget]) -> None:
        self.label = heading
        self.members = tuple(members)
        for member in members:
            member.group = self  # type: ignore[attr-defined]

    def heading(self) -> str:
        if not shiboken6.isValid(self.label) or self.label.isHidden():
            return ""
        return self.label.accessibleName() or self.label.text()

    def holds(self, widget: QWidget | None) -> bool:
        return widget is not None and any(member is widget for member in self.members)


def labelled_field(row: QHBoxLayout, name: str, length: int) -> QLineEdit:
    """A text field under its label (the label's buddy, the field named for speech), added to `row` as a column."""
    column = QVBoxLayout()
    title = label(name)
    field = QLineEdit()
    field.setAccessibleName(name)
    field.setMaxLength(length)
    title.setBuddy(field)
    column.addWidget(title)
    column.addWidget(field)
    row.addLayout(column, 1)
    return field


def fit_fields(fields: Sequence[QLineEdit], like: QLabel) -> None:
    """Text fields as large as the kiosk's texts, those of `like` (the theme styles labels and buttons, not fields)."""
    like.ensurePolished()
    size = max(16, like.font().pixelSize())
    for field in fields:
        field.setStyleSheet(f"QLineEdit {{ font-size: {size}px; padding: 0 {size // 2}px; }}")
        field.setMinimumHeight(max(56, round(size * 2.8)))


class NumberSlider(QSlider):
    """The value of a number question. Select confirms it (`confirmed`) when guidance is off; with four keys
    (ui/keys.py) select starts and ends changing it, up and down change it only meanwhile."""

    confirmed = Signal()

    def __init__(self) -> None:
        super().__init__(Qt.Orientation.Horizontal)

    def on_select(self) -> None:
        self.confirmed.emit()


class ShortenedComboBox(QComboBox):
    """A choice whose long entries do not widen its column: the chosen one is shortened with "…" in the box and
    shown whole in the open list, as the tooltip and to assistive technology (which reads the entry, not the paint)."""

    def __init__(self, shortest: int = 16) -> None:
        super().__init__()
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(shortest)
        self.view().setTextElideMode(Qt.TextElideMode.ElideNone)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent) and self.currentText():
            QToolTip.showText(event.globalPos(), self.currentText(), self)  # the chosen entry, whole
            return True
        return super().event(event)

    def _option(self) -> QStyleOptionComboBox:
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        return option

    def shown_text(self, option: QStyleOptionComboBox | None = None) -> str:
        """The chosen entry as the box shows it (shortened to the box's width)."""
        option = option or self._option()
        field = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, self
        )
        return self.fontMetrics().elidedText(option.currentText, Qt.TextElideMode.ElideRight, field.width())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QStylePainter(self)
        option = self._option()
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        option.currentText = self.shown_text(option)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)

    def showPopup(self) -> None:  # noqa: N802 - Qt override
        view = self.view()
        view.setMinimumWidth(view.sizeHintForColumn(0) + view.verticalScrollBar().sizeHint().width() + 8)
        super().showPopup()


def clear(layout: QLayout) -> None:
    """Remove and delete every widget of a layout."""
    while layout.count():
        item = layout.takeAt(0)
        assert item is not None  # count() said there is one
        widget = item.widget()
        inner = item.layout()
        if widget is not None:
            widget.hide()  # (re-parenting to None would re-polish the whole subtree: slow with a style sheet)
            widget.deleteLater()
        elif inner is not None:
            clear(inner)


def touch_scroll_area(content: QWidget) -> QScrollArea:
    """A scroll area with kinetic scrolling by finger (and by dragging with the mouse)."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(content)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the cards inside, not to the area
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.TouchGesture)
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    scroller = QScroller.scroller(area.viewport())
    properties = scroller.scrollerProperties()
    # Deliver a tap at once (the default holds the press back 0.25 s, and quick taps on cards get lost).
    properties.setScrollMetric(QScrollerProperties.ScrollMetric.MousePressEventDelay, 0.0)
    properties.setScrollMetric(QScrollerProperties.ScrollMetric.OvershootDragResistanceFactor, 0.3)
    scroller.setScrollerProperties(properties)
    return area


def screen_room(window: QWidget) -> QSize:
    """The most room a window (or dialog) can have: its screen's available geometry (without task bars), less the
    frame the window system puts around it (once shown; a title bar's worth before). On the offscreen platform
    (tests, `advisor screenshots`) there is no display: the window a dialog opens over stands for it, as those size
    that window like the display they show."""
    parent = window.parentWidget()
    owner = parent.window() if parent is not None else None
    offscreen = QGuiApplication.platformName() == "offscreen"
    if offscreen and owner is not None:
        return owner.size()
    screen = (owner or window).screen() or QGuiApplication.primaryScreen()
    room = screen.availableGeometry().size() if screen is not None else QSize(1024, 600)
    frame = window.frameGeometry().size() - window.size()
    framed = not offscreen and not window.windowFlags() & Qt.WindowType.FramelessWindowHint
    if framed and frame == QSize(0, 0) and not window.isVisible():
        frame = QSize(0, window.style().pixelMetric(QStyle.PixelMetric.PM_TitleBarHeight) + 8)
    return (room - frame).expandedTo(QSize(200, 150))


def fit_to_screen(
    window: QWidget, wanted: QSize | None = None, *, least: QSize | None = None, room: QSize | None = None
) -> QSize:
    """Size `window` as it wants (`wanted`, else its size hint) but never larger than `room` (by default its
    screen's, `screen_room`); its minimum size (`least`, else what its layout needs) no larger than that either, so
    no button of it is ever off the screen. What does not fit then scrolls: see `scrolling_page`. Returns the
    size given."""
    room = screen_room(window) if room is None else room
    layout = window.layout()
    if layout is not None:
        layout.activate()  # (the least its layout needs becomes the window's minimum size)
    if least is not None:
        window.setMinimumSize(least.expandedTo(window.minimumSize()))
    smallest = window.minimumSize()
    if smallest.width() > room.width() or smallest.height() > room.height():
        window.setMinimumSize(smallest.boundedTo(room))
    size = (wanted if wanted is not None else window.sizeHint()).expandedTo(window.minimumSize()).boundedTo(room)
    window.resize(size)
    return size


def scrolling_page(body: QWidget, *below: QWidget | QLayout, touch: bool = False) -> QWidget:
    """A page of a window or dialog: `body` scrolls where the window is smaller than it needs (on a small or
    scaled screen), what is `below` it (the row of buttons that finish it: Save, Book, Close) stays in view under
    it. `touch`: scrolled by finger too (the kiosk), its lines wrapping instead of scrolling sideways."""
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    if touch:
        area = touch_scroll_area(body)
    else:
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setWidget(body)
        area.setFrameShape(QFrame.Shape.NoFrame)
    area.setObjectName("PageScroll")
    area.viewport().setAutoFillBackground(False)  # (the window's background shows through, as without it)
    body.setAutoFillBackground(False)
    layout.addWidget(area, 1)
    for part in below:
        if isinstance(part, QLayout):
            layout.addLayout(part)
        else:
            layout.addWidget(part)
    return page


class MoreBelow(QLabel):
    """A line under a scrolling area, shown while what it holds goes on below its lower edge ("More answers below"):
    an option cut off at that edge then does not look like the last one. A tap scrolls on by most of a page."""

    def __init__(self, area: QScrollArea, words: str = "") -> None:
        super().__init__(words)
        self.setObjectName("MoreBelow")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.area = area
        self.updating = self.again = False
        bar = area.verticalScrollBar()
        bar.rangeChanged.connect(self.update_shown)
        bar.valueChanged.connect(self.update_shown)
        self.setVisible(False)

    def update_shown(self, *_: object) -> None:
        # Showing or hiding the line changes the area's height, and with it the range: asked again until it holds
        # (a change while it is shown or hidden is only noted, or the outer call would undo the inner one).
        if self.updating:
            self.again = True
            return
        self.updating = True
        try:
            for _round in range(3):
                self.again = False
                bar = self.area.verticalScrollBar()
                more = bar.value() < bar.maximum()
                if self.isHidden() == more:
                    self.setVisible(more)
                if not self.again:
                    break
        finally:
            self.updating = False

    def mousePressEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        bar = self.area.verticalScrollBar()
        bar.setValue(bar.value() + round(bar.pageStep() * 0.8))


def ask_first(
    parent: QWidget, title: str, question: str, confirm: str, keep: str, answered: Callable[[bool], None]
) -> QMessageBox:
    """Ask before an action that cannot be undone (a cancellation, an order ended): `confirm` names the action,
    `keep` (Enter's and Escape's choice) leaves everything as it was; `answered` hears whether it was confirmed.
    Opened window-modal, not waited for; the box is returned to be kept while it shows."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, question, parent=parent)
    yes = box.addButton(confirm, QMessageBox.ButtonRole.DestructiveRole)
    no = box.addButton(keep, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    box.buttonClicked.connect(lambda clicked: answered(clicked is yes))
    box.open()
    return box


def utf16_length(text: str) -> int:
    """The length of `text` as Qt counts it (UTF-16 code units: a text cursor's positions)."""
    return len(text.encode("utf-16-le")) // 2


def code_points(text: str, units: int) -> int:
    """How many characters of `text` the first `units` UTF-16 code units (a Qt position) hold."""
    return len(text.encode("utf-16-le")[: 2 * units].decode("utf-16-le", errors="ignore"))


def keep_within(field: QPlainTextEdit, most: int) -> bool:
    """Keep a text field within `most` characters, as a line edit's maximum length does: what was typed or pasted
    beyond it (just before the cursor) is not taken, one step back with Ctrl+Z. True when something was cut (the
    window says so, naming the limit)."""
    text = field.toPlainText()
    excess = len(text) - most
    if excess <= 0:
        return False
    cursor = field.textCursor()
    before = code_points(text, cursor.position())
    start = before - excess if before >= excess else most  # (no typing before the cursor: cut the end)
    cursor.setPosition(utf16_length(text[:start]))
    cursor.setPosition(utf16_length(text[: start + excess]), cursor.MoveMode.KeepAnchor)
    cursor.removeSelectedText()
    return True


class PlacedLayout(QLayout):
    """A layout that places its items itself, its height following its width: the item list Qt asks for, and one
    `_place` that lays the items out in a rectangle (or, without `apply`, only measures the height it needs)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 10) -> None:
        super().__init__(parent)
        self.setContentsMargins(0, 0, 0, 0)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt override
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt override
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        return self._place(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt override
        super().setGeometry(rect)
        self._place(rect, apply=True)

    def _place(self, rect: QRect, *, apply: bool) -> int:
        raise NotImplementedError


class FlowLayout(PlacedLayout):
    """Items left to right, wrapping onto the next line when the width runs out (offers of any length)."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt override
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _place(self, rect: QRect, *, apply: bool) -> int:
        """Lay the items out line by line (or only measure, without `apply`); an item lower than its line's tallest
        is centred in it ("Entfernen" as a link beside the framed "Details")."""
        x, y, line = rect.x(), rect.y(), 0
        placed: list[tuple[QLayoutItem, int, QSize]] = []  # the current line's items: x and size

        def lay(top: int, height: int) -> None:
            for item, left, size in placed:
                item.setGeometry(QRect(QPoint(left, top + (height - size.height()) // 2), size))
            placed.clear()

        for item in self._items:
            widget = item.widget()
            if widget is not None and widget.isHidden():
                continue
            hint = item.sizeHint()
            if x + hint.width() > rect.right() + 1 and line > 0:
                if apply:
                    lay(y, line)
                x, y, line = rect.x(), y + line + self._spacing, 0
            placed.append((item, x, hint))
            x += hint.width() + self._spacing
            line = max(line, hint.height())
        if apply:
            lay(y, line)
        return y + line - rect.y()


class OptionCard(QPushButton):
    """A large touch target for one answer option: icon, label and a short description. A card that is a tick box
    (a consent) gives `checked_icon`: its picture is an empty box until ticked, then the ticked box."""

    def __init__(self, title: str, description: str = "", icon_name: str | None = None, *,
                 checked_icon: str | None = None) -> None:  # fmt: skip
        super().__init__()
        self.icons = (icon_name, checked_icon)
        self.setObjectName("OptionCard")
        self.setCheckable(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(96)
        self.setAccessibleName(title)
        self.setAccessibleDescription(description)
        layout = QHBoxLayout(self)
        self.row = layout  # the card's own layout(), typed (QWidget.layout() may be None)
        layout.setContentsMargins(18, 12, 18, 12)
        layout.setSpacing(16)
        self.picture: QLabel | None = None
        if icon_name:
            self.picture = QLabel()
            self.picture.setObjectName("CardIcon")  # drawn in the theme's primary colour
            show_icon(self.picture, icon_name, 48)
            self.picture.setFixedSize(52, 52)
            layout.addWidget(self.picture)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        # The column is in the card before its labels: a label shown while it has no parent would open as a window
        # of its own for a moment (and take the focus from the kiosk window).
        layout.addLayout(texts, 1)
        texts.addStretch(1)  # in a card taller than its texts (a row of the grid), they stay together, centred
        self.title_label = label(title, "CardTitle")
        texts.addWidget(self.title_label)
        self.description_label = label(description, "Muted")
        texts.addWidget(self.description_label)
        texts.addStretch(1)
        self.description_label.setVisible(bool(description))
        # A check badge on a chosen card: the choice reads at a glance, not only as a tint.
        self.badge = QLabel("✓")
        self.badge.setObjectName("CheckBadge")
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.badge.setFixedSize(36, 36)
        self.badge.setVisible(False)
        layout.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        self.toggled.connect(self._restyle)

    def set_texts(self, title: str, description: str = "") -> None:
        self.title_label.setText(title)
        self.description_label.setText(description)
        self.description_label.setVisible(bool(description))
        self.setAccessibleName(title)
        self.setAccessibleDescription(description)

    def set_icon(self, icon_name: str) -> None:
        """Another picture (a card that learns what it offers after it is shown)."""
        self.icons = (icon_name, self.icons[1])
        if self.picture is not None:
            show_icon(self.picture, icon_name, 48)

    def _restyle(self, checked: bool) -> None:
        unticked, ticked = self.icons
        if ticked is not None and unticked is not None and self.picture is not None:
            show_icon(self.picture, ticked if checked else unticked, 48)  # the box says it: no badge
        self.badge.setVisible(checked and ticked is None)
        self.setProperty("selected", "true" if checked else "false")
        self.style().unpolish(self)
        self.style().polish(self)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = self.row.sizeHint()
        return QSize(max(280, hint.width()), max(96, hint.height()))


def tick_card(title: str) -> OptionCard:
    """A card that is a tick box (a consent, "already tried"): an empty box until tapped, then the ticked box."""
    return OptionCard(title, "", "tickbox", checked_icon="tickbox_checked")


class CardGrid(QWidget):
    """Cards in as many columns as fit the width (one column on a narrow portrait screen)."""

    def __init__(self, min_card_width: int = 340, *, fit_height: bool = False) -> None:
        super().__init__()
        self.min_card_width = min_card_width
        # Cards with wrapped texts of any length (products) need their full height; option cards do not.
        self.fit_height = fit_height
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(16)
        self.cards: Sequence[QWidget] = []
        self._columns = 0

    def set_cards(self, cards: Sequence[QWidget]) -> None:
        for card in self.cards:
            self.grid.removeWidget(card)
            card.hide()
            card.deleteLater()
        clear(self.grid)
        self.cards = cards
        self._columns = 0
        self._arrange()
        self._fit_height()

    def _arrange(self) -> None:
        # As many columns as the cards' own minimum widths allow (larger text in accessibility mode needs more).
        widest = max((card.minimumSizeHint().width() for card in self.cards), default=0)
        column_width = max(self.min_card_width, widest + self.grid.spacing())
        columns = max(1, min(3, self.width() // column_width)) if self.width() > 0 else 2
        if columns == self._columns:
            return
        self._columns = columns
        for card in self.cards:
            self.grid.removeWidget(card)
        for i, card in enumerate(self.cards):
            self.grid.addWidget(card, i // columns, i % columns)
        for column in range(3):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._arrange()
        self._fit_height()

    def _fit_height(self) -> None:
        """Be as tall as the wrapped texts need: a scroll area would otherwise squeeze the cards together."""
        if not self.fit_height or self.width() <= 0 or not self.cards or not self._columns:
            return
        spacing = self.grid.spacing()
        column_width = (self.width() - spacing * (self._columns - 1)) // self._columns
        needed = 0
        for start in range(0, len(self.cards), self._columns):
            row = self.cards[start : start + self._columns]
            heights = [
                card.heightForWidth(column_width) if card.hasHeightForWidth() else card.sizeHint().height()
                for card in row
            ]
            needed += max(max(heights), max(card.minimumSizeHint().height() for card in row)) + spacing
        if needed != self.minimumHeight():
            self.setMinimumHeight(needed)


class QrPanel:
    """A dialog page that shows a QR code for the shopper's phone beside a hint and a code: its title, the code's
    spoken name, the hint (read aloud by `words`); the caller adds its buttons to `layout`."""

    def __init__(self, title: str, qr_name: str, hint: str, words: Callable[[], str]) -> None:
        from PySide6.QtSvgWidgets import QSvgWidget

        self.page = QWidget()
        self.layout = QVBoxLayout(self.page)
        self.layout.addWidget(label(title, "Question"))
        row = QHBoxLayout()
        self.qr = QSvgWidget()
        self.qr.setFixedSize(QSize(260, 260))
        self.qr.setAccessibleName(qr_name)
        row.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignTop)
        row.addSpacing(24)
        texts = QVBoxLayout()
        self.hint = label(hint)
        readable(self.hint, words)
        self.code = label("", "Section")
        texts.addWidget(self.hint)
        texts.addWidget(self.code)
        texts.addStretch(1)
        row.addLayout(texts, 1)
        self.layout.addLayout(row, 1)


class CompactRow:
    """A row of buttons that shows only the icons of some of them when their texts do not fit the width.

    The text stays as the button's accessible name (screen readers and the speech mode still say it), in the
    language and with the count the button shows now. A button given shorter words (`shorten`: "DE" for "Deutsch")
    shows them first; then the buttons named first give up their text first, those showing shorter words last;
    buttons without an icon always keep theirs.
    """

    def __init__(
        self, host: QWidget, layout: QLayout, droppable: list[QPushButton], around: QLayout | None = None
    ) -> None:
        self.host = host
        self.layout = layout
        self.droppable = droppable
        self.around = around  # the host's layout holding the row: its margins are not the row's to use
        self.full: dict[int, str] = {}
        self.named: dict[int, str] = {}  # the accessible names this row gave (a screen's own names stay)
        self.short: dict[int, str] = {}  # shorter words a button shows before it shows its icon only

    def shorten(self, widget: QPushButton, words: str) -> None:
        """The shorter words `widget` shows where its own do not fit (its own stay its accessible name)."""
        self.short[id(widget)] = words

    def fit(self) -> None:
        width = self.host.width()
        if self.around is not None:
            margins = self.around.contentsMargins()
            width -= margins.left() + margins.right()
        if width <= 0:
            return
        for widget in self.droppable:
            key = id(widget)
            shortened = key in self.full and widget.text() == self.short.get(key)
            if widget.text() and not shortened:
                self.full[key] = widget.text()
            elif key in self.full:
                widget.setText(self.full[key])
            if not widget.accessibleName() or widget.accessibleName() == self.named.get(key):
                self.named[key] = widget.text()  # the text shown now (a new language, a new count)
                widget.setAccessibleName(widget.text())
        for widget in self.droppable:
            if self._needed() <= width:
                return
            if self.short.get(id(widget)) and not widget.isHidden():
                widget.setText(self.short[id(widget)])
        # Shortened words give way last: "EN" beside a globe still reads as the language, a bare globe hardly.
        for widget in sorted(self.droppable, key=lambda widget: bool(self.short.get(id(widget)))):
            if self._needed() <= width:
                return
            if not widget.icon().isNull() and not widget.isHidden():
                widget.setText("")

    def _needed(self) -> int:
        margins = self.layout.contentsMargins()
        needed = margins.left() + margins.right()
        shown = 0
        for i in range(self.layout.count()):
            item = self.layout.itemAt(i)
            widget = item.widget() if item is not None else None
            if widget is not None and not widget.isHidden():
                needed += widget.sizeHint().width()
                shown += 1
        return needed + max(0, shown - 1) * max(0, self.layout.spacing())


class TopBar(QFrame):
    """Logo, home, the language switch and "Talk to a person": on every screen."""

    home = Signal()
    switch_language = Signal()
    talk = Signal()
    accessibility = Signal()

    def __init__(self, logo: Path) -> None:
        super().__init__()
        self.setObjectName("TopBar")
        layout = QHBoxLayout(self)
        self.row = layout  # the bar's own layout(), typed (QWidget.layout() may be None)
        layout.setContentsMargins(20, 10, 20, 10)
        layout.setSpacing(12)
        self.logo = QPushButton()
        self.logo.setObjectName("Link")
        self.logo.setIcon(QIcon(svg_pixmap(logo, QSize(180, 48))))
        self.logo.setIconSize(QSize(180, 48))
        self.logo.setAccessibleName("Home")  # (in the shopper's language once translated)
        self.logo.clicked.connect(self.home)
        layout.addWidget(self.logo)
        layout.addStretch(1)
        self.accessible = button("", "", "accessibility")
        self.accessible.setCheckable(True)
        self.accessible.clicked.connect(self.accessibility)
        layout.addWidget(self.accessible)
        self.language = button("English", "", "globe")
        self.language.clicked.connect(self.switch_language)
        layout.addWidget(self.language)
        self.talk_button = button("Talk to a person", "Accent", "chat")
        self.talk_button.clicked.connect(self.talk)
        layout.addWidget(self.talk_button)
        # Larger text or a narrow screen: the language button shows its globe and "DE" or "EN" first; then the
        # accessibility button shows its icon only, and only where even that is not enough the language its globe
        # only (a bare globe hardly says which language the tap gives; the accessibility icon is the mode's own).
        self.compact = CompactRow(self, layout, [self.language, self.accessible])

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.compact.fit()

    def set_logo(self, path: Path) -> None:
        """A store's own logo (SVG or PNG) instead of the shipped one."""
        pixmap = svg_pixmap(path, QSize(180, 48)) if path.suffix.lower() == ".svg" else QPixmap(str(path))
        self.logo.setIcon(QIcon(pixmap.scaled(QSize(180, 48), Qt.AspectRatioMode.KeepAspectRatio)))

    def retranslate(self, language_label: str, talk_label: str, accessible_label: str = "", on: bool = False,
                    home_label: str = "Home", language_short: str = "") -> None:  # fmt: skip
        self.logo.setAccessibleName(home_label)
        self.language.setText(language_label)
        self.language.setAccessibleName(language_label)
        self.compact.shorten(self.language, language_short)
        self.talk_button.setText(talk_label)
        self.accessible.setText(accessible_label)
        self.accessible.setAccessibleName(accessible_label)
        self.accessible.setChecked(on)
        margin = (12, 6) if on else (20, 10)  # the larger text's buttons get more of the bar's width and height
        self.row.setContentsMargins(margin[0], margin[1], margin[0], margin[1])
        self.compact.fit()


class RatingRow(QWidget):
    """One tap of feedback: German school grades 1 (best) to 6, or one to five stars; `rated` says which."""

    rated = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.question = label("", "Muted")
        layout.addWidget(self.question, 1)
        self.buttons: list[QPushButton] = []
        self.buttons_layout = layout

    def set_scale(self, question: str, choices: list[tuple[int, str, str]]) -> None:
        """The question and the choices as (grade, text on the button, accessible name)."""
        self.question.setText(question)
        for old in self.buttons:  # out of the row at once (deleted later): the row never holds two sets
            self.buttons_layout.removeWidget(old)
            old.hide()
            old.deleteLater()
        self.buttons = []
        for grade, shown, name in choices:
            choice = button(shown, "Grade")
            choice.setAccessibleName(name)
            choice.setMinimumSize(56, 56)
            choice.clicked.connect(lambda _=False, g=grade: self.rated.emit(g))
            self.buttons_layout.addWidget(choice)
            self.buttons.append(choice)
        Group(self.question, self.buttons)  # the question is said on the way to the first grade
