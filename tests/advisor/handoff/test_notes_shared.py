"""Two colleagues' notes on one customer: a save that starts from notes a colleague has changed since keeps both."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from advisor.handoff.chat import MAX_NOTES, joined_notes, merged_notes, notes_of, rebased_notes, save_notes
from tests.helpers.handoff import waiting_request

ANNA = "Anna: Zelt zurückgelegt"
BEN = "Anna: Zelt zurückgelegt\nBen: will auch Isomatte"


def test_a_save_from_older_notes_adds_to_a_colleagues_instead_of_overwriting_them(engine: Engine) -> None:
    request_id = waiting_request(engine)
    assert save_notes(engine, request_id, ANNA, base="").notes == ANNA
    assert save_notes(engine, request_id, BEN, base=ANNA).notes == BEN, "Ben built on what is stored: stored as typed"
    merged = save_notes(engine, request_id, ANNA + ", Kasse 2", base=ANNA).notes  # Anna's screen had her text only
    assert merged == BEN + ", Kasse 2"
    assert notes_of(engine, request_id) == merged


def test_notes_changed_apart_keep_the_colleagues_first_and_then_these() -> None:
    assert merged_notes("Zelt", "Zelt für 4 Personen", "Zelt, Kasse 2") == "Zelt für 4 Personen, Kasse 2"
    assert merged_notes("Zelt M", "Zelt L", "Jacke M") == "Zelt L\n\nJacke M", "neither appended: both whole"
    assert merged_notes("Zelt", "Zelt, Kasse 2", "Zelt, Kasse 2") == "Zelt, Kasse 2", "the same words once"
    assert merged_notes("Zelt", "Zelt", "") == "", "nobody else changed them: this console's deletion counts"
    assert merged_notes("Zelt", "Zelt\nBen", "Zelt") == "Zelt\nBen"
    assert len(merged_notes("", "a" * MAX_NOTES, "b")) == MAX_NOTES, "never more than the database keeps"
    assert merged_notes("", "Ben: bringt das Zelt", "Anna: Isomatte") == "Ben: bringt das Zelt\nAnna: Isomatte"


notes = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@given(base=notes, theirs=notes, mine=notes)
def test_nothing_either_colleague_wrote_is_lost(base: str, theirs: str, mine: str) -> None:
    """Whatever each added to the notes they both started from, the merged notes hold the colleague's whole and
    this console's words (within the database's limit, which these stay under)."""
    merged = merged_notes(base, base + theirs, base + mine)
    assert merged.startswith(base + theirs) or merged == base + mine
    assert mine in merged and theirs in merged


def test_without_a_base_the_notes_are_stored_as_given(engine: Engine) -> None:
    request_id = waiting_request(engine)
    save_notes(engine, request_id, BEN)
    assert save_notes(engine, request_id, "Neu\tM").notes == "Neu M"
    assert notes_of(engine, request_id) == "Neu M"


def test_what_was_typed_while_the_notes_were_on_their_way_goes_on_after_the_merged_notes() -> None:
    sent, stored = "Anna: Zelt", "Anna: Zelt\nBen: Isomatte"
    assert rebased_notes(sent, sent, stored) == stored
    assert rebased_notes(sent + ", Kasse 2", sent, stored) == stored + ", Kasse 2"
    assert rebased_notes("Zelt weg", sent, stored) == merged_notes(sent, stored, "Zelt weg")


def test_words_a_merge_has_no_room_for_are_returned_to_be_said_not_dropped(engine: Engine) -> None:
    """A colleague's long notes and this console's together come to more than a note holds: the stored notes end
    where the limit is, and the rest of this console's words comes back (the console says it)."""
    request_id = waiting_request(engine)
    colleague = "Kunde: " + "Zelt für 3, " * 230
    save_notes(engine, request_id, colleague, base="")
    mine = "Kunde: " + "Ruft morgen an. " * 94
    saved = save_notes(engine, request_id, mine, base="Kunde: ")
    assert len(saved.notes) == MAX_NOTES and saved.notes.startswith(colleague)
    assert saved.notes + saved.cut == joined_notes("Kunde: ", colleague, mine), "nothing lost: stored or returned"
    assert saved.cut and mine.endswith(saved.cut)
    assert save_notes(engine, request_id, "kurz", base=saved.notes).cut == ""
