"""``python -m bi.superset serve|provision|bundle``: run Superset and provision it as code.

  serve      bootstrap the metadata DB and admin, then gunicorn (Superset's interpreter)
  provision  wait for a running Superset, import the dashboards, make every chart queryable
  bundle     write the import bundle ZIP (for Superset's own "import dashboard" dialog)

Settings default to the environment (the compose file sets them): SUPERSET_URL,
SUPERSET_ADMIN_USERNAME / SUPERSET_ADMIN_PASSWORD, BUDGETWH_SUPERSET_DATABASE_URI (how Superset reaches
the published marts: the read-only login) and BUDGETWH_EVIDENCE_BASE_URL (where the evidence pages are).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path


def main(argv: Sequence[str] | None = None) -> int:
    env = os.environ
    parser = argparse.ArgumentParser(prog="python -m bi.superset", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("serve", help="bootstrap, then serve with gunicorn")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8088)
    p.add_argument("--workers", type=int, default=1)
    for name in ("provision", "bundle"):
        p = sub.add_parser(name)
        p.add_argument("--database-uri", default=env.get("BUDGETWH_SUPERSET_DATABASE_URI"),
                       required="BUDGETWH_SUPERSET_DATABASE_URI" not in env,
                       help="SQLAlchemy URI of the PostgreSQL publication, as Superset reaches it")
        p.add_argument("--evidence-base-url", default=env.get("BUDGETWH_EVIDENCE_BASE_URL", ""))
    provision_parser = sub.choices["provision"]
    provision_parser.add_argument("--url", default=env.get("SUPERSET_URL", "http://127.0.0.1:8088"))
    provision_parser.add_argument("--username", default=env.get("SUPERSET_ADMIN_USERNAME", "admin"))
    provision_parser.add_argument("--password", default=env.get("SUPERSET_ADMIN_PASSWORD"),
                                  required="SUPERSET_ADMIN_PASSWORD" not in env)
    provision_parser.add_argument("--wait", type=float, default=600, help="seconds to wait for Superset")
    sub.choices["bundle"].add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)

    if args.command == "serve":
        from bi.superset.server import serve

        return serve(args.host, args.port, env, workers=args.workers)
    if args.command == "bundle":
        from bi.superset.bundle import build, load_spec

        args.out.write_bytes(build(load_spec(), args.database_uri, args.evidence_base_url).data)
        print(f"bundle: {args.out}")
        return 0
    from bi.superset.provision import Client, provision, wait_until_healthy

    wait_until_healthy(args.url, timeout=args.wait)
    client = Client.login(args.url, args.username, args.password)
    done = provision(client, args.database_uri, evidence_base_url=args.evidence_base_url)
    print(json.dumps(asdict(done), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
