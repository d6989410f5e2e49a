-- The documents a run checks (scope_documents) and the documents their rules read (input_documents),
-- made by expectations.runner before views.sql; one named group of statements each (`-- name: ...`).

-- name: near
-- A document's findings change when it changes or when the same department's document of the same type
-- a year before or after does: BW-NAR-006 and BW-XDC-001 read the prior year's document, so a new
-- year-N document changes year N+1's findings too. The year N±1 documents read their own adjacent
-- years in turn, so the rules read two years either side. BW-XDC-002 reads every staged document (one
-- row each): its gaps (document_id null) are about the whole warehouse, and the latest run that
-- reports any stands for all of them.
create or replace temp macro documents_near_changed(years) as table
    select d.document_id
    from intermediate.int_documents as d
    inner join intermediate.int_documents as c
        on
            d.department_id = c.department_id and d.document_type = c.document_type
            -- years: the macro's parameter, not a column
            and d.fiscal_year between c.fiscal_year - years and c.fiscal_year + years  -- noqa: RF02
    where c.document_id in (select changed.document_id from changed_documents as changed)
    union
    select document_id from changed_documents;

-- name: all
-- A run over every document.
create or replace temp view scope_documents as select document_id from staging.documents;
create or replace temp view input_documents as select document_id from staging.documents;

-- name: changed
-- A run over the documents a load changed ($ids) and those whose findings they change.
create or replace temp table changed_documents as
select distinct unnest($ids::varchar[]) as document_id;

-- name: changed_scope
create or replace temp table scope_documents as select * from documents_near_changed(1);
create or replace temp table input_documents as select * from documents_near_changed(2);

-- name: batch
-- One batch ($ids) of a large run, a department's years together: its documents, reading their
-- department's documents two years either side.
create or replace temp table changed_documents as
select unnest($ids::varchar[]) as document_id;

create or replace temp table scope_documents as select document_id from changed_documents;
create or replace temp table input_documents as select * from documents_near_changed(2);
