"""Write–audit–publish: a run builds and validates an AUDIT copy; only then does it become public.

Readers see one of three things, each replaced as a whole, never half-written:

- ``published/warehouse.duckdb``: read-only file, replaced with ``os.replace`` of a complete copy.
  A reader holding the old file keeps reading the old inode until it closes it.
- ``published/parquet/<mart>.parquet`` and ``published/docs/`` (dbt docs): ``parquet`` and ``docs``
  are symlinks flipped with ``os.replace`` to a fully written sibling directory.
- PostgreSQL schemas ``marts`` and ``analyst`` (for BI tools): loaded into staging schemas, then
  renamed into place together in one transaction; every table and column carries its dbt description
  as a comment (read from the DuckDB comments dbt's persist_docs writes), and the primary and foreign
  keys the models' yml declare (``config.meta.primary_key`` / ``foreign_keys``) are constraints.

Everything is prepared first (copy, exports, docs, the PostgreSQL staging schema) and swapped last,
so a run that fails or is killed while preparing leaves the last publication untouched; leftovers
are swept by the next run. ``publication.json`` says which run is published.

``python -m extractors.publish --audit FILE --publish-dir DIR --run-id ID`` publishes without Airflow.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from extractors.orchestration_config import OrchestrationConfig
from extractors.orchestration_config import dbt_project_dir as default_dbt_project_dir

MART_SCHEMA = "marts"
ANALYST_SCHEMA = "analyst"  # tables over the marts for BI (dbt_project/models/analyst)
PUBLISHED_SCHEMAS = (MART_SCHEMA, ANALYST_SCHEMA)
MANIFEST = "publication.json"
_INCOMING = ".incoming-"  # prefix of a publication being prepared; swept when found stale

# DuckDB column type → PostgreSQL column type; DECIMAL keeps its precision (amounts are never floats).
_PG_TYPES = {
    "VARCHAR": "text",
    "BOOLEAN": "boolean",
    "TINYINT": "smallint",
    "SMALLINT": "smallint",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "HUGEINT": "numeric(38, 0)",
    "DOUBLE": "double precision",
    "FLOAT": "real",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "UUID": "uuid",
    "JSON": "jsonb",
}
_DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")


class PublishRefused(Exception):
    """The audit warehouse may not be published (not validated, or failing rules under the strict policy)."""


@dataclass
class Publication:
    run_id: str
    published_at: str
    warehouse: str
    validation_errors: int
    marts: dict[str, int] = field(default_factory=dict)  # row counts, the same in every target
    analyst: dict[str, int] = field(default_factory=dict)  # the analyst tables' row counts
    parquet_dir: str | None = None
    docs_dir: str | None = None
    postgres_schema: str | None = None


def prepare_audit(published: Path, audit: Path) -> Path:
    """Start a run's audit warehouse as a copy of the last publication (empty when there is none).

    Building on a copy means a run that dies halfway leaves nothing behind that the next run trusts.
    """
    audit.parent.mkdir(parents=True, exist_ok=True)
    for stale in (audit, audit.with_name(audit.name + ".wal")):
        stale.unlink(missing_ok=True)
    if published.exists():
        shutil.copyfile(published, audit)  # copyfile does not carry the read-only mode over
    return audit


def publish(
    audit: Path,
    publish_dir: Path,
    *,
    run_id: str,
    validation_errors: int | None,
    requires_clean: bool = False,
    postgres_uri: str | None = None,
    postgres_reader: str | None = None,
    dbt_project_dir: Path | None = None,
    dbt_profiles_dir: Path | None = None,
) -> Publication:
    """Publish the validated audit warehouse to every target, or refuse and leave the publication as is.

    ``validation_errors`` is the validation step's count of failed error-level rules; ``None`` means
    validation did not run, which always refuses. Failed rules about source documents are findings,
    published like any data, unless ``requires_clean``.
    """
    import duckdb

    _check_validated(audit, run_id, validation_errors, requires_clean)
    publish_dir.mkdir(parents=True, exist_ok=True)
    _sweep(publish_dir)
    incoming = publish_dir / f"{_INCOMING}{uuid.uuid4().hex[:12]}"
    incoming.mkdir()
    try:
        warehouse = incoming / "warehouse.duckdb"
        _copy_checkpointed(audit, warehouse)
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            relations = {schema: _mart_counts(con, schema) for schema in PUBLISHED_SCHEMAS}
            _export_parquet(con, relations, incoming / "parquet")
            if postgres_uri:
                _load_postgres_staging(con, relations, postgres_uri, incoming, postgres_reader,
                                       _declared_keys(dbt_project_dir or default_dbt_project_dir()))
        finally:
            con.close()
        docs = incoming / "docs"
        if dbt_project_dir:
            _dbt_docs(warehouse, dbt_project_dir, dbt_profiles_dir or dbt_project_dir, docs)
        _copy_data_docs(audit, docs / "data_quality")
        _evidence_site(warehouse, docs / "evidence", docs / "data_quality")
        warehouse.chmod(0o444)
        stamp = datetime.now(UTC)
        version = f"{stamp:%Y%m%dT%H%M%S}-{incoming.name.removeprefix(_INCOMING)}"
        # Swaps last, PostgreSQL first: it is the one likely to fail (network), and fails before any other.
        if postgres_uri:
            _swap_postgres(postgres_uri, [schema for schema, names in relations.items() if names])
        parquet_dir = _flip(publish_dir / "parquet", incoming / "parquet", version)
        docs_dir = _flip(publish_dir / "docs", docs, version) if docs.exists() else None
        os.replace(warehouse, publish_dir / "warehouse.duckdb")
        publication = Publication(
            run_id=run_id,
            published_at=stamp.isoformat(timespec="seconds"),
            warehouse=str(publish_dir / "warehouse.duckdb"),
            validation_errors=validation_errors or 0,
            marts=relations[MART_SCHEMA],
            analyst=relations[ANALYST_SCHEMA],
            parquet_dir=str(parquet_dir),
            docs_dir=str(docs_dir) if docs_dir else None,
            postgres_schema=MART_SCHEMA if postgres_uri else None,
        )
        _write_atomically(publish_dir / MANIFEST, json.dumps(asdict(publication), indent=2))
        return publication
    finally:
        shutil.rmtree(incoming, ignore_errors=True)


def start_run(config: OrchestrationConfig, run_id: str) -> dict[str, str]:
    """A run's working paths, its audit warehouse started from the publication (what the DAG passes on).

    The default inbox is created, so a night with nothing dropped in it ingests nothing rather than fails.
    """
    config.inbox_dir.mkdir(parents=True, exist_ok=True)
    audit = prepare_audit(config.published_warehouse, config.audit_warehouse(run_id))
    return {"run_id": run_id, "audit": str(audit), "extracted": str(config.extract_dir)}


def publish_run(config: OrchestrationConfig, run: dict[str, str], validation_errors: int | None) -> dict:
    """Publish a run started by ``start_run`` with the configured targets, then drop its working files.

    A failed run keeps its files for inspection (the next run starts from the publication anyway).
    """
    publication = publish(
        Path(run["audit"]), config.publish_dir, run_id=run["run_id"], validation_errors=validation_errors,
        requires_clean=config.publish_requires_clean, postgres_uri=config.postgres_uri,
        postgres_reader=config.postgres_reader, dbt_project_dir=config.dbt_project_dir,
        dbt_profiles_dir=config.dbt_profiles_dir)
    shutil.rmtree(config.run_dir(run["run_id"]), ignore_errors=True)
    return asdict(publication)


def current(publish_dir: Path) -> Publication | None:
    """What is published now, from ``publication.json`` (None before the first publication)."""
    path = publish_dir / MANIFEST
    return Publication(**json.loads(path.read_text())) if path.exists() else None


def _check_validated(audit: Path, run_id: str, errors: int | None, requires_clean: bool) -> None:
    import duckdb

    if errors is None:
        raise PublishRefused(f"run {run_id}: validation did not run; the audit warehouse stays unpublished")
    if requires_clean and errors:
        raise PublishRefused(f"run {run_id}: {errors} error-level rule(s) failed and publishing requires "
                             f"a clean validation (BUDGETWH_PUBLISH_REQUIRES_CLEAN)")
    if not audit.exists():
        raise PublishRefused(f"run {run_id}: audit warehouse {audit} does not exist")
    con = duckdb.connect(str(audit), read_only=True)
    try:
        documents = _scalar(con, "select count(*) from staging.documents where status = 'loaded'")
        checked = _scalar(con, "select count(*) from validation.rule_results where run_id = ?", run_id)
        has_marts = _scalar(con, "select count(*) from information_schema.tables where table_schema = ?",
                            MART_SCHEMA)
    finally:
        con.close()
    if documents and not checked:
        raise PublishRefused(f"run {run_id}: {audit} has {documents} loaded document(s) but no rule results "
                             f"for this run; validate before publishing")
    if not has_marts:
        raise PublishRefused(f"run {run_id}: {audit} has no schema {MART_SCHEMA}; run dbt before publishing")


def _copy_checkpointed(audit: Path, target: Path) -> None:
    """Copy the audit file with everything in it: a checkpoint folds the write-ahead log into the file."""
    import duckdb

    con = duckdb.connect(str(audit))
    try:
        con.execute("checkpoint")
    finally:
        con.close()
    wal = audit.with_name(audit.name + ".wal")
    if wal.exists() and wal.stat().st_size:
        raise RuntimeError(f"{wal} still holds changes after a checkpoint; is another process writing it?")
    shutil.copyfile(audit, target)
    with open(target, "rb") as f:
        os.fsync(f.fileno())


def _mart_counts(con, schema: str = MART_SCHEMA) -> dict[str, int]:
    """Row counts of the schema's tables, by name."""
    names = [r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = ? order by table_name",
        [schema]).fetchall()]
    return {name: _scalar(con, f'select count(*) from {schema}."{name}"') for name in names}


def _scalar(con, sql: str, *params):
    return con.execute(sql, list(params)).fetchone()[0]


def _copy_mart(con, name: str, target: Path, options: str, schema: str = MART_SCHEMA) -> None:
    con.execute(f"copy (select * from {schema}.\"{name}\") to '{target}' ({options})")


def _export_parquet(con, relations: dict[str, dict[str, int]], out: Path) -> None:
    """One file per mart and analyst table (their names do not collide: analyst_*), DECIMAL kept."""
    out.mkdir()
    for schema, names in relations.items():
        for name in names:
            _copy_mart(con, name, out / f"{name}.parquet", "format parquet", schema)


def _pg_type(duckdb_type: str) -> str:
    if m := _DECIMAL.fullmatch(duckdb_type):
        return f"numeric({m[1]}, {m[2]})"
    try:
        return _PG_TYPES[duckdb_type]
    except KeyError:
        raise ValueError(f"no PostgreSQL type for DuckDB type {duckdb_type}; add one to _PG_TYPES") from None


def _pg_staging_schema(schema: str = MART_SCHEMA) -> str:
    return f"{schema}__incoming"


@dataclass
class ForeignKey:
    columns: list[str]
    references: str  # a mart (schema marts)
    to_columns: list[str]


@dataclass
class Keys:
    primary_key: list[str] = field(default_factory=list)
    foreign_keys: list[ForeignKey] = field(default_factory=list)


def _declared_keys(project_dir: Path) -> dict[str, Keys]:
    """The keys the models' yml declare (``config.meta.primary_key``, ``config.meta.foreign_keys``), by
    model name: dbt's data tests check them in DuckDB (unique, not_null, relationships), PostgreSQL
    enforces them in the publication, and BI tools read the joins from its catalog."""
    import yaml

    keys = {}
    for path in sorted(Path(project_dir, "models").rglob("*.yml")):
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []):
            meta = (model.get("config") or {}).get("meta") or {}
            if "primary_key" in meta or "foreign_keys" in meta:
                keys[model["name"]] = Keys(meta.get("primary_key", []), [
                    ForeignKey(fk["columns"], fk["references"], fk.get("to_columns", fk["columns"]))
                    for fk in meta.get("foreign_keys", [])])
    return keys


def _comments(con, schema: str) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """The DuckDB comments (dbt descriptions, persist_docs) of a schema's relations and columns."""
    relations = dict(con.execute(
        "select table_name, comment from duckdb_tables() where schema_name = $s and comment is not null "
        "union all select view_name, comment from duckdb_views() where schema_name = $s "
        "and comment is not null", {"s": schema}).fetchall())
    columns = {(t, c): comment for t, c, comment in con.execute(
        "select table_name, column_name, comment from duckdb_columns() where schema_name = ? "
        "and comment is not null", [schema]).fetchall()}
    return relations, columns


def _quoted(names: Sequence[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)


def _load_postgres_staging(con, relations: dict[str, dict[str, int]], uri: str, scratch: Path,
                           reader: str | None, keys: dict[str, Keys] | None = None) -> None:
    """Create every mart and analyst table in a fresh staging schema, COPY its rows in (CSV
    written by DuckDB), comment it and declare its keys (primary keys first, then foreign keys, which
    reference the marts' staging schema and follow it through the rename).

    Grants travel with the schema through the rename, so the BI login's read access is granted here.
    """
    import psycopg2

    keys = keys or {}
    pg = psycopg2.connect(uri)
    try:
        with pg, pg.cursor() as cur:
            for schema, names in relations.items():
                staging = _pg_staging_schema(schema)
                cur.execute(f'drop schema if exists "{staging}" cascade')
                if not names:
                    continue
                cur.execute(f'create schema "{staging}"')
                relation_comments, column_comments = _comments(con, schema)
                for name in names:
                    columns = con.execute(
                        "select column_name, data_type from information_schema.columns "
                        "where table_schema = ? and table_name = ? order by ordinal_position",
                        [schema, name]).fetchall()
                    ddl = ", ".join(f'"{col}" {_pg_type(typ)}' for col, typ in columns)
                    cur.execute(f'create table "{staging}"."{name}" ({ddl})')
                    csv_path = scratch / f"{schema}.{name}.csv"
                    # DuckDB writes NULL unquoted-empty and '' quoted, as PostgreSQL's CSV COPY reads them.
                    _copy_mart(con, name, csv_path, "format csv, header false", schema)
                    with open(csv_path, encoding="utf-8") as f:
                        cur.copy_expert(f'copy "{staging}"."{name}" from stdin with (format csv)', f)
                    csv_path.unlink()
                    if name in relation_comments:
                        cur.execute(f'comment on table "{staging}"."{name}" is %s', [relation_comments[name]])
                    for col, _ in columns:
                        if (name, col) in column_comments:
                            cur.execute(f'comment on column "{staging}"."{name}"."{col}" is %s',
                                        [column_comments[name, col]])
                    if keys.get(name) and keys[name].primary_key:
                        cur.execute(f'alter table "{staging}"."{name}" add constraint "{name}_pkey" '
                                    f"primary key ({_quoted(keys[name].primary_key)})")
            marts = _pg_staging_schema(MART_SCHEMA)
            for schema, names in relations.items():
                staging = _pg_staging_schema(schema)
                for name in names:
                    for fk in keys[name].foreign_keys if name in keys else ():
                        if fk.references not in relations[MART_SCHEMA]:
                            continue
                        constraint = f'{name}_{"_".join(fk.columns)}_fkey'
                        cur.execute(
                            f'alter table "{staging}"."{name}" add constraint "{constraint}" '
                            f"foreign key ({_quoted(fk.columns)}) "
                            f'references "{marts}"."{fk.references}" ({_quoted(fk.to_columns)})')
                if reader and names:
                    cur.execute(f'grant usage on schema "{staging}" to "{reader}"')
                    cur.execute(f'grant select on all tables in schema "{staging}" to "{reader}"')
    finally:
        pg.close()


def _swap_postgres(uri: str, schemas: Sequence[str] = (MART_SCHEMA,)) -> None:
    """Rename the staging schemas into place in one transaction: BI queries see old or new, never a mix.

    A published schema this publication does not have (an audit warehouse built before the analyst layer)
    is dropped: the analyst tables must not outlive the marts they were computed from.
    """
    import psycopg2

    pg = psycopg2.connect(uri)
    try:
        with pg, pg.cursor() as cur:
            cur.execute("select pg_advisory_xact_lock(hashtext('budgetwh.publish'))")
            for schema in PUBLISHED_SCHEMAS:
                previous = f"{schema}__previous"
                cur.execute(f'drop schema if exists "{previous}" cascade')
                cur.execute("select 1 from information_schema.schemata where schema_name = %s", [schema])
                if cur.fetchone():
                    cur.execute(f'alter schema "{schema}" rename to "{previous}"')
            for schema in schemas:
                cur.execute(f'alter schema "{_pg_staging_schema(schema)}" rename to "{schema}"')
            for schema in PUBLISHED_SCHEMAS:
                cur.execute(f'drop schema if exists "{schema}__previous" cascade')
    finally:
        pg.close()


def _dbt_docs(warehouse: Path, project_dir: Path, profiles_dir: Path, out: Path) -> None:
    """``dbt docs generate --static`` against the publication itself, so the docs describe what is public."""
    from extractors.orchestration_config import DBT_EXECUTABLE

    with tempfile.TemporaryDirectory(prefix="budgetwh-dbt-docs-") as target:
        env = {**os.environ, "BUDGETWH_WAREHOUSE": str(warehouse), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
        result = subprocess.run(
            [str(DBT_EXECUTABLE), "docs", "generate", "--static", "--project-dir", str(project_dir),
             "--profiles-dir", str(profiles_dir), "--target-path", target],
            env=env, capture_output=True, text=True, check=False)
        if result.returncode:
            tail = "\n".join(result.stdout.splitlines()[-15:])
            raise RuntimeError(f"dbt docs generate failed (exit {result.returncode}):\n{tail}")
        out.mkdir(parents=True, exist_ok=True)
        for name in ("index.html", "static_index.html", "manifest.json", "catalog.json"):
            shutil.copyfile(Path(target) / name, out / name)


def _copy_data_docs(audit: Path, out: Path) -> None:
    """The Great Expectations Data Docs of the run's validation, when it wrote any, beside the dbt docs."""
    from expectations.runner import data_docs_index

    site = data_docs_index(audit).parent
    if site.is_dir():
        shutil.copytree(site, out)


def _evidence_site(warehouse: Path, out: Path, data_docs: Path) -> None:
    """The evidence site of the published findings beside the Data Docs, whose failures link into it."""
    from expectations.evidence import build_site

    build_site(warehouse, out, data_docs)


def _flip(link: Path, new_dir: Path, version: str) -> Path:
    """Move ``new_dir`` beside ``link`` as ``<link>.<version>`` and point ``link`` at it atomically."""
    if link.exists() and not link.is_symlink():
        raise RuntimeError(f"{link} is a real directory; publication expects a symlink there (move it away)")
    previous = link.resolve() if link.is_symlink() else None
    target = link.with_name(f"{link.name}.{version}")
    os.replace(new_dir, target)
    tmp_link = link.with_name(f"{_INCOMING}{link.name}-{version}")
    os.symlink(target.name, tmp_link)  # relative: the publish dir can be mounted anywhere
    os.replace(tmp_link, link)
    if previous and previous != target:
        shutil.rmtree(previous, ignore_errors=True)
    return link


def _sweep(publish_dir: Path) -> None:
    """Remove what a killed publication left: incoming dirs and versions no symlink points at."""
    live = {p.resolve() for p in (publish_dir / "parquet", publish_dir / "docs") if p.is_symlink()}
    for path in publish_dir.iterdir():
        stale_version = path.name.startswith(("parquet.", "docs.")) and path.resolve() not in live
        if path.name.startswith(_INCOMING) or stale_version:
            if path.is_symlink() or path.is_file():
                path.unlink()
            else:
                shutil.rmtree(path, ignore_errors=True)


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f"{_INCOMING}{path.name}")
    tmp.write_text(text)
    os.replace(tmp, path)


def main(argv: Sequence[str] | None = None) -> int:
    from extractors import orchestration_config

    config = orchestration_config.load()
    parser = argparse.ArgumentParser(prog="python -m extractors.publish", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--audit", type=Path, required=True, help="the validated audit warehouse")
    parser.add_argument("--publish-dir", type=Path, default=config.publish_dir)
    parser.add_argument("--run-id", required=True, help="the run whose validation results it holds")
    parser.add_argument("--validation-errors", type=int, required=True,
                        help="failed error-level rules reported by the validate step")
    parser.add_argument("--requires-clean", action="store_true", default=config.publish_requires_clean)
    parser.add_argument("--postgres-uri", default=config.postgres_uri)
    parser.add_argument("--postgres-reader", default=config.postgres_reader, help="role granted read access")
    parser.add_argument("--no-docs", action="store_true", help="skip dbt docs generate")
    args = parser.parse_args(argv)
    publication = publish(
        args.audit, args.publish_dir, run_id=args.run_id, validation_errors=args.validation_errors,
        requires_clean=args.requires_clean, postgres_uri=args.postgres_uri,
        postgres_reader=args.postgres_reader,
        dbt_project_dir=None if args.no_docs else config.dbt_project_dir,
        dbt_profiles_dir=config.dbt_profiles_dir)
    print(json.dumps(asdict(publication), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
