"""``python -m extractors.crawl --sources FILE --warehouse FILE [--archive DIR] [--local-sample]``.

Crawls the portals of a sources file into the raw archive and prints the new or changed files.
``--local-sample`` builds and serves the bundled sample portal and fills its ``{port}``.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
from pathlib import Path

from extractors.crawl.config import SourcesError
from extractors.crawl.crawler import crawl


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extractors.crawl", description=__doc__)
    parser.add_argument("--sources", type=Path, required=True)
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument(
        "--archive", type=Path, help="archive folder (default: 'archive' beside the warehouse)"
    )
    parser.add_argument("--local-sample", action="store_true", help="serve the bundled sample portal")
    args = parser.parse_args(argv)
    archive = args.archive or args.warehouse.parent / "archive"
    with contextlib.ExitStack() as stack:
        variables = None
        if args.local_sample:
            from extractors.portal import local_sample

            variables = stack.enter_context(
                local_sample(Path(stack.enter_context(tempfile.TemporaryDirectory())))
            )
        try:
            summary = crawl(args.sources, args.warehouse, archive, variables, progress=print)
        except SourcesError as e:
            print(f"crawl: {e}", file=sys.stderr)
            return 2
    for f in summary.new_files:
        print(f"{f.file_type}\tv{f.version}\t{f.path}\t{f.source_url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
