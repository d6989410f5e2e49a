"""Supervised extraction workers: one hostile file costs one document, never the run.

Each worker is a process of its own (spawned: a clean address space under its ``RLIMIT_AS``) that
extracts one document at a time into ``out_dir/<document_id>/``. The supervisor gives each document a
wall-clock deadline (``ExtractionLimits``: a base, more once the reader says how many pages and how many
to OCR, never past the ceiling) and watches the worker's resident memory. A worker past its deadline or
its memory limit is killed, the document is recorded as rejected (``timeout``, ``memory``; a worker that
dies otherwise: ``worker_crashed``, naming its exit status or signal) and a fresh worker takes the next
document.

Readers call ``note_pages`` once they know a document's size; outside a worker it does nothing.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import cast

POLL_SECONDS = 0.2  # how often the supervisor looks at deadlines and memory

_report: Callable[[int, int], None] | None = None  # set in a worker: tells the supervisor a size


def note_pages(pages: int, ocr_pages: int = 0) -> None:
    """A reader knows how long its document is: the supervisor scales the document's deadline."""
    if _report is not None:
        _report(pages, ocr_pages)


def peak_rss_mb(pid: int | str | None = "self") -> float:
    """The process's peak resident memory (VmHWM), in MiB; 0 when it has gone."""
    return _status_kb(pid, "VmHWM") / 1024


def _status_kb(pid: int | str | None, key: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _die_with_parent(parent_pid: int) -> None:
    """A worker ends when its supervisor does, however the supervisor ends (SIGKILL, the OOM killer): the
    kernel kills it with its parent (Linux ``PR_SET_PDEATHSIG``), and a watchdog thread ends it where
    that is not available or the parent went before the request was made."""
    import ctypes
    import signal
    import threading

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    except (AttributeError, OSError):
        pass  # not Linux: the watchdog alone

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1)
        os._exit(1)

    if os.getppid() != parent_pid:
        os._exit(1)
    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _worker(conn: Connection, out_dir: str, address_space_mb: int, parent_pid: int) -> None:
    import resource

    global _report
    _die_with_parent(parent_pid)
    limit = address_space_mb << 20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from extractors.pipeline import extract_to_dir

    _report = lambda pages, ocr_pages: conn.send(("pages", pages, ocr_pages))  # noqa: E731
    conn.send(("ready",))
    while (task := conn.recv()) is not None:
        doc = task
        doc_id = extract_to_dir(doc.path, Path(out_dir), doc.source_url, doc.metadata, doc.parts)
        conn.send(("done", doc_id, peak_rss_mb()))


@dataclass
class _Slot:
    """One worker process and the document it is extracting."""

    process: BaseProcess
    conn: Connection
    ready: bool = False  # imported what extraction needs: a document's clock starts when it is given one
    index: int | None = None
    started: float = 0.0
    base: float = 0.0  # the document's deadline before its pages are known (seconds after ``started``)
    deadline: float = 0.0


@dataclass
class WorkerStats:
    """What the workers cost: peak resident memory of each worker process (MiB), and restarts."""

    peak_rss_mb: list[float] = field(default_factory=list)
    restarted: int = 0


class Supervisor:
    def __init__(self, out_dir: Path, workers: int, limits=None):
        from extractors.orchestration_config import extraction_limits

        self.out_dir = Path(out_dir)
        self.workers = max(1, workers)
        self.limits = limits or extraction_limits()
        self.stats = WorkerStats()
        self._context = multiprocessing.get_context("spawn")

    def _start(self) -> _Slot:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker, daemon=True, args=(
            child, str(self.out_dir), self.limits.address_space_mb, os.getpid()))
        process.start()
        child.close()
        return _Slot(process, parent)

    def _stop(self, slot: _Slot, kill: bool) -> None:
        self.stats.peak_rss_mb.append(peak_rss_mb(slot.process.pid))
        if kill:
            slot.process.kill()
        else:
            try:
                slot.conn.send(None)
            except OSError:
                pass
        slot.process.join(5)
        if slot.process.is_alive():
            slot.process.kill()
            slot.process.join()
        slot.conn.close()

    def _death(self, exitcode: int | None) -> str:
        """Why a worker died, as far as its exit tells: an exit status, or a signal by name. SIGTERM,
        SIGINT, SIGHUP and SIGQUIT come from outside the run; the others, and an exit status (an uncaught
        MemoryError), are also what running out of address space ends in."""
        if exitcode is not None and exitcode < 0:
            try:
                said = f"the extraction process was killed by {signal.Signals(-exitcode).name}"
            except ValueError:
                said = f"the extraction process was killed by signal {-exitcode}"
            if -exitcode in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT):
                return f"{said}, sent from outside the run"
        else:
            said = f"the extraction process died (exit {exitcode})"
        return (f"{said}; at most {self.limits.address_space_mb} MiB of address space "
                "(BUDGETWH_ADDRESS_SPACE_MB) may have run out")

    def run(self, documents: Sequence, progress: Callable[[int, int, Path], None] | None = None) -> list[str]:
        """Extract ``documents`` (``InputDocument``); their document ids in input order."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        ids: list[str | None] = [None] * len(documents)
        queue = list(range(len(documents)))[::-1]
        slots = [self._start() for _ in range(min(self.workers, len(documents)))]
        done = 0

        def finish(slot: _Slot, doc_id: str) -> None:
            nonlocal done
            assert slot.index is not None, "a slot finishes only the document it was given"
            ids[slot.index] = doc_id
            done += 1
            if progress:
                progress(done, len(documents), documents[slot.index].path)
            slot.index = None

        def replace(slot: _Slot, code: str, message: str) -> _Slot:
            assert slot.index is not None, "a slot is replaced only while it extracts a document"
            doc = documents[slot.index]
            self._stop(slot, kill=True)
            self.stats.restarted += 1
            finish(slot, _write_rejected(doc, self.out_dir, code, f"{Path(doc.path).name}: {message}"))
            return self._start()

        try:
            while done < len(documents):
                for slot in slots:
                    if slot.ready and slot.index is None and queue:
                        slot.index = queue.pop()
                        slot.started = time.monotonic()
                        slot.base = self.limits.seconds_base + self.limits.seconds_per_mb * _megabytes(
                            documents[slot.index])
                        slot.deadline = slot.started + min(slot.base, self.limits.seconds_ceiling)
                        slot.conn.send(documents[slot.index])
                ready = wait([s.conn for s in slots] + [s.process.sentinel for s in slots], POLL_SECONDS)
                for i, slot in enumerate(slots):
                    message = None
                    if slot.conn in ready or slot.conn.poll():
                        try:
                            message = slot.conn.recv()
                        except (EOFError, OSError):
                            message = None
                    if message and message[0] == "ready":
                        slot.ready = True
                        continue
                    if message and message[0] == "pages":
                        _, pages, ocr_pages = message
                        limits = self.limits
                        slot.deadline = slot.started + min(
                            limits.seconds_ceiling, slot.base + limits.seconds_per_page * pages
                            + limits.seconds_per_ocr_page * ocr_pages)
                        continue
                    if message and message[0] == "done":
                        finish(slot, message[1])
                        continue
                    if slot.index is None:
                        if not slot.process.is_alive():  # died before it took a document: start another
                            self._stop(slot, kill=True)
                            slots[i] = self._start()
                        continue
                    if not slot.process.is_alive():
                        slots[i] = replace(slot, "worker_crashed", self._death(slot.process.exitcode))
                        continue
                    elapsed = time.monotonic() - slot.started
                    if time.monotonic() > slot.deadline:
                        slots[i] = replace(slot, "timeout",
                                           f"extraction took longer than its limit of "
                                           f"{slot.deadline - slot.started:.0f} s (BUDGETWH_SECONDS_*)")
                        continue
                    rss = _status_kb(slot.process.pid, "VmRSS") / 1024
                    if rss > self.limits.memory_mb:
                        slots[i] = replace(slot, "memory",
                                           f"extraction used {rss:.0f} MiB after {elapsed:.1f} s, more than "
                                           f"the limit of {self.limits.memory_mb} MiB (BUDGETWH_MEMORY_MB)")
        finally:
            for slot in slots:
                self._stop(slot, kill=slot.index is not None)
        return cast(list[str], ids)  # the loop ends when every document is extracted or rejected


def _megabytes(doc) -> float:
    """The size of a document's files (a link's own, never what it points to), in MB."""
    total = 0
    for path in (doc.path, *doc.parts):
        try:
            total += Path(path).lstat().st_size
        except OSError:
            pass
    return total / 1e6


def _write_rejected(doc, out_dir: Path, code: str, message: str) -> str:
    """The document a killed worker was extracting, staged as rejected with the reason."""
    from extractors.extract import rejected
    from extractors.pipeline import write_extraction

    return write_extraction(rejected(Path(doc.path), doc.source_url, code, message), out_dir)
