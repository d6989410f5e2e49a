with

rule_results as (

    select * from {{ ref('stg_validation__rule_results') }}

),

documents as (

    select * from {{ ref('int_documents') }}

),

-- The latest run per document: a document re-validated after a fix shows its new findings only, and
-- a document not in a later partial run keeps its last findings. Rules about no single document
-- (document_id null) follow the latest run that checked any of them. Older runs' failed places stay in
-- validation.rule_results (their passing places are pruned: expectations.runner.prune_superseded).
runs as (

    select
        document_id,
        run_id,
        max(checked_at) as run_checked_at
    from rule_results
    group by document_id, run_id

),

latest_runs as (

    select
        document_id,
        run_id
    from runs
    qualify row_number() over (
        partition by document_id order by run_checked_at desc, run_id desc
    ) = 1

),

final as (

    select
        rule_results.run_id,
        rule_results.document_id,
        documents.department_id,
        rule_results.rule_id,
        rule_results.rule_kind,
        rule_results.severity,
        rule_results.passed,
        rule_results.rule_severity,
        -- a failed check is a publisher inconsistency, or an extraction doubt where extraction did not
        -- fully recognise the table (its issue codes in doubt): then severity is warning, never alerted
        case
            when rule_results.passed then null
            when rule_results.doubt is not null then 'extraction_doubt'
            else 'publisher_inconsistency'
        end as finding_kind,
        rule_results.doubt,
        -- table_type keeps to the CONTRACT enumeration; a table the interpreter typed outside it
        -- (e.g. Beijing's 财政拨款支出表) keeps its key in source_table_type
        case
            when rule_results.table_type in {{ in_list(contract_table_types()) }}
                then rule_results.table_type
        end as table_type,
        rule_results.table_type as source_table_type,
        rule_results.table_index,
        rule_results.subject_code,
        rule_results.fiscal_year,
        rule_results.expected_amount,
        rule_results.actual_amount,
        rule_results.difference,
        rule_results.tolerance,
        rule_results.page,
        rule_results.message,
        rule_results.hint,
        rule_results.suggested_value,
        rule_results.checked_at

    from rule_results
    inner join latest_runs
        on
            rule_results.run_id = latest_runs.run_id
            and rule_results.document_id is not distinct from latest_runs.document_id
    left join documents on rule_results.document_id = documents.document_id

)

select * from final
