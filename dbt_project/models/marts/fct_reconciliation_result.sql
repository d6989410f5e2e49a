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

-- Reviewers' verdicts (expectations/evidence/review.py; schema review, kept across reruns); none
-- before the first review.
verdicts as (

    {{ review_verdicts() }}

),

latest_results as (

    select
        rule_results.*,
        -- the place and its numbers (review.FINDING_KEY_SQL): a verdict's key
        case when not rule_results.passed then left(sha256(concat_ws(
            '|', rule_results.rule_id, coalesce(rule_results.table_type, ''),
            coalesce(rule_results.subject_code, ''), coalesce(cast(rule_results.fiscal_year as varchar), ''),
            rule_results.message
        )), 16) end as finding_key
    from rule_results
    inner join latest_runs
        on
            rule_results.run_id = latest_runs.run_id
            and rule_results.document_id is not distinct from latest_runs.document_id

),

-- The verdict in force on a failed place: its document's, else the latest given to an earlier version
-- of the same document (same region, department, type and year) at the same key, i.e. where that place
-- printed the same numbers.
reviewed as (

    select
        latest_results.document_id,
        latest_results.finding_key,
        verdicts.verdict
    from latest_results
    inner join documents on latest_results.document_id = documents.document_id
    inner join verdicts
        on
            latest_results.finding_key = verdicts.finding_key
            and latest_results.rule_id = verdicts.rule_id
            and (
                latest_results.document_id = verdicts.document_id
                or (
                    documents.region_name is not distinct from verdicts.region_name
                    and documents.department_name is not distinct from verdicts.department_name
                    and documents.document_type is not distinct from verdicts.document_type
                    and documents.fiscal_year is not distinct from verdicts.fiscal_year
                )
            )
    qualify row_number() over (
        partition by latest_results.document_id, latest_results.finding_key
        order by (latest_results.document_id = verdicts.document_id) desc, verdicts.decided_at desc
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
        rule_results.checked_at,
        rule_results.finding_key,
        -- a failed place is open until a reviewer confirms or dismisses it
        case when not rule_results.passed then coalesce(reviewed.verdict, 'open') end as review_status

    from latest_results as rule_results
    left join documents on rule_results.document_id = documents.document_id
    left join reviewed
        on
            rule_results.document_id = reviewed.document_id
            and rule_results.finding_key = reviewed.finding_key

)

select * from final
