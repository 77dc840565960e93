"""What the kiosk says aloud, in the core's words: one function per screen, control, result and dialog.

No Qt here (a test imports this module and finds no PySide6 loaded): the shell (`ui/speech.py`) only routes screens
and focus changes to a voice, and these functions say what to speak, so the words are tested without a screen.
Every text comes from the core's message table (`advisor.i18n`), in the shopper's language and form of address.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from advisor.i18n import MESSAGES, MONTHS_EN, counted, pick, text, unit_text
from advisor.session.service import MAX_COMPARE

if TYPE_CHECKING:
    from advisor.engine import Progress
    from advisor.questionnaire.model import Step
    from advisor.recommend.core import Recommendation
    from advisor.recommend.explain import Decision
    from advisor.recommend.index import CategoryIndex
    from advisor.rendering.facts import ProductFacts, StoreNamed

RATE_LEVELS = 5  # speaking speeds the shopper can choose from, the middle one the voice's own
# What the eye reads at a glance and a voice reads badly: "Regal 17 · nicht in Orange", "8/10", "in 20 s", a code
# "ABCD-2345" (read as a word), a link.
SEPARATOR = re.compile(r"\s+·\s+")
SCORE = re.compile(r"\b(\d+(?:[.,]\d+)?)/10\b")
SECONDS = re.compile(r"\b(\d+)[ \u00a0]s\b")
# Units a voice reads as letters or as a word of their own ("18 Min", "34,5 l", "750 cuin"): said in full, in the
# language.
# A number and its unit are joined by a space or a no-break space (as the products' facts write them).
UNITS = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)*)[ \u00a0](Min\b\.?|min\b\.?|ml\b|l\b|cuin\b)(?![\w-])")
UNIT_WORDS = {"min": "minutes", "ml": "millilitres", "l": "litres", "cuin": "cubic_inches"}
# A percentage as i18n.percent writes it ("66%", "66 %" with a no-break space, or a space): said "66 percent",
# "66 Prozent", not left to a voice that may read the sign alone or not at all.
PERCENT = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)*)[ \u00a0\u202f]?%")
CODE = re.compile(r"\b([2-9A-HJKMNP-Z]{4})[-\u2011]([2-9A-HJKMNP-Z]{4})\b")
# A range of numbers ("30–80 €", "€15–30", "2–3 Tage"): said "30 bis 80 €", "€15 to €30" (a voice reads the dash as
# a minus, or not at all). Only without spaces round the dash: "Note 1 – sehr gut" is a pause, not a range.
RANGE = re.compile(r"(?<![\w.,])(€)?(\d+(?:[.,]\d+)*)\u2013(\d+(?:[.,]\d+)*)(?![\w\u2013])")
EURO_AFTER = re.compile(r"[ \u00a0\u202f]?€")  # the sign after a German amount (a range's upper end)
# A sign before a number ("-7 °C", "(−22 °C)", with a hyphen or a true minus): said "minus 7"; not a range's dash
# ("30–80"), a word's hyphen ("3-Jahreszeiten", "NG-TENT-0031") or a code's, nor a sign after a number or letter.
SIGN = re.compile(r"(?<![\w.,)\]\-\u2212])[-\u2212](?=\d)")
# A price as i18n.money writes it ("649,95 €", "1.299,95 €", "649 €"; "€619.95", "€1,299.95"): said in words
# ("649 Euro 95", "619 euros 95"), the thousands without their separator (a voice may read "1.299" as a decimal).
PRICE_DE = re.compile(r"(?<![\w.,])(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d\d))?[ \u00a0\u202f]?€")
PRICE_EN = re.compile(r"€[ \u00a0\u202f]?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d\d))?(?![\d])")
# A temperature ("-7 °C", "30 °C"): said "7 Grad", "30 degrees" (the sign before it is said by SIGN).
CELSIUS = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)?)[ \u00a0\u202f]?°C(?!\w)")
# A German day and month as the kiosk writes them ("07.12.", "Samstag, 05.12., 03:30 Uhr", "04.12.2026"; "07.12"
# with its full stop cut off by a list): said as a date ("7. Dezember"), not read as a decimal; an English day's
# month in full ("4 Dec").
DATE_DE = re.compile(r"(?<![\w.,])(0[1-9]|[12]\d|3[01])\.(0[1-9]|1[0-2])(?!\d)(?:\.(\d{4})(?!\d)|(\.))?")
DATE_EN = re.compile(rf"\b(\d{{1,2}}) ({'|'.join(MONTHS_EN)})\b")
# Units a control names without a number ("Mehr cm", "Weniger kg"): said in words, as "Mehr Personen" is.
UNIT_SAID = {"cm": "speech.unit.cm", "kg": "speech.unit.kg", "°C": "speech.unit.celsius", "eur": "speech.unit.eur"}
LINK = re.compile(r"\b(?:https?://|www\.)\S+")
# A tick shown beside a state or a reason ("Vergleichen ✓", "✓ leicht"): the state is said in words, the sign not.
TICK = re.compile(r"(?<=\S) ✓|✓ ?")
# A German floor as a shelf place writes it ("1. OG", "EG"): said in full (the English already says "1st floor").
FLOOR_DE = re.compile(r"(?<![\w-])(EG|OG|UG)(?![\w-])")
FLOORS_DE = {"EG": "Erdgeschoss", "OG": "Obergeschoss", "UG": "Untergeschoss"}
NOTHING = ("–", "-", "—")  # a table's cell that has no value
# Signs a voice skips, or reads as a pause ("." ends the sentence it is said in): said by name, as the keys name them
SIGN_NAMES = {" ": "keyboard.space", ".": "keyboard.period", "-": "keyboard.hyphen", "@": "keyboard.at",
              "_": "keyboard.underscore", "'": "keyboard.apostrophe", ",": "keyboard.comma"}  # fmt: skip


def sentences(*parts: str | None) -> str:
    """Parts said one after the other: empty ones dropped, each ending like a sentence (a pause in the voice)."""
    said = []
    for part in parts:
        part = (part or "").strip()
        if part:
            said.append(part if part[-1] in ".!?:;…" else f"{part}.")
    return " ".join(said)


def speakable(words: str, locale: str) -> str:
    """Words as a voice should read them: separators as pauses ("Regal 17, nicht in Orange"), a score as "8 von 10",
    seconds in full ("20 Sekunden"), a code character by character; the screen keeps its short forms."""
    words = SEPARATOR.sub(", ", words).replace("\u2060", "")  # (a word joiner keeps "g/m²" on one line, no word)
    words = TICK.sub("", words)
    if locale == "de":
        words = FLOOR_DE.sub(lambda found: FLOORS_DE[found[1]], words)
    words = SCORE.sub(lambda found: place(found[1], 10, locale), words)
    words = SECONDS.sub(lambda found: f"{found[1]} {unit_text('seconds', locale, one=found[1] == '1')}", words)
    words = UNITS.sub(lambda found: _unit_said(found, locale), words)
    words = PERCENT.sub(lambda found: f"{found[1]} {unit_text('percent', locale)}", words)
    words = SIGN.sub(f"{text('speech.minus', locale)} ", words)
    words = RANGE.sub(lambda found: _range_said(found, locale), words)  # (before the prices: "€15–30")
    words = (PRICE_EN if locale == "en" else PRICE_DE).sub(lambda found: _price_said(found, locale), words)
    words = CELSIUS.sub(lambda found: f"{found[1]} {_unit_word('celsius', found[1], locale)}", words)
    words = _dates_said(words, locale)
    return CODE.sub(lambda found: spelled(found[0]), words)


def first_sentence(words: str) -> str:
    """The first sentence of `words` (where the shopper is, in short: "Zusammenfassung mitnehmen.")."""
    first, stop, _ = words.strip().partition(". ")
    return f"{first}." if stop else first


def _unit_said(found: re.Match[str], locale: str) -> str:
    """ "18 Min." as "18 Minuten.", "34,5 l" as "34,5 Liter" (an abbreviation's full stop kept where it may end a
    sentence, before a space or at the end; "(7 Min.)" is said "(7 Minuten)")."""
    amount, unit = found[1], found[2]
    word = unit_text(UNIT_WORDS[unit.rstrip(".").lower()], locale, one=amount == "1")
    after = found.string[found.end() : found.end() + 1]
    return f"{amount} {word}{'.' if unit.endswith('.') and (not after or after.isspace()) else ''}"


def _range_said(found: re.Match[str], locale: str) -> str:
    """ "30–80" as "30 bis 80", "€15–30" as "15 to €30"; "15,50–40 €" as "15,50 € bis 40 €" (an amount with cents
    or thousands a price of its own, said "15 Euro 50"; whole ones say the currency once: "15 bis 30 Euro")."""
    euro, low, high = found[1] or "", found[2], found[3]
    if euro:  # (said "15 to 30 euros", as the German; "€15.50 to €30": each amount with cents said whole)
        low = f"€{low}" if "." in low or "," in low else low
    elif re.search(r"[.,]", low) and EURO_AFTER.match(found.string, found.end()):
        low = f"{low}\u00a0€"
    return f"{low} {text('speech.range_to', locale)} {euro}{high}"


def _unit_word(unit: str, amount: str, locale: str) -> str:
    """ "Euro", "euros" ("euro" for one); "Grad", "degrees" ("degree" for one)."""
    one = amount == "1" and f"speech.unit.{unit}_one" in MESSAGES
    return text(f"speech.unit.{unit}_one" if one else f"speech.unit.{unit}", locale)


def _price_said(found: re.Match[str], locale: str) -> str:
    """ "649,95 €" as "649 Euro 95", "1.299 €" as "1299 Euro", "€619.95" as "619 euros 95" (as a price is said
    aloud: a voice reads "619.95" as "six hundred nineteen point nine five")."""
    whole = re.sub(r"[.,]", "", found[1])
    cents = int(found[2] or 0)
    return f"{whole} {_unit_word('eur', whole, locale)}" + (f" {cents}" if cents else "")


def _dates_said(words: str, locale: str) -> str:
    """Dates as a voice says them: "07.12." as "7. Dezember", "4 Dec" as "4 December"."""
    if locale == "en":
        return DATE_EN.sub(lambda found: f"{found[1]} {_month(MONTHS_EN.index(found[2]) + 1, locale)}", words)
    if locale != "de":
        return words

    def said(found: re.Match[str]) -> str:
        day, month, year, stop = int(found[1]), int(found[2]), found[3], found[4]
        date = f"{day}. {_month(month, locale)}" + (f" {year}" if year else "")
        rest = found.string[found.end() :]
        return f"{date}." if stop and not rest.strip() else date  # (a full stop that ends the text stays)

    return DATE_DE.sub(said, words)


def _month(month: int, locale: str) -> str:
    """A month's name in the language ("Dezember", "December"), as the shop's other dates write it (CLDR)."""
    from babel.dates import get_month_names

    return str(get_month_names("wide", locale=locale)[month])


def unit_said(unit: str | None, locale: str) -> str:
    """A unit named without a number ("Mehr Zentimeter", "Weniger Personen"): in words, not as letters."""
    key = UNIT_SAID.get(unit or "")
    return text(key, locale) if key else unit_text(unit, locale)


def document(name: str, content: str, locale: str) -> str:
    """A text to take along (the summary): its name, then line by line, each a sentence (a pause in the voice),
    without the links a phone opens (the QR code beside it does that)."""
    lines = [line for line in content.splitlines() if line.strip() and not LINK.search(line)]
    return speakable(sentences(name, *lines), locale)


def listing(parts: Iterable[str]) -> str:
    """Short parts of one sentence, with a short pause between them (a part's own full stop gives way)."""
    return ", ".join(part.strip().rstrip(".") for part in parts if part and part.strip())


def place(index: int | str, count: int, locale: str) -> str:
    """Where an item stands among its kind: "3 von 5"."""
    return text("speech.position", locale, index=index, count=count)


def prompt(locale: str, address: str) -> str:
    """The welcome screen's invitation to switch speech guidance on."""
    return text("speech.prompt", locale, address)


def guidance_on(locale: str, address: str) -> str:
    """Said once when speech guidance starts: that it is on, and the keys."""
    return sentences(text("speech.on", locale, address), keys(locale, address))


def keys(locale: str, address: str) -> str:
    """The keys of the four-key mode (F1 says them again)."""
    return text("speech.keys", locale, address)


def welcome(*, locale: str, address: str, guided: bool) -> str:
    """The welcome screen: what the kiosk is for; without guidance, how to switch it on."""
    return sentences(
        text("welcome.title", locale, address),
        text("welcome.subtitle", locale, address),
        None if guided else prompt(locale, address),
    )


def choose(*, count: int, locale: str, address: str, titled: bool = True) -> str:
    """The choice of questionnaire: its heading ("Was suchst du?", left out by a screen that shows a heading of its
    own: `titled` False), how many there are."""
    return sentences(text("choose.title", locale, address) if titled else None,
                     counted("speech.choices", count, locale))  # fmt: skip


def question(
    *,
    step: Step,
    progress: Progress | None,
    count: int | None,
    category: str,
    answer: Any,
    guided: bool,
    locale: str,
    address: str,
    dropped: str = "",
    service: bool = False,
    ready: bool = True,
) -> str:
    """A question screen: progress, the question, how many products still fit, the answer given before (and one
    dropped so that something fits), and (with the keys) how to answer; `service`: a help flow's question; `ready`:
    a multiple choice's Next can be reached (an answer is ticked), else it comes once one is."""
    from advisor.questionnaire.model import DONT_CARE
    from advisor.recommend.core import display_answer

    answers = len(step.options) if step.kind in ("single", "multiple") else 2 if step.kind == "yes_no" else 0
    answers += 1 if step.dont_care and step.kind != "number" else 0
    if not guided or step.kind == "number":
        how = None  # (the value control says how it changes)
    elif step.kind == "multiple":
        how = text("speech.choose_any" if ready else "speech.choose_any_first", locale, address, count=answers)
    else:
        how = text("speech.choose_one", locale, address, count=answers)
    given = None
    if answer is not None and (step.kind != "multiple" or answer == DONT_CARE or answer):
        given = text("speech.answer", locale, address, answer=display_answer(step, answer, locale, service=service))
    return sentences(
        text("question.progress", locale, address, done=progress.position, total=progress.total) if progress else None,
        pick(step.question, locale),
        None if count is None else counted("question.live_count", count, locale, address, category=category),
        text("question.choose_any", locale, address) if step.kind == "multiple" and not guided else None,
        given,
        dropped or None,
        how,
    )


def option(*, title: str, description: str, index: int, count: int, selected: bool, multiple: bool, locale: str) -> str:
    """One answer card: its label and description, whether it is chosen, where it stands ("2 von 5")."""
    state = ""  # a single choice says only the chosen answer's state; several answers say each one's
    if selected or multiple:
        state = text("speech.selected" if selected else "speech.not_selected", locale)
    return sentences(listing((title, state, place(index, count, locale))), description)


def control(
    *,
    name: str,
    description: str = "",
    checked: bool | None = None,
    enabled: bool = True,
    position: tuple[int, int] | None = None,
    locale: str,
) -> str:
    """Any other control: its name, state (selected, not available) and position, then its description."""
    state = ""
    if checked is not None:
        state = text("speech.selected" if checked else "speech.not_selected", locale)
    where = place(*position, locale) if position else ""
    return sentences(
        listing((name, state, "" if enabled else text("speech.unavailable", locale), where)),
        description if description != name else "",
    )


def text_field(*, name: str, value: str, locale: str, keys_on_screen: bool = False) -> str:
    """A field to type in (a comment, a chat message): how a four-key pad types there (the keys on the screen), or
    that it cannot; then what it holds, spelled where a voice would misread it (`typed`)."""
    return sentences(listing((name, text("speech.text_field_keys" if keys_on_screen else "speech.text_field",
                                         locale))), typed(value, locale))  # fmt: skip


def chat(*, name: str, lines: Sequence[str], locale: str) -> str:
    """The chat with staff: how many messages there are, and the last few."""
    return sentences(name, counted("speech.messages", len(lines), locale), *lines[-3:])


def number(*, value_text: str, at_lowest: bool, at_highest: bool, locale: str) -> str:
    """A number's value as the shopper reads it ("4 Personen"), and whether it is at an end of its scale."""
    if at_lowest:
        return text("speech.lowest", locale, value=value_text)
    if at_highest:
        return text("speech.highest", locale, value=value_text)
    return value_text


def number_control(*, value: str, locale: str, address: str) -> str:
    """The number question's value control: its value, how to change it (the question is said just before)."""
    return sentences(value, text("speech.number", locale, address))


def number_change(*, value: str, on: bool, locale: str, address: str, outcome: str = "") -> str:
    """Select on a number: how its value changes now (`on`), or, the change over, the value kept and what it comes
    to (`outcome`: "2 Zelte passen", as the screen shows it)."""
    if on:
        return text("speech.number_on", locale, address)
    return sentences(text("speech.number_off", locale, address, value=value), outcome)


def results(*, title: str, subtitle: str, shared: str, shown: int, offers: int, locale: str, address: str) -> str:
    """The results screen: its title and count, what all products share, and how many follow (or what to drop)."""
    return sentences(
        title,
        *SEPARATOR.split(subtitle),  # "5 Zelte passen · Darauf hast du verzichtet: …": two sentences, not one
        shared,
        counted("speech.results", shown, locale, address) if shown else None,
        counted("speech.offers", offers, locale, address) if not shown and offers else None,
    )


def result_items(
    result: Recommendation,
    decision: Decision,
    index: CategoryIndex,
    *,
    locale: str,
    address: str,
    store_id: str,
    held: Mapping[str, int] | None = None,
    store_named: StoreNamed | None = None,
) -> dict[str, str]:
    """Each shown product, read as one item of a list in the screen's order (the top pick first): position,
    name, price, up to three reasons that set it apart, how it differs from the top pick, where it is in stock
    (less what is set aside for appointments, `held`; out of stock here, the stores that have it, by
    `store_named`, as the screen says)."""
    from advisor.recommend.explain import say_apart, say_versus_top
    from advisor.rendering.facts import price_text, stock_in

    items = {item.sku: item for item in result.products}
    order = [sku for sku in decision.display_order() if sku in items]
    versus = {alternative.sku: alternative for alternative in decision.alternatives}
    said = {}
    for position, sku in enumerate(order, start=1):
        item = items[sku]
        reasons = say_apart(decision, item, index, locale, address)
        heading = text("speech.result", locale, address, index=position, count=len(order),
                       name=pick(item.product.name, locale),
                       price=price_text(item.product, locale, item.variants))  # fmt: skip
        said[sku] = sentences(
            heading,
            text("decide.top", locale, address) if position == 1 else None,
            *reasons,
            say_versus_top(versus[sku], index, locale, address) if sku in versus else None,
            stock_in(item.product, store_id, locale, item.variants, index, held, address, store_named=store_named).text(
                locale
            ),
        )
    return said


def detail(facts: ProductFacts, *, sections: int, locale: str, address: str) -> str:
    """The product details screen: which product, its price, and how many sections follow. The first section
    starts with the same sentence (name and price): said on arrival, the voice says it once (`ui/speech.py` leaves
    out a first sentence just said); reached again later, the section says which product it is."""
    return counted("speech.detail", sections, locale, address, name=facts.name, price=facts.price)


def _product_head(facts: ProductFacts) -> str:
    """The product's name and price as one sentence, as the details screen's heading says them."""
    return f"{listing((facts.name, facts.price))}."


def detail_sections(facts: ProductFacts, *, locale: str, address: str, why: Sequence[str] = (),
                    bear: Sequence[str] = ()) -> list[tuple[str, str]]:  # fmt: skip
    """The details read by section, as (title, what is said): the product with why it suits the answers (`why`, and
    what to bear in mind) and where it is, the specifications, care, repair and sustainability."""
    specs = [f"{name}: {value}" for name, value in facts.specs]
    where = text("detail.where", locale, address)
    sections = [
        (text("detail.specs", locale, address), specs),
        (text("detail.care", locale, address), list(facts.care)),
        (text("detail.repair", locale, address), list(facts.repair)),
        (text("detail.sustainability", locale, address), list(facts.sustainability)),
    ]
    suits = [text("detail.why", locale, address), *why] if why else []
    mind = [text("summary.tradeoffs", locale, address), *bear] if bear else []
    product = sentences(_product_head(facts), facts.description, where, facts.stock.text(locale), *suits, *mind)
    return [(facts.name, product), *((title, sentences(title, *lines)) for title, lines in sections)]


def overview(*, count: int, locale: str, address: str) -> str:
    """The answers so far."""
    return sentences(text("overview.title", locale, address), counted("speech.overview", count, locale, address))


def compare(*, count: int, locale: str, address: str) -> str:
    """Up to three products side by side."""
    return sentences(text("results.compare", locale, address), counted("speech.compare", count, locale, address))


def compare_price(*, name: str, price: str, cheaper: bool, locale: str) -> str:
    """A product's name and price in its column of the comparison (the price is shown there once, no row repeats
    it), and whether it is the cheaper: "Hochkar 2, 299,95 €, günstiger"."""
    return sentences(listing((name, price, text("better.price", locale) if cheaper else "")))


def compare_full(*, name: str, locale: str) -> str:
    """A product's Compare toggle while three others are compared: reached, and why it cannot be chosen."""
    return f"{name} – {text('compare.full', locale, count=MAX_COMPARE)}."


def compare_refused(locale: str) -> str:
    """A tap on that toggle: why nothing happened (said, and shown beside it)."""
    words = text("compare.full", locale, count=MAX_COMPARE)
    return f"{words[:1].upper()}{words[1:]}."


def critique(*, label: str, count: int, noun: str) -> str:
    """A critique ("günstiger (3)" on screen) as said: what the count counts ("günstiger: 3 Zelte")."""
    return f"{label}: {count}\u00a0{noun}" if noun else f"{label}: {count}"


def expander(*, name: str, expanded: bool, more: str, locale: str, address: str) -> str:
    """A control that shows or hides a text ("Warum fragen wir das?"): its name, how to open it, or, open, the text
    and how to close it again (not a tick box, "nicht ausgewählt")."""
    if expanded:
        return sentences(name, more, text("speech.collapse", locale, address))
    return sentences(name, text("speech.expand", locale, address))


def compare_row(*, label: str, values: Sequence[tuple[str, str, bool]], locale: str) -> str:
    """One row of the comparison: the attribute, then each product's value (and which is better); a dash that
    stands for no value as "keine Angabe" (a voice reads it as a sign, or not at all)."""
    better = text("compare.better", locale)
    none = text("speech.none", locale)
    return sentences(label, *(listing((name, none if value.strip() in NOTHING else value, better if marked else ""))
                              for name, value, marked in values))  # fmt: skip


def character_name(character: str, locale: str) -> str:
    """A character aloud as the keys on the screen name it: a digit as its word ("1" as "eins": said as a sentence,
    "1." reads as an ordinal, "erstens"), a space or a sign by its name ("Leerzeichen", "Punkt"), a letter as
    itself."""
    if len(character) == 1 and "0" <= character <= "9":
        return text("keyboard.digits", locale).split()[int(character)]
    name = SIGN_NAMES.get(character)
    return text(name, locale) if name else character


def typed(value: str, locale: str) -> str:
    """What a text field holds, as a voice should read it back: digits one by one as words ("0171" as "null eins
    sieben eins", not a large number), a sign by its name where a voice would skip it or pause ("e@x.de" as "e
    At-Zeichen x Punkt de"); a sign before a space ("Ja, gut") is left to the voice, as it pauses there."""
    words: list[str] = []
    word = ""
    for position, character in enumerate(value):
        blank = character.isspace()
        sign = character in SIGN_NAMES and not blank and not value[position + 1 : position + 2].isspace()
        if blank or sign or "0" <= character <= "9":
            words += [word] if word else []
            word = ""
            words += [] if blank else [character_name(character, locale)]
        else:
            word += character
    return " ".join([*words, word] if word else words)


def spelled(code: str) -> str:
    """A code read character by character ("ABCD-2345" → "A, B, C, D, 2, 3, 4, 5"): a voice would read it as a
    word or a number otherwise."""
    return ", ".join(character for character in code if character.isalnum())


def rate(level: int, locale: str) -> str:
    """The speaking speed after a change ("Tempo 4 von 5")."""
    return text("speech.rate", locale, level=level, levels=RATE_LEVELS)


def wrapped(*, to_top: bool, locale: str) -> str:
    """Moving past the last control to the first one (or back past the first): said, so the shopper knows."""
    return text("speech.top" if to_top else "speech.bottom", locale)
