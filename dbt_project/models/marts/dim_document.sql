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

-- Files the pipeline could not read (corrupt, encrypted, scanned without text, a template…) stay
-- visible here with their reason: nothing given to the pipeline disappears from what BI sees.
rejected_documents as (

    select * from {{ ref('stg_staging__documents') }}
    where not is_loaded

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

loaded as (

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
        coalesce(document_findings.failed_warning_count, 0) as failed_warning_count,
        'loaded' as load_status,
        cast(null as varchar) as error_code,
        cast(null as varchar) as error_message

    from documents
    left join document_findings on documents.document_id = document_findings.document_id
    cross join last_validation

),

rejected as (

    select
        document_id,
        sha256,
        source_url,
        file_type,
        document_type,
        fiscal_year,
        cast(null as varchar) as department_id,
        'failed' as quality_status,
        false as is_current,
        title,
        source_path,
        page_count,
        province_name,
        region_name,
        department_name,
        unit_code,
        extractor_version,
        loaded_at,
        cast(null as varchar) as validation_run_id,
        cast(null as timestamp) as validated_at,
        0 as failed_error_count,
        0 as failed_warning_count,
        'rejected' as load_status,
        error_code,
        error_message

    from rejected_documents

),

final as (

    select * from loaded
    union all by name
    select * from rejected

)

select * from final
