"""Recognises a table's CONTRACT ``table_type`` from its title, or from its header when untitled.

Never from position: numbering differs between districts and years. Rules live in
``mappings/table_types.yml``; a 决算 (final account) table gets the ``final_`` prefix.
"""

from __future__ import annotations

from extractors.interpret.mappings import load, norm, pattern


def table_type_for(title: str, header_text: str, is_final_document: bool) -> str | None:
    config = load("table_types")
    n = norm(title)
    is_final = bool(pattern(config["final_marker"]).search(n)) or is_final_document
    for rule in config["rules"]:
        if n and rule.get("title") and pattern(rule["title"]).search(n):
            return _finalised(rule["type"], is_final)
    header = norm(header_text)
    for rule in config["rules"]:
        words = rule.get("header")
        if words and all(w in header for w in words):
            return _finalised(rule["type"], is_final)
    return None


def _finalised(table_type: str, is_final: bool) -> str:
    if not is_final or table_type.startswith("final_"):
        return table_type
    return f"final_{table_type}"


def family_of(table_type: str | None) -> str | None:
    if table_type is None:
        return None
    base = table_type
    for family, types in load("measures")["families"].items():
        if table_type in types:
            return family
    if base.startswith("final_"):
        return family_of(base.removeprefix("final_"))
    return None
