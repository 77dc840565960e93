"""What a keyboard-only walk through the web companion found: each page's title says where the shopper is, focus
stays where the shopper works (a nudged number, a refused field, the chat line, the rating's thanks), repeated
buttons say what they are about, and a skip link leads past the header."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

from fastapi.testclient import TestClient

from advisor.handoff import staff
from advisor.questionnaire.model import Questionnaire
from advisor.web.app import STATIC
from advisor.web.context import WebContext
from tests.web.conftest import csrf_of, start, step_of, walk_to_results

TENT_ANSWERS = {"region": "rough", "trip": "trekking", "frequency": "regularly"}


def title_of(html: str) -> str:
    match = re.search(r"<title>(.*?)</title>", html, re.S)
    assert match is not None, "the page has no title"
    return unescape(match[1])


class _Tag(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.attributes: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes = dict(attrs)


def field_of(html: str, pattern: str) -> dict[str, str | None]:
    """The attributes of the first tag `pattern` (a regular expression) finds in a page."""
    match = re.search(pattern, html, re.S)
    assert match is not None, pattern
    parser = _Tag()
    parser.feed(match[0])
    return parser.attributes


def to_english(client: TestClient, html: str) -> None:
    switched = client.post("/lang", data={"csrf": csrf_of(html), "locale": "en", "back": "/advice"})
    assert '<html lang="en">' in switched.text


def at_persons(client: TestClient) -> str:
    """The tent finder's number question (how many people, 1 to 6); its page."""
    page = start(client, "tent-finder")
    while (step := step_of(page.text)) in TENT_ANSWERS:
        page = client.post("/advice/answer", data={"csrf": csrf_of(page.text), "step": step,
                                                   "value": TENT_ANSWERS[step]})  # fmt: skip
    assert step_of(page.text) == "persons"
    return page.text


def test_each_page_has_a_title_saying_where_the_shopper_is(client: TestClient, backpacks: Questionnaire) -> None:
    first = start(client)
    question = re.search(r"<legend><h1>([^<]+)</h1>", first.text)
    assert question is not None
    total = re.search(r"Frage 1 von (\d+)", first.text)
    assert total is not None
    assert title_of(first.text) == f"{unescape(question[1])} (Frage 1 von {total[1]}) – Nordgrat Beratung"

    results, _ = walk_to_results(client, backpacks)
    count = re.search(r'<p class="count">([^<]+)</p>', results.text)
    assert count is not None
    assert title_of(results.text) == f"Deine Ergebnisse: {unescape(count[1])} – Nordgrat Beratung"
    product = re.search(r'<h2 id="top-name"><a href="(/advice/product/[^"]+)">([^<]+)</a>', results.text)
    assert product is not None
    assert title_of(client.get(product[1]).text) == f"{unescape(product[2])} – Nordgrat Beratung"
    assert title_of(client.get("/advice/answers").text) == "Deine Antworten – Nordgrat Beratung"
    assert title_of(client.get("/advice/compare").text) == "Vergleichen – Nordgrat Beratung"
    assert title_of(client.get("/advice/summary").text) == "Zusammenfassung – Nordgrat Beratung"
    assert title_of(client.get("/advice/chat").text) == "Chat – Nordgrat Beratung"
    assert title_of(client.get("/resume").text) == "Deine Beratung fortsetzen – Nordgrat Beratung"

    to_english(client, results.text)
    english = client.get("/advice")
    assert re.fullmatch(r"Your results: \d+ backpacks? fits? – Nordgrat Advice", title_of(english.text)), title_of(
        english.text
    )
    assert title_of(client.get("/advice/answers").text) == "Your answers – Nordgrat Advice"
    assert title_of(client.get("/resume").text) == "Resume your advice – Nordgrat Advice"


def test_a_page_showing_a_form_error_says_so_first_in_its_title(client: TestClient) -> None:
    page = at_persons(client)
    refused = client.post("/advice/answer", data={"csrf": csrf_of(page), "step": "persons", "value": "25"})
    assert refused.status_code == 400
    assert title_of(refused.text).startswith("Fehler: ")
    assert "(Frage 4 von" in title_of(refused.text)

    wrong = client.post("/resume", data={"csrf": csrf_of(page), "code": "ABCD-2345"})
    assert wrong.status_code == 404
    assert title_of(wrong.text) == "Fehler: Deine Beratung fortsetzen – Nordgrat Beratung"
    to_english(client, page)
    assert title_of(client.post("/resume", data={"csrf": csrf_of(page), "code": "ABCD-2345"}).text) == (
        "Error: Resume your advice – Nordgrat Advice"
    )


def _contrast(first: str, second: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    darker, lighter = sorted((luminance(first), luminance(second)))
    return (lighter + 0.05) / (darker + 0.05)


def test_the_focus_ring_in_the_green_header_stands_out_against_it() -> None:
    css = (STATIC / "style.css").read_text(encoding="utf-8")
    header = re.search(r"--primary: (#[0-9a-fA-F]{6})", css)
    ring = re.search(r"\.top :focus-visible[^{]*\{[^}]*outline-color: (#[0-9a-fA-F]{6})", css)
    assert header is not None and ring is not None, "the header has a focus ring of its own"
    assert _contrast(ring[1], header[1]) >= 3


def test_plus_and_minus_come_back_at_the_button_pressed(client: TestClient) -> None:
    page = at_persons(client)
    assert 'id="more"' in page and 'id="less"' in page
    more = client.post("/advice/answer", data={"csrf": csrf_of(page), "step": "persons", "value": "2", "nudge": "1"},
                       follow_redirects=False)  # fmt: skip
    assert more.status_code == 303
    assert more.headers["location"].endswith("&number=3#more")
    less = client.post("/advice/answer", data={"csrf": csrf_of(page), "step": "persons", "value": "2", "nudge": "-1"},
                       follow_redirects=False)  # fmt: skip
    assert less.headers["location"].endswith("&number=1#less")
    assert 'value="3"' in client.get(more.headers["location"]).text


def test_an_out_of_range_number_is_tied_to_its_field_which_has_the_focus(client: TestClient) -> None:
    page = at_persons(client)
    field = field_of(page, r'<input type="number"[^>]*>')
    assert "autofocus" not in field and "aria-invalid" not in field

    refused = client.post("/advice/answer", data={"csrf": csrf_of(page), "step": "persons", "value": "25"})

    assert refused.status_code == 400
    assert '<p class="error" role="alert" id="answer-error">' in refused.text
    field = field_of(refused.text, r'<input type="number"[^>]*>')
    assert field["aria-invalid"] == "true" and field["aria-describedby"] == "answer-error"
    assert "autofocus" in field and field["min"] == "1" and field["max"] == "6"
    assert field["value"] == "25", "what was typed stays in the field, to correct"


def test_a_wrong_code_is_tied_to_its_field_which_has_the_focus(client: TestClient) -> None:
    form = client.get("/resume")
    assert "autofocus" not in field_of(form.text, r'<input id="code"[^>]*>')

    wrong = client.post("/resume", data={"csrf": csrf_of(form.text), "code": "ABCD-2345"})

    assert wrong.status_code == 404
    assert '<p class="error" role="alert" id="code-error">' in wrong.text
    field = field_of(wrong.text, r'<input id="code"[^>]*>')
    assert field["aria-invalid"] == "true" and field["aria-describedby"] == "code-error"
    assert "autofocus" in field and field["value"] == "ABCD-2345" and field["required"] is None


def test_the_chat_keeps_the_focus_in_the_message_field_and_its_lines_are_a_log(
    client: TestClient, web: WebContext
) -> None:
    staff.set_pin(web.engine, "Mara", "4711")
    staff.report_presence(web.engine, "Mara")
    start(client)
    page = client.get("/advice/chat")
    chat = client.post("/advice/chat/start", data={"csrf": csrf_of(page.text), "consent": "yes"})

    sent = client.post("/advice/chat/send", data={"csrf": csrf_of(chat.text), "message": "Hallo"})

    assert sent.url.path == "/advice/chat"
    field = field_of(sent.text, r'<input id="message"[^>]*>')
    assert "autofocus" in field and field["name"] == "message"
    live = client.get("/advice/chat/live")
    assert '<div class="chat-scroll" role="log">' in live.text and "Hallo" in live.text
    assert "autofocus" not in live.text, "the frame reloading every few seconds takes no focus"


def test_repeated_buttons_name_what_they_are_about(client: TestClient, backpacks: Questionnaire) -> None:
    start(client)
    results, given = walk_to_results(client, backpacks)
    names = re.findall(r'<a href="/advice/product/[^"]+">([^<]+)</a>', results.text)
    assert len(names) >= 2
    for name in names:
        assert f'>Details<span class="visually-hidden">: {name}</span></a>' in results.text, name
        assert f'>Vergleichen<span class="visually-hidden">: {name}</span></button>' in results.text, name

    answers = client.get("/advice/answers").text
    questions = [unescape(text) for text in re.findall(r"<li><span>([^<]+)</span>", answers)]
    assert len(questions) == len(given)
    changes = re.findall(r'>Ändern<span class="visually-hidden">: ([^<]+)</span></button>', answers)
    assert [unescape(text) for text in changes] == questions


def test_a_skip_link_is_the_first_thing_to_tab_to_and_leads_to_the_content(client: TestClient) -> None:
    for page in (client.get("/"), start(client), client.get("/resume")):
        body = page.text.split("<body>", 1)[1]
        first = re.search(r"<(a|button|input(?![^>]*type=\"hidden\")|select|textarea)\b[^>]*>([^<]*)", body)
        assert first is not None and first[0] == '<a class="skip-link" href="#main">Zum Inhalt springen', first
        assert '<main id="main" tabindex="-1">' in page.text
    css = (STATIC / "style.css").read_text(encoding="utf-8")
    assert re.search(r"\.skip-link:focus \{[^}]*top: 0", css), "visible when it has the focus"


def test_a_rating_comes_back_at_its_thanks(client: TestClient, backpacks: Questionnaire) -> None:
    start(client)
    results, _ = walk_to_results(client, backpacks)
    assert '<section class="feedback" id="feedback">' in results.text

    rated = client.post("/advice/feedback", data={"csrf": csrf_of(results.text), "about": "advice", "grade": "2"},
                        follow_redirects=False)  # fmt: skip

    assert rated.status_code == 303 and rated.headers["location"] == "/advice?rated=1#feedback"
    assert "Danke für die Rückmeldung!" in client.get(rated.headers["location"]).text
