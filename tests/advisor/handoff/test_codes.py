"""Resume codes: unambiguous alphabet, forgiving input, clear refusals."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from advisor.handoff.codes import ALPHABET, LENGTH, InvalidCode, new_code, normalise, shown


def test_alphabet_has_no_look_alikes() -> None:
    assert not set("0O1IL") & set(ALPHABET)


def test_new_codes_survive_being_typed_back() -> None:
    codes = {new_code() for _ in range(2000)}
    assert len(codes) > 1990  # random, practically without repeats
    for code in codes:
        assert len(code) == LENGTH
        assert normalise(shown(code).lower()) == code
        assert normalise(" " + code[:2] + " - " + code[2:] + " ") == code


@given(st.text(max_size=20))
def test_any_typed_text_is_a_code_or_refused_cleanly(text: str) -> None:
    try:
        code = normalise(text)
    except InvalidCode:
        return
    assert len(code) == LENGTH
    assert set(code) <= set(ALPHABET)


@pytest.mark.parametrize(
    ("typed", "message"), [("ABCD-234", "8 characters"), ("ABCD-E0FG", "no 0"), ("il123456", "no 1, I, L")]
)
def test_impossible_codes_are_refused_with_the_reason(typed: str, message: str) -> None:
    with pytest.raises(InvalidCode, match=message):
        normalise(typed)
