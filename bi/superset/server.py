"""Start Superset the one way budgetwh runs it: bootstrap the metadata DB, then gunicorn on one address.

The compose service and the tests both come through here. Superset runs in an interpreter of its own
(``.venv-superset`` locally, the image's Python in compose): its pins conflict with Airflow's.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CONFIG = HERE / "superset_config.py"
LOCAL_PYTHON = REPO / ".venv-superset" / "bin" / "python"
# No usage pings from anything in Superset's process (dbt-style and generic opt-outs).
QUIET = {"SCARF_ANALYTICS": "false", "DO_NOT_TRACK": "1", "SUPERSET_LOAD_EXAMPLES": "no"}


def superset_python() -> Path:
    """The interpreter Superset is installed in: ``SUPERSET_PYTHON``, else ``.venv-superset``, else ours."""
    if os.environ.get("SUPERSET_PYTHON"):
        return Path(os.environ["SUPERSET_PYTHON"])
    return LOCAL_PYTHON if LOCAL_PYTHON.exists() else Path(sys.executable)


def environment(base: Mapping[str, str]) -> dict[str, str]:
    """``base`` (which must carry SUPERSET_SECRET_KEY and the admin) with the config path and opt-outs."""
    env = {**base, **QUIET, "SUPERSET_CONFIG_PATH": str(CONFIG), "FLASK_APP": "superset.app:create_app()"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), base.get("PYTHONPATH", "")) if p)
    return env


def bootstrap(env: Mapping[str, str], python: Path | None = None, timeout: float = 900) -> None:
    subprocess.run([str(python or superset_python()), str(HERE / "bootstrap.py")], env=dict(env), check=True,
                   timeout=timeout)


def gunicorn_command(host: str, port: int, python: Path | None = None, workers: int = 1) -> list[str]:
    return [str(python or superset_python()), "-m", "gunicorn", "--bind", f"{host}:{port}",
            "--workers", str(workers), "--threads", "8", "--worker-class", "gthread", "--timeout", "120",
            "--limit-request-line", "0", "--limit-request-field_size", "0", "superset.app:create_app()"]


def serve(host: str, port: int, env: Mapping[str, str], workers: int = 1) -> int:
    """Bootstrap, then run gunicorn in the foreground (the compose service's process)."""
    full = environment(env)
    bootstrap(full)
    return subprocess.call(gunicorn_command(host, port, workers=workers), env=full)


def start(host: str, port: int, env: Mapping[str, str], log: Path) -> subprocess.Popen:
    """Bootstrap, then gunicorn in the background in a session of its own (the caller stops it)."""
    full = environment(env)
    bootstrap(full)
    with open(log, "ab") as out:
        return subprocess.Popen(gunicorn_command(host, port), env=full, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
