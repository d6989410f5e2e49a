"""A faulty local portal, a 'forbidden' server that must never be reached, and sources for them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from extractors.portal import PortalServer, build_site, serving

SOURCES = """
defaults:
  min_interval_seconds: 0
  max_concurrency_per_host: 4
  max_retries: 1
  backoff_seconds: 0.05
  connect_timeout_seconds: 1
  read_timeout_seconds: 1
  max_bytes: 2097152
portals:
  - name: local
    region: 綦江区
    start_urls:
      - http://127.0.0.1:{port}/zwgk_77/fdzdgknr/czyjs/ys/
      - http://127.0.0.1:{port}/zwgk_77/fdzdgknr/czyjs/js/
      - http://127.0.0.1:{port}/bm/zwfwb/zwgk/ysjs/ysgk/
    allowed_hosts: ["127.0.0.1:{port}"]
"""


@dataclass
class Portal:
    site: Path
    server: PortalServer
    forbidden: PortalServer
    sources: Path
    warehouse: Path
    archive: Path

    @property
    def variables(self) -> dict[str, int]:
        return {"port": self.server.port}


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[Portal]:
    decoy = tmp_path / "forbidden"
    decoy.mkdir()
    (decoy / "stolen.html").write_text("<html><body>must never be fetched</body></html>")
    with serving(decoy) as forbidden:
        site = build_site(tmp_path / "site", faults=True, foreign_origin=forbidden.origin)
        with serving(site) as server:
            sources = tmp_path / "sources.yml"
            sources.write_text(SOURCES, encoding="utf-8")
            yield Portal(site, server, forbidden, sources, tmp_path / "wh.duckdb", tmp_path / "archive")
