"""The environment a docker-compose.yml service gets, for running the same configuration without Docker.

Resolves ``${VAR}``, ``${VAR:-default}``, ``${VAR-default}`` and ``${VAR:?message}`` the way compose
does, from an env file (``.env`` or ``.env.example``) and overrides, and can rewrite service host names
(``postgres``, ``redis``, ``airflow-apiserver``) to where those services run locally. The tests run the
Celery deployment on this machine's PostgreSQL and Redis with exactly this environment.

    python docker/compose_env.py airflow-worker --env-file .env \
        --host postgres=127.0.0.1 --host redis=127.0.0.1 --host airflow-apiserver=127.0.0.1
"""

from __future__ import annotations

import argparse
import re
import shlex
import sys
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import yaml

_VARIABLE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:-|-|:\?|\?)(?P<arg>[^}]*))?\}")


class ComposeError(ValueError):
    pass


def read_env_file(path: Path) -> dict[str, str]:
    values = {}
    for number, line in enumerate(path.read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if "=" not in line:
            raise ComposeError(f"{path}:{number}: expected NAME=value, got {line!r}")
        name, value = line.split("=", 1)
        values[name.strip()] = value.strip()
    return values


def interpolate(text: str, variables: Mapping[str, str]) -> str:
    def substitute(match: re.Match) -> str:
        name, op, arg = match["name"], match["op"], match["arg"]
        value = variables.get(name)
        unset_or_empty = value is None or (value == "" and op in (":-", ":?"))
        if op in (":-", "-") and unset_or_empty:
            return arg
        if op in (":?", "?") and unset_or_empty:
            raise ComposeError(f"{name}: {arg or 'required'}")
        return value or ""

    return _VARIABLE.sub(substitute, text.replace("$$", "\0")).replace("\0", "$")


def variables_used(text: str) -> set[str]:
    return {m["name"] for m in _VARIABLE.finditer(text)}


def load(compose_file: Path, variables: Mapping[str, str]) -> dict:
    """The compose file with variables substituted and YAML merge keys applied."""
    return yaml.safe_load(interpolate(compose_file.read_text(), variables))


def service_environment(compose: dict, service: str,
                        hosts: Mapping[str, str] | None = None) -> dict[str, str]:
    try:
        environment = compose["services"][service].get("environment") or {}
    except KeyError:
        raise ComposeError(f"no service {service!r} in the compose file") from None
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    env = {name: _env_value(value) for name, value in environment.items()}
    return {name: _relocate(value, hosts or {}) for name, value in env.items()}


def _relocate(value: str, hosts: Mapping[str, str]) -> str:
    """Point a URL at a service's local address: only the URL's host changes, never user or path."""
    if "://" not in value:
        return value
    url = urlsplit(value)
    if url.hostname not in hosts:
        return value
    userinfo = url.netloc.rpartition("@")[0]
    port = f":{url.port}" if url.port else ""
    netloc = f"{userinfo}@" * bool(userinfo) + hosts[url.hostname] + port
    return urlunsplit(url._replace(netloc=netloc))


def _env_value(value) -> str:
    """As compose passes YAML scalars: booleans lower-case, null empty."""
    if isinstance(value, bool):
        return str(value).lower()
    return "" if value is None else str(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("service")
    parser.add_argument("--compose-file", type=Path,
                        default=Path(__file__).resolve().parents[1] / "docker-compose.yml")
    parser.add_argument("--env-file", type=Path, default=Path(".env"))
    parser.add_argument("--host", action="append", default=[], metavar="SERVICE=HOST")
    args = parser.parse_args(argv)
    hosts = dict(h.split("=", 1) for h in args.host)
    env = service_environment(load(args.compose_file, read_env_file(args.env_file)), args.service, hosts)
    for name, value in env.items():
        print(f"export {name}={shlex.quote(value)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
