"""A finder or service flow whose category the store's catalog does not have is not offered (it would walk its
questions to no products): decided in the core, once the catalog is known, and named in the journal once."""

from __future__ import annotations

import pytest

from advisor.content import CatalogOffer, left_out, load_content
from advisor.paths import questionnaires_dir

SAMPLE_CATEGORIES = ("tents", "sleeping_bags", "backpacks", "rain_jackets", "care", "spare_parts")


def test_a_catalog_of_one_category_offers_only_its_finders_and_names_the_files_left_out(
    capsys: pytest.CaptureFixture[str],
) -> None:
    everything = load_content().everything
    capsys.readouterr()
    offer = CatalogOffer("advisor kiosk")
    offered = offer.offered(everything, {"tents": object()})
    assert set(offered) == {"tent-finder", "tent-help", "zip-help"}
    assert all(offered[qid] is everything[qid] for qid in offered)
    journal = capsys.readouterr().err.splitlines()
    folder = questionnaires_dir()
    assert sorted(journal) == sorted(
        f"advisor kiosk: {folder / name}.yaml: not offered: Q017 category '{category}' is not in the catalog"
        for name, category in (
            ("backpack-finder", "backpacks"),
            ("rain-jacket-finder", "rain_jackets"),
            ("sleeping-bag-finder", "sleeping_bags"),
            ("sleeping-bag-help", "sleeping_bags"),
        )
    )
    offer.offered(everything, {"tents"})  # asked again (a reload, another request): said once
    assert capsys.readouterr().err == ""


def test_a_category_that_comes_back_offers_its_finder_again_and_a_later_loss_is_named_again(
    capsys: pytest.CaptureFixture[str],
) -> None:
    everything = load_content().everything
    offer = CatalogOffer("advisor web")
    offer.offered(everything, {"tents", "backpacks", "rain_jackets"})
    capsys.readouterr()
    assert "sleeping-bag-finder" in offer.offered(everything, SAMPLE_CATEGORIES)
    assert capsys.readouterr().err == ""
    offer.offered(everything, {"tents", "backpacks", "rain_jackets"})
    assert "sleeping-bag-finder.yaml: not offered" in capsys.readouterr().err


def test_the_sample_setup_offers_everything_and_says_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    everything = load_content().everything
    capsys.readouterr()
    assert CatalogOffer("advisor kiosk").offered(everything, SAMPLE_CATEGORIES) == everything
    assert left_out(everything, SAMPLE_CATEGORIES) == []
    assert capsys.readouterr().err == ""
