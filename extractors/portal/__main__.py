"""``python -m extractors.portal build --out DIR [--faults]`` / ``serve --dir DIR --port P``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from extractors.portal.server import PortalServer
from extractors.portal.site import build_site


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extractors.portal", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build", help="write the sample portal into a folder")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--faults", action="store_true", help="add the column of broken links (for tests)")
    p = sub.add_parser("serve", help="serve a built portal on 127.0.0.1 until interrupted")
    p.add_argument("--dir", type=Path, required=True)
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--build", action="store_true", help="build the sample site into --dir first if empty")
    args = parser.parse_args(argv)
    if args.command == "build":
        build_site(args.out, faults=args.faults)
        print(f"sample portal written to {args.out}")
        return 0
    if args.build and not (args.dir / "robots.txt").exists():
        build_site(args.dir)
    if not (args.dir / "robots.txt").exists():
        print(
            f"{args.dir}: not a built portal (no robots.txt); run 'build' first or pass --build",
            file=sys.stderr,
        )
        return 2
    server = PortalServer(args.dir, port=args.port)
    print(f"serving {args.dir} at {server.origin}/ (Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
