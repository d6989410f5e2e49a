"""``python -m extractors.generator samples|corpus|mutations ...`` (see ``--help``)."""

from extractors.generator.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
