"""`advisor screenshots DIR`: walk a finder by script (the tent finder, or `--questionnaire`) and save every screen
as PNG, with the questionnaires and catalog the kiosk of this configuration would use."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QWidget

from advisor.catalog.dictionary import Dictionary
from advisor.handoff.staff import report_presence, set_pin, sign_out
from advisor.questionnaire.model import DONT_CARE, Example, Questionnaire, Step
from ui.app import configured_session, create_application, follow_accessibility, load_questionnaires
from ui.session import KioskSession, stores_of
from ui.speech import RecordingVoice, Voice
from ui.talk import PHONE_PAGE, SUMMARY_PAGE, TalkDialog
from ui.window import KioskWindow

if TYPE_CHECKING:
    from advisor.config import Config

QUESTIONNAIRE = "tent-finder"  # the walk without --questionnaire (where the configured content has it)


class ScreenshotsProblem(Exception):
    """What stops `advisor screenshots` before a window opens (an unknown id, a file with errors): said in a line or
    two, never as a traceback."""


def _example(questionnaire: Questionnaire, *, no_match: bool) -> Example | None:
    """The questionnaire's first example that finds products (or, with `no_match`, that finds none): the author's
    own intended path, so the screens show answers that make sense together."""
    return next((e for e in questionnaire.examples if e.no_match == no_match), None)


def kiosk_questionnaires(
    choice: str | None = None, dictionary: Dictionary | None = None
) -> tuple[dict[str, Questionnaire], str]:
    """The questionnaires this configuration's kiosk offers (its [content] folder, loaded as the kiosk loads them:
    `settings` or `use_configured_content` first) and the finder to walk.

    `choice` is a finder's id, or a questionnaire file (as `advisor recommend` and `advisor preview` take one: a
    draft outside the content folder is walked too, and replaces the version of the same id on the choice screen).
    Without it: the tent finder, else the first finder there is. The walked finder's file is read again against
    the catalog's attributes (`dictionary`), as `advisor check` reads it: screens of rules that name no attribute
    would mislead. ScreenshotsProblem names the finders there are, or a file's errors and `advisor check`."""
    from advisor.content import load_content
    from advisor.paths import questionnaires_dir
    from advisor.questionnaire.files import questionnaire_files
    from advisor.questionnaire.findings import ERROR

    library = load_content()
    finders = sorted(library.questionnaires)
    path = Path(choice) if choice else None
    if path is None or not (path.suffix in (".yaml", ".yml") or path.is_file()):
        if choice is None and not finders:
            raise ScreenshotsProblem(f"no finder without errors in {questionnaires_dir()}: run `advisor check`")
        chosen = choice or (QUESTIONNAIRE if QUESTIONNAIRE in finders else finders[0])
        if chosen not in finders:
            kind = "a help flow, not a finder" if chosen in library.service_flows else "not a questionnaire"
            broken = [file for file in questionnaire_files([questionnaires_dir()]) if file not in library.by_path]
            left_out = f"; {len(broken)} file(s) with errors left out: run `advisor check`" if broken else ""
            raise ScreenshotsProblem(f"--questionnaire {chosen}: {kind} in {questionnaires_dir()}. The finders "
                                     f"there: {', '.join(finders) or 'none'}{left_out}")  # fmt: skip
        path = next(file for file, found in sorted(library.by_path.items()) if found is library.questionnaires[chosen])
    elif not path.is_file():
        raise ScreenshotsProblem(f"--questionnaire {choice}: no such file")
    library.dictionary = dictionary
    loaded = library.reload(path)
    if not loaded.updated or loaded.questionnaire is None:
        errors = [finding.as_text() for finding in loaded.findings if finding.severity == ERROR]
        raise ScreenshotsProblem("\n".join([*errors[:5], f"{path} has errors: run `advisor check {path}` to see them "
                                            f"all and where they are"]))  # fmt: skip
    if loaded.questionnaire.is_service:
        raise ScreenshotsProblem(f"{path} is a help flow ({loaded.questionnaire.id}): --questionnaire walks a finder, "
                                 f"one that recommends products")  # fmt: skip
    return {**library.everything, loaded.questionnaire.id: loaded.questionnaire}, loaded.questionnaire.id


SAMPLE_ADDRESS = "https://beratung.nordgrat.example"
SIZES = (QSize(1024, 768), QSize(1280, 800), QSize(1920, 1080), QSize(1080, 1920))


HELP_FLOW = "tent-help"
HELP_ANSWERS = {"problem": "leak", "leak_where": "seams", "leak_since": "after_years"}


def open_kiosk(
    *,
    locale: str,
    size: QSize,
    db_url: str | None = None,
    voice: Voice | None = None,
    questionnaires: Mapping[str, Questionnaire] | None = None,
    writes_url: str | None = None,
    config: Config | None = None,
) -> tuple[QApplication, KioskSession, KioskWindow]:
    """A kiosk window on the given database (or the user data dir's) at a size, shown (`voice`: what speaks in
    accessibility mode; tests pass a RecordingVoice, screenshots a silent one; `questionnaires`: what it offers,
    by default the questionnaire folder in use; `writes_url`: where what the walk stores goes, the sample staff
    member with her PIN and the advice shared to a phone, instead of the catalog's database; `config`: the store's
    configuration, applied as the kiosk applies it, so the products show that store's stock)."""
    app = create_application()
    from advisor.bootstrap import open_database
    from advisor.config import is_public_address
    from advisor.recommend.index import build_index

    if config is not None and not is_public_address(config.web.public_base_url):
        # a configured store's address, so that QR codes and summaries point to it (and no journal line about it)
        config = config.model_copy(update={"web": config.web.model_copy(update={"public_base_url": SAMPLE_ADDRESS})})
    offered = questionnaires if questionnaires is not None else load_questionnaires()
    session = configured_session(offered, config, locale=locale)
    if config is None:
        session.public_base_url = SAMPLE_ADDRESS  # a configured store's: QR codes and summaries point to it
    engine = open_database(db_url)
    session.set_catalog(build_index(engine))
    session.stores = stores_of(engine)  # (where else a product out of stock here is: "in Hamburg: 8")
    if writes_url is not None:
        engine.dispose()
        engine = open_database(writes_url, load_sample=False)
    session.engine = engine
    window = KioskWindow(session, voice if voice is not None else RecordingVoice())
    window.resize(size)
    window.show()
    follow_accessibility(window)
    return app, session, window


def settle(app: QApplication, ready: Callable[[], bool], seconds: float = 10) -> None:
    """Let background work (the database, off the GUI thread) and layout passes finish."""
    deadline = time.monotonic() + seconds
    while not ready() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    for _ in range(3):  # the products' rows settle their heights over a few layout passes
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)  # (pending ones, before the grab)
        app.processEvents()


def typing(app: QApplication, window: KioskWindow, field: QLineEdit) -> QWidget:
    """A shopper's tap on a text field: the on-screen keyboard below it; the window or dialog showing both."""
    field.setFocus(Qt.FocusReason.MouseFocusReason)
    field.end(False)
    window.keyboard.show_for(field)
    settle(app, window.keyboard.isVisible)
    return field.window()


def _sensible_answers(step: Step) -> list[Any]:
    """What the walk tries on a step the example does not answer, in order: each option (one at a time), the
    suggested number, yes then no; "doesn't matter" after them, where the step has it."""
    if step.kind == "single":
        answers: list[Any] = [option.id for option in step.options]
    elif step.kind == "multiple":
        answers = [(option.id,) for option in step.options]
    elif step.kind == "number":
        answers = [value for value in (step.default, step.min, step.max) if value is not None]
    else:
        answers = [True, False]
    return [*answers, DONT_CARE] if step.dont_care else answers


def walk_answer(session: KioskSession, step: Step, planned: Any = None) -> Any:
    """The answer the walk gives on the step on screen: the example's (`planned`), else the first of the sensible
    answers, that is valid here and leaves products (so the results, detail and compare screens have some to
    show); where none leaves any, the first valid one."""
    from advisor.engine import InvalidAnswer, check_answer

    valid: list[Any] = []
    for answer in ([] if planned is None else [planned]) + _sensible_answers(step):
        try:
            valid.append(check_answer(step, tuple(answer) if isinstance(answer, list) else answer))
        except InvalidAnswer:
            continue
    advice = session.advice
    for answer in valid:
        count = advice.live_count_if(step.id, answer) if advice is not None else None
        if count is None or count > 0:
            return answer
    return valid[0] if valid else DONT_CARE


def tour(app: QApplication, session: KioskSession, window: KioskWindow, *, accessible: bool = False,
         questionnaire: str | None = None) -> Iterator[tuple[str, QWidget]]:  # fmt: skip
    """Walk every screen a shopper sees in one finder (`questionnaire`: its id, by default the tent finder); yields
    each screen's name and the window (or dialog) showing it."""
    chosen = questionnaire or QUESTIONNAIRE

    def shown() -> tuple[str, QWidget]:
        if session.view == "results":
            from ui.screens.results import ResultsScreen

            results = window.screen_for("results")
            assert isinstance(results, ResultsScreen)
            settle(app, lambda: bool(results.products.cards or results.offers.findChildren(QPushButton)))
        else:
            settle(app, lambda: True)
        return session.view, window

    session.set_accessible(accessible)
    yield "welcome", shown()[1]
    session.show_choices()
    yield "choose", shown()[1]
    finder = session.questionnaires[chosen]
    example = _example(finder, no_match=False)
    answers = dict(example.answers) if example else {}
    session.start(chosen)
    while session.state is not None and session.state.current is not None:
        step_id = session.state.current
        yield f"question-{step_id}", shown()[1]
        session.answer(walk_answer(session, finder.step(step_id), answers.get(step_id)))
        if session.state is not None and session.state.current == step_id:
            break  # refused (said on stderr): the results as they are, rather than this question forever
    yield "results", shown()[1]
    result = session.recommendation()
    if result is not None and result.products:
        for item in result.products[:3]:
            session.toggle_compare(item.sku)
        session.show_compare()
        yield "compare", shown()[1]
        session.show_detail(result.products[0].sku)  # (from the comparison: Back returns there, then to the results)
        yield "detail", shown()[1]
        session.back()
        if session.view == "compare":
            session.back()
        engine = session.engine
        assert engine is not None  # (open_kiosk opened it)
        set_pin(engine, "Anna Berger", "4711")
        report_presence(engine, "Anna Berger")  # someone at a console: the call and the chat are offered
        talk = TalkDialog(session, window)
        talk.resize(min(960, window.width()), min(640, window.height()))
        talk.show()
        settle(app, lambda: talk.presence_known and talk.call.isVisible())
        yield "talk", talk
        talk.show_phone()
        settle(app, lambda: talk.pages.currentIndex() == PHONE_PAGE)
        yield "talk-phone", talk
        talk.show_summary()
        settle(app, lambda: talk.pages.currentIndex() == SUMMARY_PAGE)
        yield "talk-summary", talk
        talk.reject()
        sign_out(engine, "Anna Berger")  # nobody there for the rest of the tour
        yield from booking_tour(app, session, window)
    session.show_overview()
    yield "overview", shown()[1]
    empty = _example(finder, no_match=True)
    if empty is not None:
        session.start(chosen)
        session.set_answers(empty.answers)
        session.show_overview()
        session.back()
        yield "no-match", shown()[1]
    yield from help_tour(app, session, window, shown)


def help_tour(
    app: QApplication, session: KioskSession, window: KioskWindow, shown: Callable[[], tuple[str, QWidget]]
) -> Iterator[tuple[str, QWidget]]:
    """Help with a product: which help, which product (the pictures, then a search), the outcomes for leaking seams,
    the repair order."""
    from ui.repair_order import RepairDialog
    from ui.screens.help import FindScreen, OutcomesScreen

    if HELP_FLOW not in session.service_flows:
        return
    session.show_help()
    yield "help", shown()[1]
    session.start(HELP_FLOW)
    yield "help-find", shown()[1]
    find = window.screen_for("find")
    assert isinstance(find, FindScreen)
    find.field.setText("Karw")
    yield "help-find-keyboard", typing(app, window, find.field)
    window.keyboard.put_away()  # "Fertig"
    find.field.setText("Karwendel")
    find.search()
    yield "help-find-results", shown()[1]
    first = find.found[0].sku if find.found else None
    if first is None:
        return
    session.set_product(first)
    for step_id, value in HELP_ANSWERS.items():
        if session.state is not None and session.state.current == step_id:
            session.answer(value)
    yield "help-outcomes", shown()[1]
    outcomes = window.screen_for("outcomes")
    assert isinstance(outcomes, OutcomesScreen)
    repair = next((view for view in outcomes.views if view.kind == "repair"), None)
    if repair is not None:
        dialog = RepairDialog(session, repair, [view for view in outcomes.views if view.kind == "guide"], window)
        dialog.resize(min(960, window.width()), min(680, window.height()))
        dialog.show()
        settle(app, lambda: True)
        yield "help-repair", dialog
        dialog.reject()


def booking_tour(app: QApplication, session: KioskSession, window: KioskWindow) -> Iterator[tuple[str, QWidget]]:
    """The booking dialog's pages for a store that books this advice's category, with a sample day's free times and
    a sample booking (nothing is booked: the database is left as it is)."""
    from datetime import datetime, time, timedelta

    from advisor.appointments.booking import Booking
    from advisor.appointments.slots import Slot
    from advisor.config import AppointmentKind, default_config
    from ui.booking import DONE_PAGE, PHONE_PAGE, WHO_PAGE, BookingDialog

    questionnaire = session.questionnaire
    if questionnaire is None:
        return
    kept = session.config
    config = kept or default_config()
    kinds = {questionnaire.category: AppointmentKind()} | dict(config.appointments.kinds)
    session.config = config.model_copy(update={"appointments": config.appointments.model_copy(update={"kinds": kinds})})
    try:
        results = window.screen_for("results")
        results.refresh()  # the footer offers the booking now (as the window refreshes a screen)
        results.fit_footer()
        settle(app, results.ready)
        yield "results-booking", window
        talk = TalkDialog(session, window)  # nobody at a console: an appointment instead
        talk.resize(min(960, window.width()), min(640, window.height()))
        talk.show()
        settle(app, lambda: talk.presence_known and talk.book.isVisible())
        yield "talk-booking", talk
        talk.reject()
        dialog = BookingDialog(session, window)  # at the size the kiosk opens it with, grown as its pages need
        dialog.show()
        settle(app, lambda: True)
        yield "booking", dialog
        dialog.show_phone()
        settle(app, lambda: dialog.pages.currentIndex() == PHONE_PAGE)
        yield "booking-phone", dialog
        dialog.show_here()
        settle(app, lambda: dialog.slots_status.text() != dialog.t("booking.loading"))  # (no consultants: none)
        zone = session.config.store.zone
        # The sample times are the second day the picker offers (tomorrow, unless the store is closed then: the
        # next day it is open), and that day is the one chosen in the picker.
        day = dialog.offered_days[min(1, len(dialog.offered_days) - 1)]
        starts = [datetime.combine(day, time(9, 30), tzinfo=zone) + timedelta(minutes=15 * i) for i in range(40)]
        dialog._mark_day(day)
        dialog._show_slots([Slot(start, start + timedelta(minutes=20), ("Anna",)) for start in starts])
        settle(app, lambda: True)
        yield "booking-when", dialog
        first = next(iter(dialog.slot_buttons))
        dialog._choose(dialog.slot_buttons[first])
        dialog.show_who()
        dialog.name.setText("Kim Berger")
        dialog.contact.setText("kim@example.com")
        dialog.consent.setChecked(True)
        settle(app, lambda: dialog.pages.currentIndex() == WHO_PAGE)
        yield "booking-who", dialog
        yield "booking-keyboard", typing(app, window, dialog.name)
        window.keyboard.put_away()
        held = tuple(list(dialog.product_cards)[:2])
        sample = Booking(appointment_id="sample", staff_name="Anna", starts_at=starts[0],
                         ends_at=starts[0] + timedelta(minutes=20), held=held, not_held=(), links={})  # fmt: skip
        dialog._show_done(sample, True, "sample-one-time-token", resume_code=session.resume_code or "ABCD2345")
        settle(app, lambda: dialog.pages.currentIndex() == DONE_PAGE)
        yield "booking-done", dialog
        dialog.reject()
    finally:
        session.config = kept
        session.booked = None  # the sample booking was never stored


def take_screenshots(
    folder: Path,
    *,
    locale: str,
    size: QSize,
    db_url: str | None = None,
    accessible: bool = False,
    questionnaires: Mapping[str, Questionnaire] | None = None,
    questionnaire: str | None = None,
    config: Config | None = None,
) -> list[Path]:
    """Render the screens a shopper walks through in one finder (`questionnaire`, among `questionnaires`: see
    `kiosk_questionnaires`) with the catalog of `db_url`; returns the files written.

    The catalog is the store's, but what the walk stores (a sample staff member with a known PIN, the advice shared
    to a phone, its one-time codes) goes into a scratch database, removed afterwards: never into a store's."""
    import sys
    import tempfile

    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="advisor-screenshots-") as scratch:
        app, session, window = open_kiosk(locale=locale, size=size, db_url=db_url, questionnaires=questionnaires,
                                          writes_url=f"sqlite:///{scratch}/walk.sqlite3", config=config)  # fmt: skip
        finder = session.questionnaires[questionnaire or QUESTIONNAIRE]
        if session.catalog is not None and finder.category not in session.catalog.categories:
            sys.stderr.write(f"advisor screenshots: the catalog has no category {finder.category!r}: the results "
                             f"screens of {finder.id} show no products (`advisor catalog import` them)\n")  # fmt: skip
        for name, widget in tour(app, session, window, accessible=accessible, questionnaire=finder.id):
            path = folder / f"{len(written) + 1:02d}-{name}.png"
            widget.grab().save(str(path))
            written.append(path)
        window.close()
        QApplication.processEvents()
        session.shutdown()
        if session.engine is not None:
            session.engine.dispose()
    return written


CONSOLE_SIZES = (QSize(1280, 720), QSize(1920, 1080))
SAMPLE_PLACES = {
    "de": {"kiosk-zelte": "Zeltabteilung, 1. OG", "kiosk-eingang": "Eingang, EG"},
    "en": {"kiosk-zelte": "Tents, 1st floor", "kiosk-eingang": "Entrance, ground floor"},
}


def _sample_cases(engine: Any, questionnaires: dict[str, Questionnaire], catalog: Any, locale: str) -> None:
    """What a console meets on a Saturday: a shopper at the tent kiosk who took a relaxation and asked for a
    consultant, a chat from the entrance kiosk and a chat from a phone (all through the core, as the surfaces)."""
    from advisor.handoff import chat, requests
    from advisor.handoff.staff import report_presence, set_pin
    from advisor.session import store
    from advisor.session.service import AdviceSession

    set_pin(engine, "Anna Berger", "4711")
    report_presence(engine, "Anna Berger")
    tents = questionnaires[QUESTIONNAIRE]
    example = _example(tents, no_match=False)
    advice = AdviceSession.start(tents, index=catalog.categories.get(tents.category), locale=locale)
    advice.set_answers(dict(example.answers) if example else {})
    result = advice.recommendation()
    if result.products:
        advice.view(result.products[0].sku)
    record = store.create(engine, advice, store_id="muc-01", kiosk_id="kiosk-zelte", consent=True)
    requests.request_handoff(engine, session_id=record.id, kind="consultant")
    for kiosk_id, origin, words in (("kiosk-eingang", "kiosk", "Habt ihr den Schlafsack auch in lang?"),
                                    (None, "web", "Is the jacket in stock in size M?")):  # fmt: skip
        bag = questionnaires["sleeping-bag-finder"] if origin == "kiosk" else questionnaires["rain-jacket-finder"]
        other = AdviceSession.start(bag, index=catalog.categories.get(bag.category), locale=locale)
        stored = store.create(engine, other, store_id="muc-01", kiosk_id=kiosk_id, consent=True, origin=origin)
        request_id = requests.request_handoff(engine, session_id=stored.id, kind="chat")
        chat.post_message(engine, request_id, sender="shopper", text=words)


def _sample_walks(engine: Any, questionnaires: dict[str, Questionnaire], catalog: Any, walks: int = 160) -> None:
    """A month of shoppers for the insights: random walks through the real advice session and its event log
    (some give up, some answer "doesn't matter", some drop a wish when nothing fits, some rate the advice)."""
    import random

    from advisor.insights.events import EventLog, new_run
    from advisor.questionnaire.model import DONT_CARE
    from advisor.session.service import AdviceSession
    from advisor.session.tracking import EventLogger

    chance = random.Random(7)
    log = EventLog(engine, channel="kiosk", store_id="muc-01")
    logger = EventLogger(log)
    for _ in range(walks):
        questionnaire = chance.choice(list(questionnaires.values()))
        advice = AdviceSession.start(questionnaire, index=catalog.categories.get(questionnaire.category),
                                     run=new_run(), subscribers=[logger])  # fmt: skip
        while (step := advice.step) is not None:
            if chance.random() < 0.04:
                break  # gave up here
            if step.dont_care and chance.random() < 0.15:
                value: Any = DONT_CARE
            elif step.kind == "number":
                low, high = int(step.min or 0), int(step.max or 10)
                value = chance.randrange(low, high + 1, int(step.step or 1))
            elif step.kind == "yes_no":
                value = chance.random() < 0.5
            elif step.kind == "multiple":
                value = tuple(chance.sample([o.id for o in step.options], k=chance.randint(1, 2)))
            else:
                value = chance.choice(step.options).id
            advice.answer(step.id, value)
        if advice.step is None and advice.index is not None:
            result = advice.recommendation()
            if not result.products and result.relaxations:
                advice.relax(result.relaxations[0].drop)
                advice.recommendation()
            if chance.random() < 0.3:
                advice.rate(chance.choice((1, 1, 2, 2, 3, 4)))
    log.flush()


def _sample_appointments(engine: Any, questionnaires: dict[str, Questionnaire], catalog: Any, config: Any,
                         locale: str) -> None:  # fmt: skip
    """The coming days at the appointments desk: a family's tent advice prepared at the kiosk with two tents set
    aside, a sleeping bag booked on a phone; in the workshop a tent with leaking seams and an overdue zip."""
    from datetime import UTC, datetime, timedelta

    from advisor.appointments import booking
    from advisor.appointments import staff as team
    from advisor.repairs.orders import create_order
    from advisor.session import store
    from advisor.session.service import AdviceSession

    team.set_skills(engine, staff_name="Anna Berger", categories=["tents", "sleeping_bags"])
    for weekday in range(7):
        team.set_shift(engine, staff_name="Anna Berger", weekday=weekday, span=(9 * 60, 20 * 60))
    now = datetime.now(UTC)
    tents = questionnaires[QUESTIONNAIRE]
    example = _example(tents, no_match=False)
    advice = AdviceSession.start(tents, index=catalog.categories.get(tents.category), locale=locale)
    advice.set_answers(dict(example.answers) if example else {})
    shortlist = [item.sku for item in advice.recommendation().products[:2]]
    record = store.create(engine, advice, store_id=config.store.id, kiosk_id="kiosk-zelte", consent=True)
    later = now + timedelta(hours=2)
    for category, name, contact, channel, session_id, products, position in (
        ("tents", "Familie Keller", "keller@example.de", "kiosk", record.id, shortlist, 0),
        ("sleeping_bags", "Jonas Weber", "+49 151 2345678", "web", None, [], 5),
    ):
        slots = booking.free_slots(engine, config=config, category_id=category, after=later, count=position + 1)
        if len(slots) > position:
            booking.book(engine, config=config, category_id=category, starts_at=slots[position].starts_at, name=name,
                         contact=contact, locale=locale, channel=channel, session_id=session_id, products=products,
                         remind=False, now=now)  # fmt: skip
    german = locale == "de"
    create_order(engine, store_id=config.store.id, product_sku="NG-TENT-0001", turnaround_days=7, consent=True,
                 problem="Es regnet an den Nähten rein" if german else "Rain comes in at the seams",
                 tried=["Nähte selbst abdichten" if german else "Sealing the seams myself"], cost_cents=(2000, 4500),
                 contact_name="Kim Berger", contact_email="kim@example.de", locale=locale,
                 variant_sku="NG-TENT-0001-GRY", questionnaire_id="tent-help",
                 answers={"problem": "leak", "leak_where": "seams", "leak_since": "after_years"},
                 now=now - timedelta(days=2))  # fmt: skip
    create_order(engine, store_id=config.store.id, product_sku="NG-TENT-0002", turnaround_days=7,
                 problem="Reißverschluss geht hinter dem Schieber auf" if german else "The zip opens behind the slider",
                 locale=locale, now=now - timedelta(days=9))  # fmt: skip


def open_console(*, locale: str, size: QSize, db_url: str) -> tuple[QApplication, Any]:
    """A staff console on a database with sample cases, signed in as Anna Berger, at a size."""
    from zoneinfo import ZoneInfo

    from advisor.bootstrap import open_database
    from advisor.config import Config
    from advisor.recommend.index import build_index
    from ui.staff import StaffConsole

    app = create_application()
    engine = open_database(db_url)
    questionnaires = load_questionnaires()
    catalog = build_index(engine)
    places = {
        kiosk: {language: SAMPLE_PLACES[language][kiosk] for language in SAMPLE_PLACES}
        for kiosk in SAMPLE_PLACES[locale]
    }  # the console names its kiosks' places from the configuration
    config = Config.model_validate({"store": {"places": places},
                                    "appointments": {"kinds": {"tents": {}, "sleeping_bags": {}}}})  # fmt: skip
    _sample_cases(engine, questionnaires, catalog, locale)
    _sample_appointments(engine, questionnaires, catalog, config, locale)
    _sample_walks(engine, questionnaires, catalog)
    console = StaffConsole(engine, questionnaires, catalog, SAMPLE_ADDRESS, locale=locale,
                           zone=ZoneInfo("Europe/Berlin"), config=config)  # fmt: skip
    console.resize(size)
    console.show()
    console.name.setText("Anna Berger")
    console.pin.setText("4711")
    console.sign_in()
    settle(app, lambda: console.view is not None and console.queue.count() == 3)
    return app, console


def console_tour(app: QApplication, console: Any) -> Iterator[tuple[str, QWidget]]:
    """The console's screens: the queue with its alert, a claimed case, a chat, the insights, the appointments and
    the repairs (each with an entry chosen), and a repair taken in at the counter."""
    yield "console-queue", console
    console.queue.setCurrentRow(0)
    console.claim()
    settle(app, lambda: console.view is not None and console.view.case is not None)
    yield "console-case", console
    console.queue.setCurrentRow(0)
    console.claim()
    settle(app, lambda: console.view is not None and len(console.view.cases) == 2 and console.view.case is not None
           and bool(console.view.case.messages))  # fmt: skip
    console.message.setText("")
    yield "console-chat", console
    console.show_insights()
    insights = console.insights
    insights.resize(console.size())
    settle(app, lambda: getattr(insights, "report", True) is not None, seconds=5)
    yield "console-insights", insights
    insights.close()
    console.show_appointments()
    appointments = console.appointments
    appointments.resize(console.size())
    settle(app, lambda: appointments.view is not None and bool(appointments.view.entries))
    appointments.entries.setCurrentRow(0)
    settle(app, lambda: appointments.view is not None and appointments.view.selected is not None)
    yield "console-appointments", appointments
    appointments.close()
    console.show_repairs()
    repairs = console.repairs
    repairs.resize(console.size())
    settle(app, lambda: repairs.listed is not None and bool(repairs.listed.orders))
    repairs.orders.setCurrentRow(repairs.orders.count() - 1)  # the one with a contact; the overdue one above, red
    settle(app, lambda: repairs.selected() is not None)
    yield "console-repairs", repairs
    repairs.take_in()  # a customer at the counter: the tent found by its name, what is wrong typed
    intake = repairs.intake
    assert intake is not None
    intake.field.setText("Karwendel")
    intake.search()
    settle(app, lambda: intake.results.count() > 1)
    intake.results.setCurrentRow(0)
    intake.problem.setPlainText("Gestänge gebrochen" if console.staff_locale == "de" else "Pole broken")
    yield "console-repair-intake", intake
    intake.reject()
    repairs.close()


def take_console_screenshots(folder: Path, *, locale: str, size: QSize, db_url: str | None = None) -> list[Path]:
    """Render the console's screens with sample cases; without `db_url` in a fresh database of their own, removed
    afterwards (the sample cases never go into a store's database, the folder holds only the pictures)."""
    import tempfile

    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="advisor-console-") as scratch:
        app, console = open_console(locale=locale, size=size, db_url=db_url or f"sqlite:///{scratch}/console.sqlite3")
        for name, widget in console_tour(app, console):
            path = folder / f"{name}.png"
            widget.grab().save(str(path))
            written.append(path)
        console.close()
        QApplication.processEvents()
    return written
