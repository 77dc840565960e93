"""A questionnaire that names its category by the category's label (as the product import accepts) is told the id."""

from __future__ import annotations

import pytest

from advisor.questionnaire.checks import category_hint, meant_category
from tests.advisor.questionnaire.test_checks import check, planted
from tests.helpers.catalog import sample_dictionary


@pytest.mark.parametrize("written", ["Zelte", "Tents", "zelte", "Zelt"])
def test_a_category_named_by_its_label_is_suggested_by_its_id(written: str) -> None:
    found = [f for f in check(planted("category: tents", f"category: {written}")) if f.code == "Q017"]
    assert len(found) == 1
    assert found[0].message.endswith("(did you mean 'tents' (Zelte)?)" if written.lower().startswith("zelt")
                                     else "(did you mean 'tents' (Tents)?)")  # fmt: skip


def test_a_mistyped_id_is_still_suggested_by_the_id_and_nothing_close_suggests_nothing() -> None:
    categories = sample_dictionary().categories
    assert category_hint("tent", categories) == ("tents", " (did you mean 'tents'?)")
    assert category_hint("Schlafsäcke", categories)[0] == "sleeping_bags"
    assert category_hint("Kochgeschirr", categories) == (None, "")
    assert meant_category("tents", categories) == "tents"
    assert meant_category("Zelte", list(categories)) is None  # (the ids alone know no labels)
