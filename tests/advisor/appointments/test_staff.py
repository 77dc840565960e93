"""Skills, weekly shifts and exceptions as the console reads them back."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine

from advisor.appointments import staff
from tests.helpers.appointments import add_consultants


def test_a_schedule_reads_back_what_was_kept(engine: Engine) -> None:
    add_consultants(engine, ["anna", "ben"])
    staff.set_skills(engine, staff_name="ben", categories=["backpacks", "tents"])
    staff.set_shift(engine, staff_name="ben", weekday=6, span=None)
    staff.set_shift(engine, staff_name="ben", weekday=0, span=(8 * 60, 12 * 60))
    staff.set_exception(engine, staff_name="ben", day=date(2026, 12, 1), span=None)
    staff.set_exception(engine, staff_name="ben", day=date(2026, 12, 24), span=(9 * 60, 13 * 60))
    staff.set_exception(engine, staff_name="ben", day=date(2026, 11, 2), span=None)
    schedule = staff.schedule_of(engine, staff_name="ben", since=date(2026, 11, 30))
    assert schedule.skills == ("backpacks", "tents")
    assert schedule.shifts[0] == (480, 720) and 6 not in schedule.shifts and len(schedule.shifts) == 6
    assert dict(schedule.exceptions) == {date(2026, 12, 1): None, date(2026, 12, 24): (540, 780)}
    assert staff.staff_names(engine) == ["anna", "ben"]


def test_spans_as_staff_type_them() -> None:
    assert staff.parse_span("09:30-18:00") == (570, 1080)
    assert staff.parse_span(" 9-18 ") == (540, 1080)
    assert staff.parse_span("") is None and staff.parse_span("-") is None
    assert staff.span_text((570, 1080)) == "09:30-18:00" and staff.span_text(None) == ""
    for wrong in ("18:00-09:30", "9:3-18", "morning", "09:30-25:00", "09:30", "09:75-18:00"):
        with pytest.raises(ValueError, match="09:30-18:00|after the start"):
            staff.parse_span(wrong)
