-- id: BW-ROW-006
-- severity: error
-- kind: row_sum
-- message: "three public expenses {fiscal_year} ({subject_code}): total {actual} vs outbound travel + vehicles + reception {expected} (difference {difference})"
-- description: >
--   三公 合计 equals 因公出国(境)费 + 公务用车购置及运行费 + 公务接待费. Where a year's columns show no
--   vehicle subtotal (comparison years often do not), the vehicle part is purchase + operation. Budget and actual columns (三公 决算) are summed apart.
with lines as (
    select * from cell_grid
    where table_type in ('three_public_expenses', 'final_three_public_expenses')
),

places as (
    select
        document_id,
        table_type,
        table_index,
        row_index,
        coalesce(row_code, row_name) as subject_code,
        row_name,
        fiscal_year,
        column_group(column_label) as column_group,
        min(page) as page,
        any_value(unit_name) as unit_name,
        max(amount) filter (where measure = 'total') as total_amount,
        count(*) filter (where measure = 'total') as total_columns,
        count(*) filter (where measure = 'vehicle_total') as vehicle_total_columns,
        list({ 'label': column_label, 'amount': amount } order by column_label) filter (
            where measure in ('outbound_travel', 'vehicle_total', 'reception')
        ) as with_subtotal,
        list({ 'label': column_label, 'amount': amount } order by column_label) filter (
            where measure in ('outbound_travel', 'vehicle_purchase', 'vehicle_operation', 'reception')
        ) as without_subtotal
    from lines
    group by all
),

final as (
    select
        document_id,
        table_type,
        table_index,
        subject_code,
        fiscal_year,
        coalesce(list_sum([p['amount'] for p in parts]), 0) as expected_amount,
        coalesce(total_amount, 0) as actual_amount,
        len(parts) as parts_count,
        page,
        unit_name,
        concat_ws(' ', row_name, nullif(column_group, '')) as detail,
        '三公 total' as total_label,
        parts
    from (
        select
            *,
            if(vehicle_total_columns > 0, with_subtotal, without_subtotal) as parts
        from places
        where total_columns > 0
    ) as placed
)

select * from final
