"""Reading and validating a large table in a process of its own, while this one writes what it has validated.

An import has two kinds of work of about the same size: reading and validating the rows (Python) and writing
them (SQLite's executemany and commit, in this process). A thread cannot do either beside the other: SQLite's
executemany takes the GIL back for every row, and waits for it behind the validating thread. A forked process
can: it has its own interpreter and the table already open (the header read, the number style told), and it
sends each batch through a pipe from a thread of its own, a few batches ahead of the writer at most, so that
memory stays that of a few batches. Problems of the whole file that the reader finds on the way (an unclosed
quote) come with the batch after which they were found, in time for the writer to stop writing.

The two shares of work are balanced as they go: the reader validates a batch itself while the writer is busy, and
sends the next one unvalidated (its cells, filled as the file means them) whenever the writer had to wait for the
one before; the writer then validates that one. Reading stays in the reader, in file order; validating a filled
batch depends on nothing before it, so either process may do it, with the same outcome.

A batch crosses the pipe as `marshal` data (plain tuples, lists, texts and numbers: half the time of pickle),
its rows' problems and anything else pickled.

Only a process that has no other threads should fork (a fork copies one thread and whatever locks the others
hold): `can_fork` says whether this one may; the importer reads in line where it may not.
"""

from __future__ import annotations

import contextlib
import fcntl
import marshal
import multiprocessing
import pickle
import queue
import threading
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Any

from advisor.catalog.formats import FileProblem, NumberedBatch, RawBatch
from advisor.catalog.validate import ValidBatch

_AHEAD = 2  # messages the reader may have ready beyond what the pipe holds (a batch is about 2 MB)
_PIPE_BYTES = 1 << 20  # a batch of 5,000 products is some 4 MB: in a few writes, not 64 of the default 64 KiB
_MARSHALLED, _RAW, _PICKLED = b"M", b"R", b"P"


def can_fork() -> bool:
    """Whether this process may fork a reader: the platform forks, and no other thread runs here."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def read_in_process(
    work: Iterator[NumberedBatch] | Iterator[RawBatch],
    problems: list[FileProblem],
    finish: Callable[[RawBatch], NumberedBatch] | None = None,
    prepare: Callable[[NumberedBatch], NumberedBatch] | None = None,
    started: Callable[[], None] | None = None,
) -> Iterator[NumberedBatch]:
    """The batches, read by a forked process; the file's problems it finds are added to `problems`.

    `work` yields validated batches, or raw ones that `finish` validates: the reader does so (and then `prepare`s
    the batch) while this process is busy, and leaves the next one to this process whenever it had to wait (see
    above). The reader starts at the first batch asked for; `started` is then called here (to let go of what only
    the reader reads from then on: the file's text). An exception it raises is raised here, as it was; a
    reader that dies (killed, out of memory) is an error here, never a short file. Stopping early (an exception in
    the writer, a closed generator) ends the reader.
    """
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    with contextlib.suppress(OSError):  # (a larger pipe only saves system calls)
        fcntl.fcntl(sending.fileno(), fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
    waited = context.RawValue("b", 0)  # set here when this process had to wait for a batch; the reader clears it
    reader = context.Process(
        target=_read, args=(work, problems, sending, finish, prepare, waited), name="catalog-reader", daemon=True
    )
    reader.start()
    sending.close()  # the reader's end only: EOF here once the reader has gone
    if started is not None:
        started()
    try:
        while True:
            if not receiving.poll():
                waited.value = 1
            try:
                message = receiving.recv_bytes()
            except EOFError:
                reader.join()
                raise RuntimeError(
                    f"the catalog reader process ended before the end of the file (exit code {reader.exitcode})"
                ) from None
            kind, payload, found = _decoded(message)
            problems.extend(found)
            if kind == "batch":
                yield payload
            elif kind == "raw":
                assert finish is not None  # (the reader sends a raw batch only to be finished here)
                yield finish(payload)
            elif kind == "error":
                raise payload
            else:
                return
    finally:
        receiving.close()
        if reader.is_alive():
            reader.terminate()
        reader.join()


def _read(
    work: Iterator[NumberedBatch] | Iterator[RawBatch],
    problems: list[FileProblem],
    sending: Connection,
    finish: Callable[[RawBatch], NumberedBatch] | None,
    prepare: Callable[[NumberedBatch], NumberedBatch] | None,
    waited: Any,
) -> None:
    """The reader process: each batch with the file's problems found since the batch before, then the end."""
    told = len(problems)

    def news() -> list[FileProblem]:
        nonlocal told
        found, told = problems[told:], len(problems)
        return found

    sender = _Sender(sending)
    try:
        for item in work:
            if isinstance(item, RawBatch):
                if waited.value or finish is None:
                    waited.value = 0
                    sender.send(_encoded("raw", item, news()))
                    continue
                item = finish(item)
                if prepare is not None:
                    item = prepare(item)
            sender.send(_encoded("batch", item, news()))
        sender.send(_encoded("end", None, news()))
    except BrokenPipeError:
        pass  # the writer stopped reading: nothing to tell
    except BaseException as error:  # noqa: BLE001 - anything, KeyboardInterrupt too, is the writer's to raise
        sender.send(_encoded("error", _sendable(error), news()))
    finally:
        sender.close()


class _Sender:
    """The reader's messages sent by a thread of its own, up to _AHEAD of them waiting to be sent: the reader goes
    on reading while the writer is busy, so that a batch is ready when the writer asks (the pipe alone holds less
    than one). A writer that stopped reading ends the reader (BrokenPipeError from `send`)."""

    def __init__(self, sending: Connection) -> None:
        self.sending = sending
        self.waiting: queue.Queue[bytes | None] = queue.Queue(_AHEAD)
        self.broken = False
        self.thread = threading.Thread(target=self._run, name="catalog-sender", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (message := self.waiting.get()) is not None:
            try:
                self.sending.send_bytes(message)
            except BrokenPipeError:
                self.broken = True  # (the writer has gone, and ends this process)
                return

    def send(self, message: bytes) -> None:
        if self.broken:
            raise BrokenPipeError
        self.waiting.put(message)

    def close(self) -> None:
        """Send what is waiting, then end the thread."""
        if not self.broken:
            self.waiting.put(None)
            self.thread.join()


def _encoded(kind: str, payload: Any, found: list[FileProblem]) -> bytes:
    """A message for the pipe: a batch's plain data marshalled, the rest pickled."""
    if isinstance(payload, RawBatch):
        with contextlib.suppress(ValueError):
            cells = (payload.columns, payload.row_numbers, payload.broken, payload.formulas)
            return _RAW + marshal.dumps((kind, cells, pickle.dumps(found)))
    elif isinstance(payload, NumberedBatch):
        batch = payload.batch
        plain = (batch.products, batch.indexes, batch.stock, batch.rejected_skus, batch.variants,
                 batch.rejected_variants, payload.row_numbers, payload.prepared)  # fmt: skip
        with contextlib.suppress(ValueError):  # a value marshal does not know (none the validation makes): pickled
            return _MARSHALLED + marshal.dumps((kind, plain, pickle.dumps((batch.problems, found))))
    return _PICKLED + pickle.dumps((kind, payload, found), protocol=pickle.HIGHEST_PROTOCOL)


def _decoded(message: bytes) -> tuple[str, Any, list[FileProblem]]:
    if message[:1] == _PICKLED:
        return pickle.loads(message[1:])  # type: ignore[no-any-return]
    kind, plain, rest = marshal.loads(message[1:])
    if message[:1] == _RAW:
        columns, row_numbers, broken, formulas = plain
        raw = RawBatch(columns=columns, row_numbers=row_numbers, broken=broken, formulas=formulas)
        return kind, raw, pickle.loads(rest)
    products, indexes, stock, rejected_skus, variants, rejected_variants, row_numbers, prepared = plain
    row_problems, found = pickle.loads(rest)
    batch = ValidBatch(products=products, indexes=indexes, stock=stock, problems=row_problems,
                       rejected_skus=rejected_skus, variants=variants,
                       rejected_variants=rejected_variants)  # fmt: skip
    return kind, NumberedBatch(batch=batch, row_numbers=row_numbers, prepared=prepared), found


def _sendable(error: BaseException) -> BaseException:
    """The exception itself if it survives the pipe, else a RuntimeError that names it."""
    try:
        returned: Any = pickle.loads(pickle.dumps(error))
    except Exception:  # noqa: BLE001 - an exception whose class cannot be rebuilt from its arguments
        return RuntimeError(f"{type(error).__name__}: {error}")
    return returned if isinstance(returned, BaseException) else RuntimeError(str(error))
