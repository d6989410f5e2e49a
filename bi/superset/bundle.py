"""dashboards.yml → Superset's import bundle: the ZIP of YAML files Superset's own export writes.

Every object gets a UUID derived from its key in dashboards.yml, so importing again (overwrite)
updates the same database entry, datasets, charts and dashboards instead of adding copies. The
chart parameters and the chart-data query are built from the same declaration, so what the API
answers is what the dashboard shows.
"""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

SPEC = Path(__file__).with_name("dashboards.yml")
VERSION = "1.0.0"
_NAMESPACE = uuid.UUID("6d1f6a0e-4b55-4c1a-9d0e-0b7a1d2c3e4f")  # budgetwh's: keys → stable UUIDs
AMOUNT_FORMAT = ",.2f"
ROW_LIMIT = 10_000


def object_uuid(kind: str, key: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{key}"))


def load_spec(path: Path = SPEC) -> dict[str, Any]:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, chart in spec["charts"].items():
        if chart["dataset"] not in spec["datasets"]:
            raise ValueError(f"chart {key}: unknown dataset {chart['dataset']!r}")
        if chart["kind"] not in ("table", "pivot"):
            raise ValueError(f"chart {key}: kind must be table or pivot, not {chart['kind']!r}")
    for key, dashboard in spec["dashboards"].items():
        unknown = set(dashboard["charts"]) - set(spec["charts"])
        if unknown:
            raise ValueError(f"dashboard {key}: unknown charts {sorted(unknown)}")
    return spec


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _metric(m: dict[str, Any]) -> dict[str, Any]:
    return {"expressionType": "SQL", "sqlExpression": m["sql"], "label": m["label"],
            "hasCustomLabel": True, "optionName": f"metric_{object_uuid('metric', m['label'])[:8]}"}


def _metrics(chart: dict[str, Any]) -> list[dict[str, Any]]:
    return [_metric(m) for m in ([chart["metric"]] if chart["kind"] == "pivot" else chart.get("metrics", []))]


def chart_params(key: str, chart: dict[str, Any], dataset_id: int | None = None) -> dict[str, Any]:
    """The chart's form data, as Superset's explore view saves it."""
    common = {"viz_type": _viz_type(chart), "adhoc_filters": [], "row_limit": ROW_LIMIT,
              "extra_form_data": {}, "dashboards": []}
    if dataset_id is not None:
        common["datasource"] = f"{dataset_id}__table"
    if chart["kind"] == "pivot":
        fmt = chart["metric"].get("format", AMOUNT_FORMAT)
        return {**common, "groupbyRows": chart["rows"], "groupbyColumns": chart["columns"],
                "metrics": _metrics(chart), "metricsLayout": "COLUMNS", "aggregateFunction": "Sum",
                "valueFormat": fmt, "rowOrder": "key_a_to_z", "colOrder": "key_a_to_z",
                "rowTotals": False, "colTotals": False, "transposePivot": False, "combineMetric": False}
    if "raw" in chart:
        return {**common, "query_mode": "raw", "all_columns": chart["raw"], "groupby": [], "metrics": [],
                "order_by_cols": [json.dumps([c, True]) for c in chart.get("order_by", [])],
                "allow_render_html": True, "server_pagination": False, "table_timestamp_format": "smart_date",
                "show_cell_bars": False}
    metrics = _metrics(chart)
    column_config = {m["label"]: {"d3NumberFormat": m.get("format", AMOUNT_FORMAT)} for m in chart["metrics"]}
    return {**common, "query_mode": "aggregate", "groupby": chart["groupby"], "metrics": metrics,
            "all_columns": [], "percent_metrics": [], "order_desc": False, "column_config": column_config,
            "show_cell_bars": False,
            "allow_render_html": True, "server_pagination": False, "table_timestamp_format": "smart_date"}


def _viz_type(chart: dict[str, Any]) -> str:
    return "pivot_table_v2" if chart["kind"] == "pivot" else "table"


def chart_query_context(key: str, chart: dict[str, Any], dataset_id: int) -> dict[str, Any]:
    """The chart-data request the dashboard sends for this chart (``POST /api/v1/chart/data``)."""
    params = chart_params(key, chart, dataset_id)
    order = [[c, True] for c in chart.get("order_by", [])]
    if chart["kind"] == "pivot":
        query = {"columns": [*chart["rows"], *chart["columns"]], "metrics": params["metrics"], "orderby": []}
    elif "raw" in chart:
        query = {"columns": chart["raw"], "metrics": [], "orderby": order}
    else:
        query = {"columns": chart["groupby"], "metrics": params["metrics"], "orderby": order}
    query.update({"filters": [], "extras": {"having": "", "where": ""}, "row_limit": ROW_LIMIT,
                  "annotation_layers": [], "series_limit": 0, "order_desc": False, "url_params": {},
                  "custom_params": {}, "custom_form_data": {}})
    return {"datasource": {"id": dataset_id, "type": "table"}, "force": False, "queries": [query],
            "form_data": params, "result_format": "json", "result_type": "full"}


def _position(title: str, chart_keys: list[str], charts: dict[str, Any]) -> dict[str, Any]:
    position: dict[str, Any] = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
        "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
        "HEADER_ID": {"type": "HEADER", "id": "HEADER_ID", "meta": {"text": title}},
    }
    for n, key in enumerate(chart_keys, 1):  # chartId: a placeholder the import maps to the chart's id
        row, cell = f"ROW-{n}", f"CHART-{key}"
        position["GRID_ID"]["children"].append(row)
        position[row] = {"type": "ROW", "id": row, "children": [cell], "parents": ["ROOT_ID", "GRID_ID"],
                         "meta": {"background": "BACKGROUND_TRANSPARENT"}}
        position[cell] = {"type": "CHART", "id": cell, "children": [], "parents": ["ROOT_ID", "GRID_ID", row],
                          "meta": {"uuid": object_uuid("chart", key), "chartId": n, "width": 12,
                                   "height": charts[key].get("height", 90),
                                   "sliceName": charts[key]["title"]}}
    return position


@dataclass(frozen=True)
class Bundle:
    data: bytes  # the ZIP
    database_file: str  # the bundle's path of the database entry (the import's `passwords` key)


def build(spec: dict[str, Any], sqlalchemy_uri: str, evidence_base_url: str = "") -> Bundle:
    """The import bundle for ``spec``, its database entry pointing at ``sqlalchemy_uri``."""
    root = "budgetwh_superset"
    database_uuid = object_uuid("database", spec["database"])
    files: dict[str, dict[str, Any]] = {
        "metadata.yaml": {"version": VERSION, "type": "Dashboard",
                          "timestamp": datetime.now(UTC).isoformat(timespec="seconds")},
        "databases/budgetwh.yaml": {
            "database_name": spec["database"], "sqlalchemy_uri": sqlalchemy_uri, "cache_timeout": None,
            "expose_in_sqllab": True, "allow_run_async": False, "allow_ctas": False, "allow_cvas": False,
            "allow_dml": False, "allow_csv_upload": False, "extra": {"allows_virtual_table_explore": True},
            "uuid": database_uuid, "version": VERSION},
    }
    for key, dataset in spec["datasets"].items():
        sql = dataset["sql"].replace(":evidence_base_url", _sql_literal(evidence_base_url)).strip()
        files[f"datasets/budgetwh/{key}.yaml"] = {
            "table_name": key, "main_dttm_col": None, "description": dataset.get("description"),
            "default_endpoint": None, "offset": 0, "cache_timeout": None, "schema": None, "sql": sql,
            "params": None, "template_params": None, "filter_select_enabled": True,
            "fetch_values_predicate": None, "extra": None, "uuid": object_uuid("dataset", key),
            "metrics": [], "columns": [], "version": VERSION, "database_uuid": database_uuid}
    for key, chart in spec["charts"].items():
        files[f"charts/{key}.yaml"] = {
            "slice_name": chart["title"], "description": None, "certified_by": None,
            "certification_details": None, "viz_type": _viz_type(chart), "params": chart_params(key, chart),
            "query_context": None, "cache_timeout": None, "uuid": object_uuid("chart", key),
            "version": VERSION, "dataset_uuid": object_uuid("dataset", chart["dataset"])}
    for key, dashboard in spec["dashboards"].items():
        files[f"dashboards/{key}.yaml"] = {
            "dashboard_title": dashboard["title"], "description": None, "css": "", "slug": key,
            "uuid": object_uuid("dashboard", key), "published": True,
            "position": _position(dashboard["title"], dashboard["charts"], spec["charts"]),
            "metadata": {"color_scheme": "", "refresh_frequency": 0, "expanded_slices": {},
                         "label_colors": {}, "timed_refresh_immune_slices": [], "default_filters": "{}",
                         "native_filter_configuration": [], "cross_filters_enabled": False},
            "version": VERSION}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            zf.writestr(f"{root}/{name}", yaml.safe_dump(content, allow_unicode=True, sort_keys=False))
    return Bundle(out.getvalue(), "databases/budgetwh.yaml")
