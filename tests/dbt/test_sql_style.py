"""The dbt SQL follows the house layout (dbt_project/.sqlfluff): sqlfluff finds nothing to fix."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from extractors.orchestration_config import dbt_project_dir


def test_sqlfluff_lint_is_clean():
    sqlfluff = shutil.which("sqlfluff", path=str(Path(sys.executable).parent))
    if sqlfluff is None:
        pytest.skip("sqlfluff is not installed (pip install -e '.[dev]')")
    linted = subprocess.run([sqlfluff, "lint", "models", "tests"], cwd=dbt_project_dir(),
                            capture_output=True, text=True, timeout=300)
    assert linted.returncode == 0, linted.stdout[-4000:]
