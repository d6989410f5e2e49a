"""The bundled local sample portal: a static TRS-structured site and a server for it.

``build_site(dir)`` writes the site; ``serving(dir)`` serves it on 127.0.0.1 in a background thread;
``local_sample(work_dir)`` does both for ``sources/local_sample.yml`` and yields the variables
(``{"port": …}``) that ``crawl`` fills into it. ``python -m extractors.portal build|serve`` from a shell.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from extractors.portal.server import PortalServer, serving
from extractors.portal.site import build_site

SOURCES = Path(__file__).resolve().parents[2] / "sources" / "local_sample.yml"


@contextmanager
def local_sample(work_dir: Path, port: int = 0, disclosures: list | None = None) -> Iterator[dict[str, int]]:
    """Build the sample portal under ``work_dir`` and serve it; yields the sources file's variables.

    ``disclosures`` (``site.Disclosure``) replace the built-in small workbooks, e.g. the generator's
    documents (``extractors.portal.generated.generated_disclosures``) for the demo.
    """
    site = Path(work_dir) / "portal"
    if not (site / "robots.txt").exists():
        build_site(site, disclosures)
    with serving(site, port=port) as server:
        yield {"port": server.port}


__all__ = ["SOURCES", "PortalServer", "build_site", "local_sample", "serving"]
