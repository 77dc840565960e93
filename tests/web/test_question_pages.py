"""A shopper's question pages on the phone: the question's own number, answers the question cannot take said beside
it (nothing lost, no error page), and the results' words when one product or none fits."""

from __future__ import annotations

import re
from typing import Any

import httpx
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from advisor.i18n import LOCALES
from advisor.questionnaire.library import load_library
from advisor.questionnaire.model import DONT_CARE
from advisor.web.app import preferred_locale
from advisor.web.context import WebContext
from tests.web.conftest import csrf_of, first_answer, start, step_of

TENTS = "tent-finder"
TENT_FINDER = load_library().questionnaires[TENTS]
PROGRESS = re.compile(r"Frage (\d+) von (\d+)")


def progress_of(html: str) -> tuple[int, int]:
    found = PROGRESS.search(html)
    assert found is not None, "the page shows no question number"
    return int(found[1]), int(found[2])


def answer(client: TestClient, page: httpx.Response, value: Any, **extra: str) -> httpx.Response:
    step = step_of(page.text)
    assert step is not None, "not on a question page"
    values = value if isinstance(value, list) else [value]
    return client.post("/advice/answer", data={"csrf": csrf_of(page.text), "step": step, "value": values, **extra})


def answer_until(client: TestClient, web: WebContext, page: httpx.Response, stop: str,
                 given: dict[str, Any] | None = None) -> httpx.Response:  # fmt: skip
    """Answer the tent finder (the answers `given`, else the first) until the page asks `stop`."""
    questionnaire = TENT_FINDER
    while (step_id := step_of(page.text)) != stop:
        assert step_id is not None, f"the results came before '{stop}'"
        step = questionnaire.step(step_id)
        wanted = (given or {}).get(step_id)
        page = answer(client, page, first_answer(step) if wanted is None else _form_value(wanted))
        assert page.status_code == 200, page.text
    return page


def test_a_question_opened_again_says_its_own_number(client: TestClient, web: WebContext) -> None:
    page = answer_until(client, web, start(client, TENTS), "persons")
    assert progress_of(page.text) == (4, 8)
    page = client.post("/advice/back", data={"csrf": csrf_of(page.text)})
    assert step_of(page.text) == "frequency" and progress_of(page.text) == (3, 8)
    page = client.post("/advice/goto", data={"csrf": csrf_of(page.text), "step": "region"})
    assert step_of(page.text) == "region"
    assert progress_of(page.text) == (1, 8), "changing the first answer is question 1, not 4 of 3 answered"
    assert '<progress max="8" value="0"' in page.text


def test_nothing_ticked_on_a_multiple_choice_question_asks_again_beside_it(client: TestClient, web: WebContext) -> None:
    page = answer_until(client, web, start(client, TENTS), "extras")
    before = page.text

    page = answer(client, page, [])

    assert page.status_code == 400
    assert step_of(page.text) == "extras", "the same question, not an error page"
    assert 'role="alert"' in page.text and "Wähle mindestens eine Antwort" in page.text
    assert progress_of(page.text) == progress_of(before)
    page = answer(client, page, DONT_CARE)
    assert step_of(page.text) is None, "“Ist mir egal” goes on to the results"
    page = client.post("/advice/goto", data={"csrf": csrf_of(page.text), "step": "extras"})
    chosen = re.search(r'<button[^>]*value="' + DONT_CARE + r'"[^>]*>', page.text)
    assert chosen is not None and 'aria-pressed="true"' in chosen[0], "the answer given shows as chosen"


def test_number_answers_take_any_whole_number_in_range_and_refuse_fractions_of_people(
    client: TestClient, web: WebContext
) -> None:
    page = answer_until(client, web, start(client, TENTS), "persons")
    refused = answer(client, page, "2.5")
    assert refused.status_code == 400 and step_of(refused.text) == "persons"
    assert "Bitte gib eine ganze Zahl von 1 bis 6 Personen ein." in refused.text
    page = answer(client, refused, "2")
    page = answer_until(client, web, page, "body_height")
    assert 'step="1"' in page.text, "the phone's field takes 183 cm, not only the slider's steps of 5"
    page = answer(client, page, "183")
    assert step_of(page.text) != "body_height"
    page = client.get("/advice/answers")
    assert "183\u00a0cm" in page.text and "2\u00a0Personen" in page.text and "2,5" not in page.text


def test_when_nothing_fits_the_results_say_what_one_change_brings_and_ask_no_rating(
    client: TestClient, web: WebContext
) -> None:
    questionnaire = TENT_FINDER
    example = next(e for e in questionnaire.examples if e.no_match)
    page = start(client, TENTS)
    while step_of(page.text) is not None:
        step = questionnaire.step(step_of(page.text) or "")
        if step.id in example.answers:
            page = answer(client, page, _form_value(example.answers[step.id]))
        else:
            page = answer(client, page, DONT_CARE if step.dont_care else first_answer(step))
        assert page.status_code == 200, page.text

    heading = re.search(r"<h1>(.*?)</h1>", page.text)
    assert heading is not None
    # true of the first way out (it brings 3 tents, another 5), the counts on the buttons
    assert heading[1] == "Mit einer Änderung passt wieder etwas", heading[1]
    assert "Das passt zu dir" not in page.text and "0 Zelte passen" not in page.text
    assert "Leider passt nichts zu allen deinen Wünschen." in page.text
    assert 'action="/advice/feedback"' not in page.text, "no rating of advice that found nothing"
    assert re.search(r"„[^“]+“ weglassen – 3 Zelte zeigen", page.text), "the first brings 3, as the kiosk says"


def _form_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value)


@given(st.text(max_size=200))
def test_any_accept_language_header_gives_one_of_our_languages(header: str) -> None:
    assert preferred_locale(header, "de") in LOCALES


def test_a_phone_set_to_english_gets_english_pages_until_the_shopper_chooses(client: TestClient) -> None:
    assert preferred_locale("en-US,en;q=0.9,de;q=0.8", "de") == "en"
    assert preferred_locale("fr-FR, de;q=0.5, en;q=0.4", "de") == "de"
    assert preferred_locale("fr;q=1, en;q=0", "de") == "de", "q=0 means: not this one"
    home = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in home.text
    assert '<html lang="de">' in client.get("/", headers={"Accept-Language": "de-AT"}).text
    assert '<html lang="de">' in client.get("/").text, "no header: the store's language"


def test_a_number_questions_range_reads_as_words_with_a_true_minus(client: TestClient, web: WebContext) -> None:
    """The coldest night, −20 to 20 °C: "−20 bis 20 °C" (not "-20–20 °C", a hyphen beside a dash)."""
    page = start(client, "sleeping-bag-finder")
    while (step_id := step_of(page.text)) != "lowest_temp":
        assert step_id is not None
        page = answer(client, page, first_answer(load_library().questionnaires["sleeping-bag-finder"].step(step_id)))
    step = load_library().questionnaires["sleeping-bag-finder"].step("lowest_temp")
    low, high = (f"{value:g}".replace("-", "−") for value in (step.min, step.max))
    assert f'<p class="range">{low} bis {high} °C</p>' in page.text


def test_the_browsers_back_and_forward_buttons_walk_the_questions(client: TestClient, web: WebContext) -> None:
    """Each question and the results have an address of their own: the phone's Back button (the browser asks for
    the page before again) shows the question before, with its answer kept; Forward the one after; an address
    that the answers have since left shows where the advice stands."""
    pages = [start(client, TENTS)]
    while step_of(pages[-1].text) is not None:
        pages.append(answer(client, pages[-1], first_answer(TENT_FINDER.step(step_of(pages[-1].text) or ""))))
    addresses = [str(page.url) for page in pages]
    assert len(set(addresses)) == len(addresses), "every question and the results have their own address"

    back = client.get(addresses[-2])  # Back from the results: the last question, its answer ticked
    last = step_of(pages[-2].text)
    assert step_of(back.text) == last and "checked" in back.text
    first = client.get(addresses[0])  # Back, Back …: the first question
    assert step_of(first.text) == "region" and progress_of(first.text)[0] == 1
    forward = client.get(addresses[1])  # Forward: the second question, not the first again
    assert step_of(forward.text) == step_of(pages[1].text)
    results = client.get(addresses[-1])
    assert step_of(results.text) is None and "<h1>" in results.text

    gone = client.get("/advice?at=no-such-step")  # an address the walk does not have: where the advice stands
    assert step_of(gone.text) is None and str(gone.url).endswith("/advice?at=results"), "under its own address"


def test_an_address_past_the_first_unanswered_question_shows_that_question_under_its_address(
    client: TestClient, web: WebContext
) -> None:
    """A typed or bookmarked address of a later question (or the results) before the questions ahead are answered:
    the first unanswered question, under its own address (the results only come with every question answered)."""
    answer_until(client, web, start(client, TENTS), "persons")
    for address in ("/advice?at=extras", "/advice?at=results"):
        ahead = client.get(address)
        assert step_of(ahead.text) == "persons", address
        assert str(ahead.url).endswith("/advice?at=persons") and ahead.history, "redirected to where it is"
    assert step_of(client.get("/advice?at=region").text) == "region", "an answered question is visited as before"


def test_an_answer_changed_from_the_list_of_answers_goes_back_to_the_results(
    client: TestClient, web: WebContext
) -> None:
    """ "Deine Antworten", "Ändern" beside the first question, another answer: the new results at once, every other
    answer standing, not every later question asked again."""
    pages = [start(client, TENTS)]
    while step_of(pages[-1].text) is not None:
        pages.append(answer(client, pages[-1], first_answer(TENT_FINDER.step(step_of(pages[-1].text) or ""))))
    overview = client.get("/advice/answers")
    page = client.post("/advice/goto", data={"csrf": csrf_of(overview.text), "step": "region"})
    assert step_of(page.text) == "region"
    chosen = first_answer(TENT_FINDER.step("region"))
    other = next(option.id for option in TENT_FINDER.step("region").options if option.id not in chosen)

    assert 'name="change" value="1"' in page.text  # the form says the answer is a change (a browser sends it)
    refused = answer(client, page, "", change="1")  # nothing chosen: asked again, still a change
    assert refused.status_code == 400 and 'name="change" value="1"' in refused.text

    results = answer(client, refused, other, change="1")

    assert step_of(results.text) is None, "the results, not the second question"
    assert "<h1>" in results.text and "Das passt zu dir" in results.text
