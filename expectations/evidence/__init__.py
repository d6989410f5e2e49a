"""Evidence for every finding: where it is printed, boxed on its page, in a static site (``site``)."""

from expectations.evidence.site import SiteSummary, build_site, evidence_dir, evidence_url

__all__ = ["SiteSummary", "build_site", "evidence_dir", "evidence_url"]
