-- id: BW-NAR-010
-- severity: error
-- kind: narrative
-- message: "narrative {fiscal_year}: {detail} quoted as {actual} %, the amounts give {expected} % (difference {difference})"
-- description: >
--   A share quoted in the narrative (…万元，占 7.74%; 完成年初预算的 95.45%) is the ratio of the amounts
--   it relates, quoted in the same sentence or, for 占本年支出合计的, the summary's 本年支出合计. Each printed
--   number stands for an interval of its last digit; a share no value of those intervals gives is reported
--   with the share its printed amounts give.
with shares as (
    select
        n.document_id,
        d.fiscal_year,
        n.page,
        n.subject_name,
        replace(split_part(n.subject_name, '/', 1), ',', '') as part_text,
        replace(split_part(n.subject_name, '/', 2), ',', '') as base_text,
        replace(split_part(n.subject_name, '/', 3), ',', '') as percent_text
    from staged_narrative_figures as n
    inner join staged_documents as d using (document_id)
    where
        n.figure_key = 'share'
        and regexp_full_match(split_part(n.subject_name, '/', 1), '[0-9.,]+')
        and regexp_full_match(split_part(n.subject_name, '/', 3), '[0-9.,]+')
),

-- a base the sentence names (本年支出合计) instead of quoting: the table figure of that narrative key
named_bases as (
    select
        s.document_id,
        s.subject_name,
        any_value(f.table_type) as table_type,
        min(f.table_index) as table_index,
        sum(f.amount) as amount
    from shares as s
    inner join ref_narrative_sources as r on s.base_text = r.figure_key
    inner join document_figures as f
        on
            s.document_id = f.document_id and r.table_type = f.table_type and r.row_kind = f.row_kind
            and r.row_code = f.row_code and r.measure = f.measure and not f.is_prior_year
    group by s.document_id, s.subject_name, r.priority
    qualify row_number() over (partition by s.document_id, s.subject_name order by r.priority) = 1
),

-- each number stands for ± half a unit of its last printed digit (a table figure: 0.005 万元)
rounding as (select [0.5, 0.05, 0.005, 0.0005, 0.00005]::decimal(24, 6)[] as half_units),

printed as (
    select
        s.*,
        b.table_type,
        b.table_index,
        s.part_text::decimal(24, 6) as part,
        coalesce(try_cast(s.base_text as decimal(24, 6)), b.amount) as base,
        s.percent_text::decimal(24, 6) as share_percent,
        length(split_part(s.percent_text, '.', 2)) as percent_digits,
        u.half_units[length(split_part(s.part_text, '.', 2)) + 1] as part_error,
        if(b.amount is null, u.half_units[length(split_part(s.base_text, '.', 2)) + 1], 0.005) as base_error,
        u.half_units[length(split_part(s.percent_text, '.', 2)) + 1] as percent_error
    from shares as s
    cross join rounding as u
    left join named_bases as b using (document_id, subject_name)
),

judged as (
    select
        *,
        -- p ± e meets 100·[a − ea, a + ea] / [b + eb, b − eb], compared without dividing
        (share_percent + percent_error) * (base + base_error) >= 100 * (part - part_error)
        and (share_percent - percent_error) * (base - base_error) <= 100 * (part + part_error) as consistent,
        -- the share the printed amounts give, rounded half up to the quote's digits, in integers
        [1, 10, 100, 1000, 10000][percent_digits + 1]::hugeint as scale,
        [1, 0.1, 0.01, 0.001, 0.0001][percent_digits + 1]::decimal(24, 6) as unit
    from printed
    where base > base_error
)

select
    document_id,
    coalesce(table_type, 'narrative') as table_type,
    table_index,
    'share' as subject_code,
    fiscal_year,
    if(
        consistent, share_percent,
        (
            (200 * scale * (part * 1000000)::hugeint + (base * 1000000)::hugeint)
            // (2 * (base * 1000000)::hugeint)
        )::decimal(38, 0
        )
        * unit
    ) as expected_amount,
    share_percent as actual_amount,
    0 as parts_count,
    page,
    part_text
    || ' of '
    || if(table_type is null, base_text, base_text || ' ' || base::decimal(18, 2)) as detail
from judged
