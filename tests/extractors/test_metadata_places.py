"""Province and region read from a department's published name (issue 17: a region parser that ate the
prefix of 城市管理局 filed 13 % of 江津区's spending under a region "江津区城市"), and the article's
publication date the crawler hands to extraction."""

from __future__ import annotations

import pytest

from extractors.extract import extract_file
from extractors.generator import render, synthesize
from extractors.interpret import published_date
from extractors.interpret.metadata import place_of


@pytest.mark.parametrize(("department", "place"), [
    ("重庆市江津区城市管理局", ("重庆市", "江津区")),
    ("重庆市江津区城乡建设委员会", ("重庆市", "江津区")),
    ("重庆市城市管理局", ("重庆市", None)),
    ("重庆市綦江区政务服务管理办公室", ("重庆市", "綦江区")),
    ("重庆市江津区市场监督管理局", ("重庆市", "江津区")),
    ("重庆市酉阳县城市管理局", ("重庆市", "酉阳县")),
    ("四川省武侯区城市管理局", ("四川省", "武侯区")),
    ("四川省成都市城市管理局", ("四川省", "成都市")),
    ("四川省成都市武侯区城市管理局", ("四川省", "武侯区")),
    ("上海市普陀区规划和自然资源局", ("上海市", "普陀区")),
])
def test_place_of_keeps_the_department_name_out_of_the_region(department, place):
    assert place_of(department) == place


def test_a_generated_city_management_bureau_is_filed_under_its_district(tmp_path):
    spec = synthesize(3, "江津区", "城市管理局", 2023, "budget")
    path = render(spec, "text", tmp_path)
    document = extract_file(path).document
    assert (document.department_name, document.province_name, document.region_name) == (
        "重庆市江津区城市管理局", "重庆市", "江津区")


@pytest.mark.parametrize(("given", "expected"), [
    ("2024-02-13", "2024-02-13"),
    ("2024年2月3日", "2024-02-03"),
    ("2024/02/13 10:30", "2024-02-13"),
    ("2024-02-30", None),
    ("", None),
])
def test_published_date_from_the_article_metadata(given, expected):
    assert published_date({"article_publish_date": given}) == expected
    assert published_date({}) is None
