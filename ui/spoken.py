"""What the kiosk says aloud, in the core's words: one function per screen, control, result and dialog.

No Qt here (a test imports this module and finds no PySide6 loaded): the shell (`ui/speech.py`) only routes screens
and focus changes to a voice, and these functions say what to speak, so the words are tested without a screen.
Every text comes from the core's message table (`advisor.i18n`), in the shopper's language and form of address.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from advisor.i18n import counted, pick, text, unit_text

if TYPE_CHECKING:
    from advisor.engine import Progress
    from advisor.questionnaire.model import Step
    from advisor.recommend.core import Recommendation
    from advisor.recommend.explain import Decision
    from advisor.recommend.index import CategoryIndex
    from advisor.rendering.facts import ProductFacts

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
CODE = re.compile(r"\b([2-9A-HJKMNP-Z]{4})[-\u2011]([2-9A-HJKMNP-Z]{4})\b")
LINK = re.compile(r"\b(?:https?://|www\.)\S+")


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
    words = SEPARATOR.sub(", ", words)
    words = SCORE.sub(lambda found: place(found[1], 10, locale), words)
    words = SECONDS.sub(lambda found: f"{found[1]} {unit_text('seconds', locale, one=found[1] == '1')}", words)
    words = UNITS.sub(lambda found: _unit_said(found[1], found[2], locale), words)
    return CODE.sub(lambda found: spelled(found[0]), words)


def first_sentence(words: str) -> str:
    """The first sentence of `words` (where the shopper is, in short: "Zusammenfassung mitnehmen.")."""
    first, stop, _ = words.strip().partition(". ")
    return f"{first}." if stop else first


def _unit_said(amount: str, unit: str, locale: str) -> str:
    """ "18 Min." as "18 Minuten.", "34,5 l" as "34,5 Liter" (an abbreviation's full stop kept: it may end a
    sentence)."""
    word = unit_text(UNIT_WORDS[unit.rstrip(".").lower()], locale, one=amount == "1")
    return f"{amount} {word}{'.' if unit.endswith('.') else ''}"


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


def choose(*, count: int, locale: str, address: str) -> str:
    """The choice of questionnaire."""
    return sentences(text("choose.title", locale, address), counted("speech.choices", count, locale))


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
) -> str:
    """A question screen: progress, the question, how many products still fit, the answer given before (and one
    dropped so that something fits), and (with the keys) how to answer; `service`: a help flow's question."""
    from advisor.questionnaire.model import DONT_CARE
    from advisor.recommend.core import display_answer

    answers = len(step.options) if step.kind in ("single", "multiple") else 2 if step.kind == "yes_no" else 0
    answers += 1 if step.dont_care and step.kind != "number" else 0
    if not guided or step.kind == "number":
        how = None  # (the value control says how it changes)
    elif step.kind == "multiple":
        how = text("speech.choose_any", locale, address, count=answers)
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
    that it cannot."""
    return sentences(listing((name, text("speech.text_field_keys" if keys_on_screen else "speech.text_field",
                                         locale))), value)  # fmt: skip


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


def number_change(*, value: str, on: bool, locale: str, address: str) -> str:
    """Select on a number: how its value changes now (`on`), or, the change over, the value kept and what is next."""
    if on:
        return text("speech.number_on", locale, address)
    return text("speech.number_off", locale, address, value=value)


def results(*, title: str, subtitle: str, shared: str, shown: int, offers: int, locale: str, address: str) -> str:
    """The results screen: its title and count, what all products share, and how many follow (or what to drop)."""
    return sentences(
        title,
        subtitle,
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
) -> dict[str, str]:
    """Each shown product, read as one item of a list in the screen's order (the top pick first): position,
    name, price, up to three reasons that set it apart, how it differs from the top pick, where it is in stock
    (less what is set aside for appointments, `held`, as the screen says)."""
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
            stock_in(item.product, store_id, locale, item.variants, index, held).text(locale),
        )
    return said


def detail(facts: ProductFacts, *, sections: int, locale: str, address: str) -> str:
    """The product details screen: which product, its price, and how many sections follow."""
    return text("speech.detail", locale, address, name=facts.name, price=facts.price, count=sections)


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
    product = sentences(facts.name, facts.price, facts.description, where, facts.stock.text(locale), *suits, *mind)
    return [(facts.name, product), *((title, sentences(title, *lines)) for title, lines in sections)]


def overview(*, count: int, locale: str, address: str) -> str:
    """The answers so far."""
    return sentences(text("overview.title", locale, address), counted("speech.overview", count, locale, address))


def compare(*, count: int, locale: str, address: str) -> str:
    """Up to three products side by side."""
    return sentences(text("results.compare", locale, address), counted("speech.compare", count, locale, address))


def compare_row(*, label: str, values: Sequence[tuple[str, str, bool]], locale: str) -> str:
    """One row of the comparison: the attribute, then each product's value (and which is better)."""
    better = text("compare.better", locale)
    return sentences(label, *(listing((name, value, better if marked else "")) for name, value, marked in values))


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
