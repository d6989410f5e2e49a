-- validation.rule_results: what expectations.results stores and prunes (`-- name: ...` groups).

-- name: insert
-- The run's places ($run_id; the registered frame `places`, amounts as exact text).
insert into validation.rule_results (
    run_id, document_id, rule_id, rule_kind, severity, rule_severity, doubt, passed, table_type,
    table_index, subject_code, fiscal_year, expected_amount, actual_amount, difference, tolerance,
    page, message, hint, suggested_value
)
select
    $run_id,
    document_id,
    rule_id,
    rule_kind,
    severity,
    rule_severity,
    doubt,
    passed,
    table_type,
    table_index,
    subject_code,
    fiscal_year,
    expected_amount::decimal(18, 2),
    actual_amount::decimal(18, 2),
    difference::decimal(18, 2),
    tolerance::decimal(18, 2),
    page,
    message,
    hint,
    suggested_value::decimal(18, 2)
from places;

-- name: prune
-- Each document's latest run (by its latest checked_at, as marts.fct_reconciliation_result reads it);
-- rules about no single document (document_id null) have theirs. Passing places of any other run go.
delete from validation.rule_results as r
where r.passed and not exists (
    select 1
    from (
        select
            document_id,
            run_id
        from validation.rule_results
        group by document_id, run_id
        qualify row_number() over (
            partition by document_id order by max(checked_at) desc, run_id desc
        ) = 1
    ) as latest
    where latest.document_id is not distinct from r.document_id and latest.run_id = r.run_id
);
