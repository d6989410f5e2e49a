"""Where the orchestrated pipeline keeps its files and whom it talks to: one place, read from the environment.

The DAG, ``extractors.publish`` and the compose file all resolve paths and connections here, so a
deployment changes environment variables (see ``.env.example``), never code. Importing this module is
cheap (standard library only): DAG files import it at parse time.

Layout under ``BUDGETWH_DATA_DIR`` (one volume in compose):

    inbox/              documents dropped by hand; the DAG reads them when no crawl sources are set
    archive/            what the crawler fetched, kept as published
    runs/<run>/audit.duckdb      the run's AUDIT copy of the warehouse: built and validated, not yet public
    extracted/          per-document staging Parquet written by the mapped extract tasks, until loaded
    published/warehouse.duckdb   the last validated warehouse, read-only, replaced atomically
    published/parquet/           one Parquet file per mart (a symlink flipped atomically to a complete dir)
    published/docs/             dbt docs of the published warehouse
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_HOME = Path(os.environ.get("BUDGETWH_HOME", Path(__file__).resolve().parents[1]))

# Airflow pool that serialises every task writing the run's DuckDB file: DuckDB allows one writing
# process per file, and Cosmos renders independent dbt models as tasks that could otherwise overlap.
WAREHOUSE_POOL = "budgetwh_warehouse"

DAG_TIMEZONE = "Asia/Shanghai"

# The dbt of the interpreter running Airflow: Cosmos renders the project with ``dbt ls`` in a subprocess.
DBT_EXECUTABLE = Path(sys.executable).with_name("dbt")


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name}={value!r}: expected true/false")


@dataclass(frozen=True)
class OrchestrationConfig:
    data_dir: Path
    dbt_project_dir: Path
    dbt_profiles_dir: Path
    sources_file: Path | None  # crawl these portals; None: read the inbox folder instead
    postgres_uri: str | None  # publish marts here for BI tools; None: DuckDB and Parquet only
    postgres_reader: str | None  # role granted read access to each published marts schema
    publish_requires_clean: bool  # refuse to publish when error-level rules failed
    alert_webhook_url: str | None
    task_retries: int  # per task, with exponential backoff; tests set 0 to fail fast

    @property
    def inbox_dir(self) -> Path:
        return self.data_dir / "inbox"

    @property
    def archive_dir(self) -> Path:
        return self.data_dir / "archive"

    @property
    def publish_dir(self) -> Path:
        return self.data_dir / "published"

    @property
    def published_warehouse(self) -> Path:
        return self.publish_dir / "warehouse.duckdb"

    def run_dir(self, run_id: str) -> Path:
        """A directory name safe on every filesystem for an Airflow run id (which carries ':' and '+')."""
        return self.data_dir / "runs" / re.sub(r"[^A-Za-z0-9_.-]", "_", run_id)

    def audit_warehouse(self, run_id: str) -> Path:
        return self.run_dir(run_id) / "audit.duckdb"

    @property
    def extract_dir(self) -> Path:
        """Shared by runs: a run killed during extraction leaves its finished documents to the next."""
        return self.data_dir / "extracted"


@dataclass(frozen=True)
class ExtractionLimits:
    """What one document may cost a worker; a document over a limit is rejected with the limit's
    ``error_code`` (in brackets) and the run goes on. Each is read from ``BUDGETWH_<NAME>`` (upper case).

    The wall-clock limit is ``seconds_base + seconds_per_mb`` × file size ``+ seconds_per_page`` × pages
    (``seconds_per_ocr_page`` for scanned ones), at most ``seconds_ceiling`` [timeout]; the worker is
    killed and replaced.
    """

    seconds_base: float = 60.0
    seconds_per_mb: float = 10.0  # formats without pages: a 20 MB web page is parsed whole
    seconds_per_page: float = 1.0
    seconds_per_ocr_page: float = 15.0
    seconds_ceiling: float = 900.0  # the DAG's extract task times out after 15 minutes
    max_pages: int = 2000  # [too_many_pages]
    max_chars_per_page: int = 30000  # a dense A4 table page holds 3-6k [too_many_cells]
    max_cells: int = 500000  # per document, every format [too_many_cells]
    max_ocr_pages: int = 120  # OCR reads 0.1-0.3 pages/s [too_large]
    memory_mb: int = 1536  # resident memory of a worker, watched by the supervisor [memory]
    address_space_mb: int = 4096  # RLIMIT_AS of a worker: virtual, so above memory_mb (mapped libraries,
    # thread stacks); stops an allocation too fast for the supervisor to see [memory]


def extraction_limits() -> ExtractionLimits:
    from dataclasses import fields

    values: dict[str, int | float] = {}
    for f in fields(ExtractionLimits):
        raw = os.environ.get(f"BUDGETWH_{f.name.upper()}")
        if raw:
            values[f.name] = int(raw) if isinstance(f.default, int) else float(raw)
    return ExtractionLimits(**values)  # type: ignore[arg-type]  # each value has its field's type


@dataclass(frozen=True)
class ValidationSettings:
    """How the rule catalogue's run spends memory and Great Expectations' time (``expectations.runner``),
    each read from the environment variable named beside it when a validation starts."""

    # BUDGETWH_GX_PER_DOCUMENT_LIMIT: up to this many documents, one GX checkpoint (and Data Docs page)
    # per document; beyond it one checkpoint judges the run's compact frame.
    per_document_pages_limit: int = 20
    # BUDGETWH_VALIDATE_ONE_PASS_DOCUMENTS: up to this many documents a run is checked in one pass and its
    # places are held whole (the summary's results list them all): 484 documents' 218k places took such
    # a run on 1 M documents to 1,777 MiB.
    one_pass_documents: int = 200
    # BUDGETWH_VALIDATE_BATCH_DOCUMENTS: beyond it, a run is checked in batches of this many documents (a
    # department's years together), so DuckDB's work is one batch's, and only its failures are kept.
    batch_documents: int = 500
    # BUDGETWH_VALIDATE_CHUNK_PLACES: a batch's places are made, stored and forgotten this many at a time:
    # a batch held whole (≈ 230k places of 500 documents at ≈ 1.6 KB each as Python objects) took a
    # 10k-document validation of a 1 M-document warehouse to 2.2 GB, beside DuckDB's own gigabyte.
    chunk_places: int = 20000


_VALIDATION_ENV = {
    "per_document_pages_limit": "BUDGETWH_GX_PER_DOCUMENT_LIMIT",
    "one_pass_documents": "BUDGETWH_VALIDATE_ONE_PASS_DOCUMENTS",
    "batch_documents": "BUDGETWH_VALIDATE_BATCH_DOCUMENTS",
    "chunk_places": "BUDGETWH_VALIDATE_CHUNK_PLACES",
}


def validation_settings() -> ValidationSettings:
    return ValidationSettings(**{name: int(os.environ[variable]) for name, variable in _VALIDATION_ENV.items()
                                 if os.environ.get(variable)})


def dbt_project_dir() -> Path:
    """The dbt project every build uses: the pipeline's ``transform``, the DAG's Cosmos group and
    publish's docs."""
    return Path(os.environ.get("BUDGETWH_DBT_PROJECT_DIR", PROJECT_HOME / "dbt_project"))


def dbt_profiles_dir() -> Path:
    return Path(os.environ.get("DBT_PROFILES_DIR", PROJECT_HOME / "dbt_project"))


def load() -> OrchestrationConfig:
    sources = os.environ.get("BUDGETWH_SOURCES")
    return OrchestrationConfig(
        data_dir=Path(os.environ.get("BUDGETWH_DATA_DIR", PROJECT_HOME / "var")),
        dbt_project_dir=dbt_project_dir(),
        dbt_profiles_dir=dbt_profiles_dir(),
        sources_file=Path(sources) if sources else None,
        postgres_uri=os.environ.get("BUDGETWH_PUBLISH_POSTGRES_URI") or None,
        postgres_reader=os.environ.get("BUDGETWH_PUBLISH_POSTGRES_READER") or None,
        publish_requires_clean=_flag("BUDGETWH_PUBLISH_REQUIRES_CLEAN", False),
        alert_webhook_url=os.environ.get("BUDGETWH_ALERT_WEBHOOK_URL") or None,
        task_retries=int(os.environ.get("BUDGETWH_TASK_RETRIES", "2")),
    )
