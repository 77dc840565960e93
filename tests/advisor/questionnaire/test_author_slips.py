"""Slips of a merchandiser writing a new finder from the docs (the headlamp finder's QA walk) whose first message
misled: a decimal comma in a [ ] list, a preference suggesting a way the attribute does not take, an example's
answer the step does not take, a unit the category declares. Each says where and what, and how to fix it."""

from __future__ import annotations

from tests.advisor.questionnaire.test_checks import applied, check, line_of, only, planted

BODY_HEIGHT = "    require: [inner_length_cm >= body_height + 10]\n"


def test_a_decimal_comma_in_a_bracketed_require_list_says_the_comma_split_the_entry() -> None:
    text = planted(BODY_HEIGHT, "    require: [inner_length_cm >= body_height + 10, inner_length_cm >= 2,5]\n")

    finding = only(check(text))

    row = line_of(text, "    require: [inner_length_cm >= body_height + 10, ")
    assert (finding.code, finding.line, finding.severity) == ("Q004", row, "error")
    assert text.splitlines()[row - 1][finding.column - 1 :].startswith("5]")
    assert finding.message == (
        "step 'body_height', require[2]: inside [ ] a comma separates entries, so '2,5' reads as 2 and 5; decimals "
        "take a point: write inner_length_cm >= 2.5"
    )
    assert "not a number" not in finding.message
    fixed = applied(text, finding.fixes[0])
    assert "    require: [inner_length_cm >= body_height + 10, inner_length_cm >= 2.5]\n" in fixed
    assert check(fixed) == []


def test_a_number_on_its_own_in_a_require_list_is_still_the_wrong_type() -> None:
    finding = only(check(planted(BODY_HEIGHT, "    require: [inner_length_cm >= body_height + 10, 5]\n")))
    assert finding.message == "step 'body_height', require[1] must be a mapping of expr, label, not a number"


WEIGHT_PREFERENCE = "{attribute: inner_height_cm, direction: higher, weight: 2}"


def test_a_direction_on_an_enum_suggests_equals_only_with_a_value_of_its_own() -> None:
    text = planted(WEIGHT_PREFERENCE, "{attribute: tent_type, direction: higher, weight: 2}")
    finding = only(check(text))
    assert (finding.code, finding.line) == ("Q011", line_of(text, "{attribute: tent_type, direction: higher"))
    assert finding.message == "'tent_type' is an enum attribute; use equals, like {attribute: tent_type, equals: dome}"
    assert "contains" not in finding.message


def test_contains_on_an_enum_suggests_equals_and_equals_on_a_set_suggests_contains() -> None:
    contains = only(check(planted(WEIGHT_PREFERENCE, "{attribute: tent_type, contains: dome, weight: 2}")))
    assert contains.message == (
        "'contains' needs a set attribute; 'tent_type' is enum; use equals, like {attribute: tent_type, equals: dome}"
    )
    equals = only(check(planted(WEIGHT_PREFERENCE, "{attribute: use, equals: trekking, weight: 2}")))
    assert equals.message == (
        "'equals' needs an enum attribute; 'use' is set; use contains, like {attribute: use, contains: trekking}"
    )


FESTIVAL = (
    "answers: {region: mild, trip: festival, persons: 2, extra_space: false, body_height: 180, extras: dont_care}"
)


def test_dont_care_in_an_example_for_a_step_without_it_is_an_invalid_answer_with_the_fix() -> None:
    text = planted(FESTIVAL, FESTIVAL.replace("extra_space: false", "extra_space: dont_care"))
    finding = only(check(text))
    row = line_of(text, "answers: {region: mild, trip: festival")
    assert (finding.code, finding.line) == ("Q011", row)
    assert text.splitlines()[row - 1][finding.column - 1 :].startswith("dont_care, body_height")
    assert finding.message == (
        "example 'Festival': step 'extra_space' has no 'doesn't matter' answer; answer true or false, or add "
        "dont_care: true to the step"
    )
    assert [fix.replacement for fix in finding.fixes] == ["true", "false"]
    assert check(applied(text, finding.fixes[1])) == []


def test_a_word_in_an_example_for_a_number_step_with_dont_care_names_dont_care() -> None:
    text = planted("    step: 10\n", "    step: 10\n    dont_care: true\n")
    text = text.replace(FESTIVAL, FESTIVAL.replace("body_height: 180", "body_height: egal"))
    finding = only(check(text))
    assert finding.code == "Q011"
    assert finding.message == (
        "example 'Festival': 'body_height' takes a number, or dont_care for 'doesn't matter'; 'egal' is neither"
    )
    assert check(applied(text, finding.fixes[0])) == []


def test_an_option_label_in_an_example_is_read_as_its_option_in_the_hint() -> None:
    text = planted(FESTIVAL, FESTIVAL.replace("trip: festival", "trip: Zu Fuß"))
    finding = only(check(text))
    assert finding.code == "Q006"
    assert (
        finding.message == "example 'Festival': 'Zu Fuß' is not an option of 'trip' (did you mean 'trekking' (Zu Fuß)?)"
    )
    assert [fix.replacement for fix in finding.fixes] == ["trekking"]


def test_a_unit_a_step_cannot_show_says_which_it_can_and_suggests_no_other_unit() -> None:
    text = planted("    unit: cm\n", "    unit: lm\n")
    finding = only(check(text))
    assert (finding.code, finding.line) == ("Q004", line_of(text, "    unit: lm"))
    assert finding.message == (
        "step 'body_height', unit must be one of persons, cm, eur, kg, l, nights, °C, g, mm, months, not 'lm'; a "
        "number step shows only these units: for another unit, leave unit out and name the unit in the question's "
        "text"
    )
    assert "did you mean" not in finding.message and finding.fixes == ()


def test_a_unit_in_other_capitals_is_still_offered_as_meant() -> None:
    finding = only(check(planted("    unit: cm\n", "    unit: CM\n")))
    assert finding.message.endswith("not 'CM' (did you mean 'cm'?)")
    assert [fix.replacement for fix in finding.fixes] == ["cm"]
