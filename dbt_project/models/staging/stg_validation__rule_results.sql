with

source as (

    select * from {{ source('validation', 'rule_results') }}

),

renamed as (

    select
        run_id,
        document_id,
        rule_id,
        rule_kind,
        severity,
        coalesce(rule_severity, severity) as rule_severity,
        doubt,
        passed,
        table_type,
        table_index,
        subject_code,
        fiscal_year,
        expected_amount,
        actual_amount,
        difference,
        tolerance,
        page,
        message,
        hint,
        suggested_value,
        checked_at

    from source

),

final as (

    select * from renamed

)

select * from final
