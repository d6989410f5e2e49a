with

results as (

    select * from {{ ref('fct_reconciliation_result') }}
    where not passed

),

documents as (

    select * from {{ ref('dim_document') }}

),

departments as (

    select * from {{ ref('dim_department') }}

),

table_types as (

    select * from {{ ref('table_types') }}

),

-- The place a finding is about, stable across runs: the evidence site's anchor. Two checks alike in
-- every column (one line checked against two of its printed totals) are told apart by their ordinal.
placed as (

    select
        concat_ws(
            '|', document_id, rule_id, source_table_type, table_index, subject_code, fiscal_year, page,
            message
        ) as place,
        *
    from results

),

identified as (

    select
        left(md5(case
            when ordinal = 1 then place
            else place || '|' || ordinal
        end), 16) as finding_id,
        * exclude (place, ordinal)

    from (
        select
            *,
            row_number() over (partition by place) as ordinal
        from placed
    ) as numbered

),

final as (

    select
        identified.finding_id,
        identified.document_id,
        documents.title as document_title,
        documents.document_type,
        documents.fiscal_year as document_fiscal_year,
        documents.is_current,
        documents.source_url,
        coalesce(identified.department_id, documents.department_id) as department_id,
        coalesce(departments.department_name, documents.department_name) as department_name,
        coalesce(departments.region_name, documents.region_name) as region,
        coalesce(departments.province_name, documents.province_name) as province,
        identified.fiscal_year,
        identified.rule_id,
        identified.rule_kind,
        identified.severity,
        identified.rule_severity,
        identified.finding_kind,
        identified.doubt,
        identified.table_type,
        table_types.table_type_label,
        identified.subject_code,
        identified.page,
        identified.expected_amount,
        identified.actual_amount,
        identified.difference,
        identified.tolerance,
        identified.message,
        identified.hint,
        identified.suggested_value,
        identified.run_id,
        identified.checked_at,
        -- the evidence site's page of the document (issue 16), at this finding; a finding about no single
        -- document (a region's department list) has none
        case
            when identified.document_id is not null
                then
                    'evidence/documents/'
                    || identified.document_id
                    || '.html#finding-'
                    || identified.finding_id
        end as evidence_url

    from identified
    left join documents on identified.document_id = documents.document_id
    left join
        departments
        on coalesce(identified.department_id, documents.department_id) = departments.department_id
    left join table_types on identified.table_type = table_types.table_type

)

select * from final
