with

documents as (

    select * from {{ ref('int_documents') }}

),

results as (

    select * from {{ ref('fct_reconciliation_result') }}

),

completeness as (

    select * from {{ ref('int_document_completeness') }}

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
        count(*) filter (where not passed and severity = 'warning') as failed_warning_count,
        count(*) filter (where review_status = 'confirmed') as confirmed_finding_count,
        count(*) filter (where review_status = 'dismissed') as dismissed_finding_count

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
        -- a document missing a core table, or with a numeric cell no mart measure holds, is never passed
        case
            when document_findings.failed_error_count > 0 then 'failed'
            when document_findings.failed_warning_count > 0 then 'warnings'
            when
                document_findings.document_id is null
                and (
                    last_validation.last_checked_at is null
                    or last_validation.last_checked_at < documents.loaded_at
                )
                then null
            when completeness.missing_core_tables is not null then 'warnings'
            when coalesce(completeness.mapped_cell_count, 0) < documents.numeric_cell_count then 'warnings'
            else 'passed'
        end as quality_status,
        nullif(concat_ws(
            '; ',
            case
                when document_findings.failed_error_count > 0
                    then document_findings.failed_error_count || ' error finding(s)'
            end,
            case
                when document_findings.failed_warning_count > 0
                    then document_findings.failed_warning_count || ' warning finding(s)'
            end,
            case
                when completeness.missing_core_tables is not null
                    then 'core table missing: ' || completeness.missing_core_tables
            end,
            case
                when coalesce(completeness.mapped_cell_count, 0) < documents.numeric_cell_count
                    then
                        (documents.numeric_cell_count - coalesce(completeness.mapped_cell_count, 0))
                        || ' numeric cell(s) not in a mart measure'
            end
        ), '') as quality_reason,
        documents.numeric_cell_count,
        coalesce(completeness.staged_numeric_cell_count, 0) as staged_numeric_cell_count,
        coalesce(completeness.mapped_cell_count, 0) as mapped_cell_count,
        -- cells a mart measure holds ÷ numeric cells the reader saw on the table pages
        cast(
            coalesce(completeness.mapped_cell_count, 0) / nullif(documents.numeric_cell_count, 0)
            as decimal(9, 6)
        ) as extraction_completeness,
        completeness.missing_core_tables,
        documents.is_current,
        documents.title,
        documents.source_path,
        documents.page_count,
        documents.province_name,
        documents.region_name,
        documents.department_name,
        documents.unit_code,
        documents.extractor_version,
        documents.published_date,
        documents.loaded_at,
        document_findings.validation_run_id,
        document_findings.validated_at,
        coalesce(document_findings.failed_error_count, 0) as failed_error_count,
        coalesce(document_findings.failed_warning_count, 0) as failed_warning_count,
        coalesce(document_findings.confirmed_finding_count, 0) as confirmed_finding_count,
        coalesce(document_findings.dismissed_finding_count, 0) as dismissed_finding_count,
        'loaded' as load_status,
        cast(null as varchar) as error_code,
        cast(null as varchar) as error_message

    from documents
    left join document_findings on documents.document_id = document_findings.document_id
    left join completeness on documents.document_id = completeness.document_id
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
        'rejected: ' || error_code as quality_reason,
        cast(null as integer) as numeric_cell_count,
        0 as staged_numeric_cell_count,
        0 as mapped_cell_count,
        cast(null as decimal(9, 6)) as extraction_completeness,
        cast(null as varchar) as missing_core_tables,
        false as is_current,
        title,
        source_path,
        page_count,
        province_name,
        region_name,
        department_name,
        unit_code,
        extractor_version,
        published_date,
        loaded_at,
        cast(null as varchar) as validation_run_id,
        cast(null as timestamp) as validated_at,
        0 as failed_error_count,
        0 as failed_warning_count,
        0 as confirmed_finding_count,
        0 as dismissed_finding_count,
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
