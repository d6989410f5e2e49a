"""What every bench section hands back: figures with their baseline, target and reproducing command."""

from __future__ import annotations

import json
import resource
import shlex
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = ".venv/bin/python"  # how the commands are printed: runnable from the repository root


@dataclass(frozen=True)
class Figure:
    """One measured figure. ``baseline`` is the naive way measured in the same run (None: there is none);
    ``target`` the project's goal for it, as text ("< 120 s")."""

    name: str
    value: float
    unit: str
    command: str
    baseline: float | None = None
    target: str | None = None

    @property
    def ratio(self) -> float | None:
        return round(self.value / self.baseline, 2) if self.baseline else None

    def as_json(self) -> str:
        record = {"name": self.name, "value": round(self.value, 2), "unit": self.unit,
                  "baseline": None if self.baseline is None else round(self.baseline, 2),
                  "ratio": self.ratio, "command": self.command}
        if self.target:
            record["target"] = self.target
        return json.dumps(record, ensure_ascii=False)

    @classmethod
    def from_dict(cls, record: dict) -> Figure:
        return cls(**record)


def bench_command(*args: object) -> str:
    return shlex.join([PYTHON, "-m", "bench", *map(str, args)])


def peak_rss_mib() -> tuple[float, float]:
    """(this process, its largest finished child) peak resident memory in MiB.

    Linux reports ``ru_maxrss`` in KiB; for children it is the largest single child waited for, which is
    the figure per worker when the children are a process pool's workers.
    """
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return own / 1024, children / 1024


def cpu_seconds() -> float:
    """User + system CPU time of this process and its finished children: unlike wall time, it does not
    grow when other jobs share the machine."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def say(message: str) -> None:
    """Progress on stderr, so stdout keeps only the report."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def write_figures(path: Path, figures: list[Figure]) -> None:
    path.write_text(json.dumps([asdict(f) for f in figures], ensure_ascii=False), encoding="utf-8")


def read_figures(path: Path) -> list[Figure]:
    return [Figure.from_dict(r) for r in json.loads(path.read_text(encoding="utf-8"))]
