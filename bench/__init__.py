"""Benchmarks: ``python -m bench`` compares PDF extraction (see ``bench/__main__.py``)."""
