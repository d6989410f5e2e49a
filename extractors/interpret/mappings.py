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
# The classification name → code tables are dbt seeds (their source column says which corpus file
# printed each pair), read here so the interpreter codes rows printed with names only.
SEEDS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"
SUBJECT_SCHEMES = ("function", "economic")

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


@cache
def subject_codes(scheme: str) -> dict[str, frozenset[str]]:
    """Normalised subject name -> every code printed with it (``function`` or ``economic``): the pairs
    of the seed ``<scheme>_subject_names`` and the national class names (类)."""
    codes: dict[str, set[str]] = {}
    if scheme == "function":
        for name, code in function_class_codes().items():
            codes.setdefault(name, set()).add(code)
    else:
        with open(SEEDS_DIR / "economic_classes.csv", encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                codes.setdefault(norm(row["subject_name"]), set()).add(row["subject_code"])
    path = SEEDS_DIR / f"{scheme}_subject_names.csv"
    if path.exists():
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                codes.setdefault(row["subject_name"], set()).add(row["subject_code"])
    return {name: frozenset(found) for name, found in codes.items()}


def scheme_of(code: str) -> str:
    """Function codes start with 2 (201 …), economic codes with 3 (departments) or 5 (governments)."""
    return "function" if code.startswith("2") else "economic"


def subject_key(name: str) -> str:
    """A subject name as the name → code tables key it: normalised, enumerator stripped."""
    return strip_enumerator(norm(name))


@cache
def government_economic_class_codes() -> dict[str, str]:
    """Normalised national government economic class name (政府预算支出经济分类 类: 机关工资福利支出 …),
    and the variants Xi'an prints (机关资本性支出 for 503, 机关资本性支出（基本建设） for 504) -> 3-digit
    code (501 … 599), for lists printing these names without codes (Xi'an summaries)."""
    with open(MAPPINGS_DIR / "government_economic_classes.csv", encoding="utf-8", newline="") as f:
        return {norm(row["name"]): row["code"] for row in csv.DictReader(f)}


def function_class_code(name: str) -> str | None:
    """Class code for a class line named without code ("(一) 一般公共服务支出", "住房保障")."""
    codes = function_class_codes()
    key = strip_enumerator(norm(name))
    return codes.get(key) or codes.get(key + "支出")


def strip_enumerator(text: str) -> str:
    return pattern(load("layout")["enumerator"]).sub("", text)
