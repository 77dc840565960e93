"""What the kiosk says, without a screen: the words of every screen, answer, result, section and code, in German
(du and Sie) and English, all from the core's message table."""

from __future__ import annotations

import subprocess
import sys

import pytest

from advisor.engine import Progress
from advisor.questionnaire.model import DONT_CARE
from advisor.rendering.facts import price_text, product_facts, stock_in
from advisor.session.service import AdviceSession
from tests.helpers.index import sample_index
from ui import spoken
from ui.app import load_questionnaires

FAMILY = {"region": "mild", "trip": "family", "frequency": "rarely", "persons": 4, "extra_space": True,
          "body_height": 180, "extras": ("headroom",)}  # fmt: skip


@pytest.fixture(scope="module")
def tents() -> AdviceSession:
    questionnaire = load_questionnaires()["tent-finder"]
    advice = AdviceSession.start(questionnaire, index=sample_index("tents"), locale="de")
    advice.set_answers(FAMILY)
    return advice


def test_the_words_are_put_together_without_qt() -> None:
    code = "import sys, ui.spoken; print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken'))))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_a_question_says_where_the_shopper_is_what_fits_and_how_to_answer(tents: AdviceSession) -> None:
    step = tents.questionnaire.step("persons")
    said = spoken.question(step=step, progress=Progress(done=3, left=4), count=7, category="Zelte", answer=None,
                           guided=True, locale="de", address="du")  # fmt: skip
    assert said == "Frage 4 von 7. Wie viele Personen schlafen im Zelt? 7 Zelte passen."
    region = tents.questionnaire.step("region")
    again = spoken.question(step=region, progress=Progress(done=0, left=7), count=34, category="Zelte",
                            answer="rough", guided=True, locale="de", address="Sie")  # fmt: skip
    assert "Ihre Antwort: Mittelgebirge, Küste & Norden." in again
    assert again.endswith("Wählen Sie eine von 4 Antworten.")
    extras = tents.questionnaire.step("extras")
    english = spoken.question(step=extras, progress=None, count=None, category="tents", answer=(),
                              guided=True, locale="en", address="du")  # fmt: skip
    assert english == "What else matters to you? Choose one or more of 6 answers, then Next."
    touch = spoken.question(step=extras, progress=None, count=None, category="tents", answer=DONT_CARE,
                            guided=False, locale="en", address="du")  # fmt: skip
    assert "Your answer: Doesn't matter." in touch and "Choose any that apply" in touch and "Next." not in touch


def test_an_answer_says_its_state_and_position() -> None:
    single = spoken.option(title="Radreise", description="Das Zelt fährt mit", index=2, count=6, selected=False,
                           multiple=False, locale="de")  # fmt: skip
    assert single == "Radreise, 2 von 6. Das Zelt fährt mit."
    several = spoken.option(title="Two entrances", description="", index=2, count=6, selected=False,
                            multiple=True, locale="en")  # fmt: skip
    assert several == "Two entrances, not selected, 2 of 6."
    chosen = spoken.option(title="Ja", description="", index=1, count=2, selected=True, multiple=False, locale="de")
    assert chosen == "Ja, ausgewählt, 1 von 2."
    assert spoken.control(name="Beratung hierher rufen", enabled=False, locale="de") == (
        "Beratung hierher rufen, nicht verfügbar."
    )
    assert spoken.number(value_text="1\u00a0Person", at_lowest=True, at_highest=False, locale="de") == (
        "1\u00a0Person, der kleinste Wert"
    )


def test_results_are_read_as_a_list_with_name_price_reasons_and_stock(tents: AdviceSession) -> None:
    result = tents.recommendation()
    index = tents.index
    assert index is not None and len(result.products) > 1
    decision = tents.decision()
    items = spoken.result_items(result, decision, index, locale="de", address="du", store_id="muc-01")
    order = decision.display_order()
    assert list(items) == list(order), "in the order the screen shows them"
    for position, sku in enumerate(order, start=1):
        product = next(item.product for item in result.products if item.sku == sku)
        words = items[sku]
        assert words.startswith(f"Empfehlung {position} von {len(order)}: {product.name['de']}, ")
        assert price_text(product, "de") in words
        variants = next(item.variants for item in result.products if item.sku == sku)
        assert stock_in(product, "muc-01", "de", variants, index).text("de") in words  # colours as the dictionary says
        assert words.count(". ") >= 3, "with its reasons"
    assert "Unser Favorit für dich." in items[order[0]]
    assert all("Im Vergleich zum Favoriten" in items[sku] for sku in order[1:])


def test_details_are_read_by_section(tents: AdviceSession) -> None:
    index = tents.index
    assert index is not None
    product = tents.recommendation().products[0].product
    facts = product_facts(index, product, "en", "muc-01")
    sections = spoken.detail_sections(facts, locale="en", address="du")
    assert [title for title, _ in sections] == [facts.name, "Specifications", "Care", "Repair", "Sustainability"]
    assert "In this store" in sections[0][1] and facts.price in sections[0][1]
    assert all(words.startswith(title) for title, words in sections)
    assert spoken.detail(facts, sections=5, locale="en", address="du").endswith("5 sections follow.")
    # a bare product (no care, repair or sustainability texts, and no specifications): one section, said so
    assert spoken.detail(facts, sections=1, locale="de", address="du").endswith("Ein Abschnitt folgt.")


def test_codes_are_spelled_and_the_keys_explained_in_both_forms_of_address() -> None:
    assert spoken.spelled("ABCD-2345") == "A, B, C, D, 2, 3, 4, 5"
    assert spoken.spelled("K7MP\u20112345") == "K, 7, M, P, 2, 3, 4, 5"
    assert "drücke" in spoken.prompt("de", "du") and "drücken Sie" in spoken.prompt("de", "Sie")
    assert spoken.guidance_on("de", "Sie").startswith("Sprachführung an. Mit Pfeil hoch und runter gehen Sie")
    assert spoken.guidance_on("en", "du").startswith("Speech guidance on. Up and down move")
    assert spoken.rate(4, "en") == "Speed 4 of 5"
    assert spoken.sentences("Eins", "", None, "Zwei.", "Drei?") == "Eins. Zwei. Drei?"


def test_a_voice_gets_words_where_the_screen_shows_signs() -> None:
    assert spoken.speakable("Vorrätig in Sand – Regal 17 · nicht in Orange", "de") == (
        "Vorrätig in Sand – Regal 17, nicht in Orange"
    )
    assert spoken.speakable("Reparierbarkeit: 8/10 · Ersatzteile", "de") == "Reparierbarkeit: 8 von 10, Ersatzteile"
    assert spoken.speakable("Repairability: 6/10", "en") == "Repairability: 6 of 10"
    assert spoken.speakable("beginnt in 20 s von vorn, gesperrt für 1 s.", "de") == (
        "beginnt in 20 Sekunden von vorn, gesperrt für 1 Sekunde."
    )
    assert spoken.speakable("starts over in 20 s.", "en") == "starts over in 20 seconds."
    assert spoken.speakable("Dein Code: PBGG-NRYY", "de") == "Dein Code: P, B, G, G, N, R, Y, Y"
    assert spoken.speakable("NG-TENT-0031, 3 Personen/Zelt", "de") == "NG-TENT-0031, 3 Personen/Zelt"


def test_one_of_a_kind_is_said_in_the_singular() -> None:
    one = spoken.results(title="Das passt zu dir", subtitle="", shared="", shown=1, offers=0, locale="de",
                         address="du")  # fmt: skip
    assert one.endswith("1 Empfehlung folgt.")
    assert spoken.results(title="", subtitle="", shared="", shown=0, offers=1, locale="en", address="du") == (
        "1 suggestion follows."
    )
    assert spoken.chat(name="Chat", lines=["Anna: Hallo"], locale="de") == "Chat. 1 Nachricht. Anna: Hallo."
    assert "1 message." in spoken.chat(name="Chat", lines=["Anna: Hi"], locale="en")
    assert spoken.chat(name="Chat", lines=["a", "b"], locale="en").startswith("Chat. 2 messages.")


@pytest.mark.parametrize(("months", "locale", "said"), [(6, "de", "6\u00a0Monate"), (1, "de", "1\u00a0Monat"),
                                                        (1, "en", "1\u00a0month"),
                                                        (0, "en", "0\u00a0months")])  # fmt: skip
def test_months_since_the_purchase_are_said_in_the_shoppers_language(months: int, locale: str, said: str) -> None:
    from advisor.recommend.core import display_answer

    step = load_questionnaires()["tent-help"].step("bought_months")
    assert display_answer(step, months, locale) == said


@pytest.mark.parametrize(
    ("shown", "locale", "said"),
    [
        ("Aufbauzeit: 18 Min. Packvolumen: 34,5 l.", "de", "Aufbauzeit: 18 Minuten. Packvolumen: 34,5 Liter."),
        ("Geschätzte Wartezeit: etwa 1 Min.", "de", "Geschätzte Wartezeit: etwa 1 Minute."),
        ("4, 18 Min, 34,5 l, Nahtdichter 50 ml.", "de", "4, 18 Minuten, 34,5 Liter, Nahtdichter 50 Milliliter."),
        ("Setup: 18 min. Packed volume: 34.5 l.", "en", "Setup: 18 minutes. Packed volume: 34.5 litres."),
        ("packs 1 l, about 1 min", "en", "packs 1 litre, about 1 minute"),
        ("Größe L, 1.000 mm, 9 l-Tasche", "de", "Größe L, 1.000 mm, 9 l-Tasche"),
        # as the products' facts write them: number and unit held together by a no-break space
        (
            "Packvolumen: 34,5\u00a0l, Aufbauzeit: 18\u00a0Min.",
            "de",
            "Packvolumen: 34,5 Liter, Aufbauzeit: 18 Minuten.",
        ),
        ("Bauschkraft: 750\u00a0cuin", "de", "Bauschkraft: 750 Kubikzoll"),
        ("Fill power: 750 cuin", "en", "Fill power: 750 cubic inches"),
    ],
)
def test_units_a_voice_reads_as_letters_are_said_in_full(shown: str, locale: str, said: str) -> None:
    assert spoken.speakable(shown, locale) == said


def test_the_number_says_how_to_change_it_and_that_the_change_is_over() -> None:
    assert spoken.number_control(value="2\u00a0Personen", locale="de", address="du") == (
        "2\u00a0Personen. Zum Ändern Eingabe, dann Pfeil hoch und runter.")  # fmt: skip
    assert spoken.number_change(value="4 people", on=True, locale="en", address="du") == (
        "Changing: up and down, Enter or Back to finish.")  # fmt: skip
    assert spoken.number_change(value="4 Personen", on=False, locale="de", address="Sie") == "Fertig: 4 Personen."
    assert spoken.first_sentence("Zusammenfassung mitnehmen. Deine Beratung: Zeltberater.") == (
        "Zusammenfassung mitnehmen.")  # fmt: skip


# -- what a blind shopper's walk found said badly (QA walk B) ----------------------------------------------------


@pytest.mark.parametrize(
    ("shown", "locale", "said"),
    [
        ("In unserer Werkstatt, etwa 10 Tage, 30–80 €.", "de", "In unserer Werkstatt, etwa 10 Tage, 30 bis 80 Euro."),
        ("At our workshop, about 10 days, €30–80.", "en", "At our workshop, about 10 days, 30 to 80 euros."),
        ("15,50–40 €", "de", "15 Euro 50 bis 40 Euro"),
        ("Note 1 – sehr gut", "de", "Note 1 – sehr gut"),  # a dash between words is a pause, not a range
        (
            "Vorrätig in Orange – 1. OG, Regal 17 – 2 vorrätig",
            "de",
            "Vorrätig in Orange – 1. Obergeschoss, Regal 17 – 2 vorrätig",
        ),
    ],
)
def test_a_range_of_prices_is_said_from_to(shown: str, locale: str, said: str) -> None:
    assert spoken.speakable(shown, locale) == said


@pytest.mark.parametrize(
    ("shown", "locale", "said"),
    [
        # a day button in a list: the list cut the date's closing full stop, "07.12" would be read as a decimal
        ("Montag, 07.12, nicht ausgewählt.", "de", "Montag, 7. Dezember, nicht ausgewählt."),
        ("Samstag, 05.12., 03:30 Uhr, nicht ausgewählt.", "de", "Samstag, 5. Dezember, 03:30 Uhr, nicht ausgewählt."),
        ("Dein Termin am 01.03.", "de", "Dein Termin am 1. März."),
        ("gültig bis 04.12.2026", "de", "gültig bis 4. Dezember 2026"),
        ("Monday, 7 Dec, not selected.", "en", "Monday, 7 December, not selected."),
        # not dates: thousands, a floor, an English decimal, a score
        ("4.000 mm, 1. OG, 12.5 kg, Note 2", "de", "4.000 mm, 1. Obergeschoss, 12.5 kg, Note 2"),
        ("weighs 12.10 kg", "en", "weighs 12.10 kg"),
    ],
)
def test_a_date_is_said_as_a_date(shown: str, locale: str, said: str) -> None:
    assert spoken.speakable(shown, locale) == said


def test_a_date_in_a_control_is_said_as_a_date() -> None:
    words = spoken.control(name="Montag, 07.12.", checked=False, locale="de")
    assert spoken.speakable(words, "de") == "Montag, 7. Dezember, nicht ausgewählt."


def test_an_abbreviations_full_stop_inside_brackets_is_not_said_as_a_second_one() -> None:
    reason = spoken.sentences("am schnellsten aufgebaut von den 4 (7\u00a0Min.)")
    assert spoken.speakable(reason, "de") == "am schnellsten aufgebaut von den 4 (7 Minuten)."
    assert spoken.speakable("Aufbau: 7 Min., Gewicht", "de") == "Aufbau: 7 Minuten, Gewicht"
    assert spoken.speakable("Aufbauzeit: 18 Min. Packvolumen", "de") == "Aufbauzeit: 18 Minuten. Packvolumen"


def test_a_unit_named_without_a_number_is_said_in_words() -> None:
    assert spoken.unit_said("cm", "de") == "Zentimeter" and spoken.unit_said("cm", "en") == "centimetres"
    assert spoken.unit_said("kg", "de") == "Kilogramm"
    assert spoken.unit_said("persons", "de") == "Personen", "a unit already in words stays as it is"


def test_the_results_count_and_the_answer_gone_without_are_two_sentences() -> None:
    said = spoken.results(title="Das passt zu dir", subtitle="5 Zelte passen · Darauf hast du verzichtet: Ultraleicht",
                          shared="", shown=5, offers=0, locale="de", address="du")  # fmt: skip
    assert said.startswith("Das passt zu dir. 5 Zelte passen. Darauf hast du verzichtet: Ultraleicht.")


def test_a_critique_says_what_its_number_counts() -> None:
    assert spoken.critique(label="günstiger", count=3, noun="Zelte") == "günstiger: 3\u00a0Zelte"
    assert spoken.critique(label="lighter", count=1, noun="tent") == "lighter: 1\u00a0tent"


def test_a_show_and_hide_control_is_said_as_one_and_not_as_a_tick_box() -> None:
    closed = spoken.expander(name="Warum fragen wir das?", expanded=False, more="Weil …", locale="de", address="du")
    assert closed == "Warum fragen wir das? Zum Aufklappen Eingabe."
    opened = spoken.expander(name="Why do we ask?", expanded=True, more="Because it matters", locale="en",
                             address="du")  # fmt: skip
    assert opened == "Why do we ask? Because it matters. Expanded, Enter to collapse."
    assert "ausgewählt" not in closed and "?," not in closed


def test_a_full_comparison_says_why_a_product_cannot_join_it() -> None:
    assert spoken.compare_full(name="Vergleichen: Seewiese 4", locale="de") == (
        "Vergleichen: Seewiese 4 – nicht möglich, höchstens 3 Produkte; zuerst eines abwählen.")  # fmt: skip
    assert spoken.compare_refused("en") == "Not possible, at most 3 products; deselect one first."


def test_the_details_heading_and_their_first_section_start_with_the_same_sentence(tents: AdviceSession) -> None:
    """Said on arrival, the heading names the product and its price; the first section then goes on from there
    (the voice leaves out a first sentence just said), but reached later it still says which product it is."""
    index = tents.index
    assert index is not None
    facts = product_facts(index, tents.recommendation().products[0].product, "de", "muc-01")
    heading = spoken.detail(facts, sections=5, locale="de", address="du")
    head, _, _ = heading.partition(". ")
    assert heading == f"{facts.name}, {facts.price}. 5 Abschnitte folgen."
    first = spoken.detail_sections(facts, locale="de", address="du")[0][1]
    assert first.startswith(f"{head}. ") and f"{facts.name}. {facts.price}" not in first
    assert first.count(facts.price) == 1
