"""The portal crawler: configured portals → raw archive (content-addressed) → files to extract.

``crawl(sources_file, warehouse, archive_dir)`` is the entry point; ``python -m extractors.crawl``
runs it from the command line.
"""

from extractors.crawl.crawler import ArchivedFile, CrawlError, CrawlSummary, crawl

__all__ = ["ArchivedFile", "CrawlError", "CrawlSummary", "crawl"]
