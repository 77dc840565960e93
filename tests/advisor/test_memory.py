"""The garbage collector pauses while large data is built and runs again afterwards, however the builds overlap."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from advisor.memory import bulk_allocation


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def _failing_build(seen: list[bool]) -> None:
    with bulk_allocation():
        seen.append(gc.isenabled())
        raise RuntimeError("the database went away")


def test_the_collector_pauses_and_comes_back_even_after_an_error() -> None:
    seen: list[bool] = []
    with pytest.raises(RuntimeError):
        _failing_build(seen)
    assert seen == [False]
    assert gc.isenabled()


def test_overlapping_builds_in_two_threads_keep_it_paused_until_the_last_is_done() -> None:
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, bool] = {}

    def first() -> None:
        with bulk_allocation():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second() -> None:
        first_in.wait(5)
        with bulk_allocation():
            second_in.set()
            first_out.wait(5)
            seen["after the first ended"] = gc.isenabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == {"after the first ended": False}
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with bulk_allocation():
        pass
    assert not gc.isenabled()
