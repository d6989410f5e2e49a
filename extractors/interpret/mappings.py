"""Loads the label mappings (``extractors/mappings``): every Chinese label the interpreter knows lives there.

Patterns are matched against ``norm(text)``: NFKC (full-width digits and brackets to ASCII) with all
whitespace removed, because published labels break lines and insert spaces anywhere ("政府性 基金预
算拨款 收入").
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import yaml

MAPPINGS_DIR = Path(__file__).resolve().parents[1] / "mappings"

_WHITESPACE = re.compile(r"\s+")


def norm(text: str) -> str:
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text))


@cache
def load(name: str) -> dict[str, Any]:
    with open(MAPPINGS_DIR / f"{name}.yml", encoding="utf-8") as f:
        return yaml.safe_load(f)


@cache
def pattern(regex: str) -> re.Pattern[str]:
    return re.compile(regex)


def first_match(rules: list[list[str]], text: str) -> str | None:
    """Key of the first ``[key, regex]`` rule whose regex is found in ``text``."""
    for key, regex in rules:
        if pattern(regex).search(text):
            return key
    return None


@cache
def function_class_codes() -> dict[str, str]:
    """Normalised national function class name (类, current and former names) -> 3-digit code."""
    codes: dict[str, str] = {}
    for file_name in ("function_classes.csv", "function_class_aliases.csv"):
        with open(MAPPINGS_DIR / file_name, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                codes.setdefault(norm(row["name"]), row["code"])
    return codes


def function_class_code(name: str) -> str | None:
    """Class code for a class line named without code ("(一) 一般公共服务支出", "住房保障")."""
    codes = function_class_codes()
    key = strip_enumerator(norm(name))
    return codes.get(key) or codes.get(key + "支出")


def strip_enumerator(text: str) -> str:
    return pattern(load("layout")["enumerator"]).sub("", text)
