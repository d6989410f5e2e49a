-- The staging schema the loader owns (and validation.rule_results), created on every connection
-- (``extractors.load``); named groups of statements (`-- name: ...`).

-- name: schema
create schema if not exists staging;

create table if not exists staging.documents (
    document_id varchar primary key,
    sha256 varchar not null,
    source_path varchar,
    source_url varchar,
    file_type varchar,
    document_type varchar,
    fiscal_year integer,
    province_name varchar,
    region_name varchar,
    department_name varchar,
    unit_code varchar,
    title varchar,
    page_count integer,
    status varchar not null,
    error_code varchar,
    error_message varchar,
    numeric_cell_count integer,
    published_date date,
    extractor_version varchar not null,
    loaded_at timestamp not null default current_timestamp
);

create table if not exists staging.tables (
    document_id varchar not null,
    table_index integer not null,
    table_type varchar,
    title varchar,
    label varchar,
    unit_name varchar,
    page_first integer,
    page_last integer,
    project_code varchar,
    project_name varchar,
    is_empty boolean not null,
    note varchar,
    header_json varchar
);

create table if not exists staging.cells (
    document_id varchar not null,
    table_index integer not null,
    row_index integer not null,
    col_index integer not null,
    row_kind varchar not null,
    row_group varchar,
    row_code varchar,
    row_name varchar,
    column_label varchar,
    measure varchar,
    fiscal_year integer,
    is_prior_year boolean not null,
    raw_text varchar,
    amount decimal(24, 6),
    page integer,
    x0 double, top double, x1 double, bottom double,
    inferred boolean not null,
    confidence double,
    row_qualifier varchar
);

create table if not exists staging.narrative_figures (
    document_id varchar not null,
    figure_key varchar not null,
    fiscal_year integer,
    amount decimal(24, 6) not null,
    sentence varchar,
    page integer,
    subject_name varchar,
    unit_name varchar,
    raw_text varchar
);

create table if not exists staging.extraction_issues (
    document_id varchar not null,
    table_index integer,
    severity varchar not null,
    code varchar not null,
    message varchar not null,
    page integer,
    x0 double, top double, x1 double, bottom double
);

create schema if not exists validation;

-- Written by expectations.runner, one row per rule checked at one place; dbt conforms it into
-- marts.fct_reconciliation_result. Created here so dbt can build before the first validation.
create table if not exists validation.rule_results (
    run_id varchar not null,
    document_id varchar,
    rule_id varchar not null,
    rule_kind varchar not null,
    severity varchar not null,
    passed boolean not null,
    table_type varchar,
    table_index integer,
    subject_code varchar,
    fiscal_year integer,
    expected_amount decimal(18, 2),
    actual_amount decimal(18, 2),
    difference decimal(18, 2),
    tolerance decimal(18, 2),
    page integer,
    message varchar,
    hint varchar,
    suggested_value decimal(18, 2),
    checked_at timestamp not null default current_timestamp
);
-- The rule's own severity, and why a failed error-level check is only an extraction doubt (the issue
-- codes of its table; ``severity`` is then warning). Added in place to warehouses made before them.
alter table validation.rule_results add column if not exists rule_severity varchar;
alter table validation.rule_results add column if not exists doubt varchar;

-- name: load_batch
-- One batch of extracted documents ($ids, their Parquet folders' files $documents, $tables, ...), each
-- replacing its old rows, in the caller's transaction. Re-loading the same bytes is not a new
-- version: each document keeps when it first came.
create or replace temp table _loading as select unnest($ids::varchar[]) as document_id;

create or replace temp table _first_loaded as
select
    document_id,
    loaded_at
from staging.documents
where document_id in (select loading.document_id from _loading as loading);

delete from staging.tables
where document_id in (select document_id from _loading);
delete from staging.cells
where document_id in (select document_id from _loading);
delete from staging.narrative_figures
where document_id in (select document_id from _loading);
delete from staging.extraction_issues
where document_id in (select document_id from _loading);
delete from staging.documents
where document_id in (select document_id from _loading);

insert into staging.documents by name select * from read_parquet($documents);
insert into staging.tables by name select * from read_parquet($tables);
insert into staging.cells by name select * from read_parquet($cells);
insert into staging.narrative_figures by name select * from read_parquet($narrative_figures);
insert into staging.extraction_issues by name select * from read_parquet($extraction_issues);

update staging.documents as d set loaded_at = f.loaded_at
from _first_loaded as f
where d.document_id = f.document_id;

-- name: end_batch
drop table if exists _loading;
drop table if exists _first_loaded;
