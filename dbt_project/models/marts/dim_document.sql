with

documents as (

    select * from {{ ref('int_documents') }}

),

results as (

    select * from {{ ref('fct_reconciliation_result') }}

),

rule_results as (

    select * from {{ ref('stg_validation__rule_results') }}

),

document_findings as (

    select
        document_id,
        max(run_id) as validation_run_id,
        max(checked_at) as validated_at,
        count(*) filter (where not passed and severity = 'error') as failed_error_count,
        count(*) filter (where not passed and severity = 'warning') as failed_warning_count

    from results
    where document_id is not null
    group by document_id

),

last_validation as (

    select max(checked_at) as last_checked_at from rule_results

),

final as (

    select
        documents.document_id,
        documents.sha256,
        documents.source_url,
        documents.file_type,
        documents.document_type,
        documents.fiscal_year,
        documents.department_id,
        -- from the document's latest run; a document no rule applied to counts as passed once a
        -- validation ran after it was loaded, and stays null (not validated) until then
        case
            when document_findings.failed_error_count > 0 then 'failed'
            when document_findings.failed_warning_count > 0 then 'warnings'
            when document_findings.document_id is not null then 'passed'
            when last_validation.last_checked_at >= documents.loaded_at then 'passed'
        end as quality_status,
        documents.is_current,
        documents.title,
        documents.source_path,
        documents.page_count,
        documents.province_name,
        documents.region_name,
        documents.department_name,
        documents.unit_code,
        documents.extractor_version,
        documents.loaded_at,
        document_findings.validation_run_id,
        document_findings.validated_at,
        coalesce(document_findings.failed_error_count, 0) as failed_error_count,
        coalesce(document_findings.failed_warning_count, 0) as failed_warning_count

    from documents
    left join document_findings on documents.document_id = document_findings.document_id
    cross join last_validation

)

select * from final
