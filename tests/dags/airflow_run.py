"""Helpers of the orchestration tests: commands of the stack (their isolated Airflow is
``bench.nightly.airflow_env``); a fresh PostgreSQL database is ``support.fresh_database``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
AIRFLOW = Path(sys.executable).with_name("airflow")


def run(argv: list[str], env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    """Run a command of the stack in AIRFLOW_HOME; a failure shows the end of its output."""
    result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout,
                            cwd=env["AIRFLOW_HOME"])
    output = (result.stdout + result.stderr)[-3000:]
    assert result.returncode == 0, f"{' '.join(argv)} failed:\n{output}"
    return result


def airflow(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return run([str(AIRFLOW), *args], env, timeout)
