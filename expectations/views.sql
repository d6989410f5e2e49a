-- What every rule reads, created on the validation's connection before the catalogue runs.
-- `-- noqa: RF02/RF03` marks a macro's parameter, which sqlfluff reads as an unqualified column; `-- noqa:
-- ST03` a CTE a table macro reads by name (line_sums), which sqlfluff takes for unused.

-- The staged documents the run reads (input_documents, made by the runner: every document, or for a
-- run scoped to the documents a load changed, those and their department's neighbouring years). Rules
-- read staging through these views so that a scoped run reads only its documents.
create or replace temp view staged_documents as
select * from staging.documents
where document_id in (select i.document_id from input_documents as i);

create or replace temp view staged_tables as
select * from staging.tables
where document_id in (select i.document_id from input_documents as i);

create or replace temp view staged_narrative_figures as
select * from staging.narrative_figures
where document_id in (select i.document_id from input_documents as i);

-- cell_grid: every (row, column) place of every table, with the amount where a cell was published.
-- A temp table, not a view: every rule reads it, so it is computed once per run.
-- Blank cells count as parts of a sum (a blank part is zero and is what the missing-cell hint looks
-- for), so the grid is completed from the rows and columns seen, whether or not blanks were staged.
-- Two-sided summary tables carry income and expenditure rows in one printed line: rows only meet the
-- columns of their own side (row_group).
create or replace temp table cell_grid as
with cells as (
    select * from intermediate.int_cell_amounts
    where document_id in (select i.document_id from input_documents as i)
),

printed_rows as (
    select
        document_id,
        department_id,
        document_type,
        document_fiscal_year,
        table_index,
        table_type,
        table_title,
        row_index,
        row_kind,
        row_group,
        row_code,
        row_name,
        row_qualifier,
        min(page) as row_page,
        any_value(unit_name) as unit_name
    from cells
    group by all
),

-- A table listing its budget units one after another (Xi'an 支出明细表: 125001 西安市安全生产监督管理局, its
-- classes 208, 210 …, then 125002 and its classes again): each line belongs to the unit line above it
-- (staged as a `unit` line with the six-digit unit code), and sums stay within their unit. A unit line
-- named without a code heads its lines the same way (Shenzhen 一般公共预算支出表: 深圳市生态环境局（本级）,
-- its 205, 20508 …, then 深圳市环境监测中心站 and its 205 … again): its name is the group. Unit lines of
-- a table printed per unit (Guangzhou 收入总体情况表: 合计, then each unit) head no subject lines.
grid_rows as (
    select
        *,
        last_value(
            case
                when row_kind != 'unit' then null
                when regexp_full_match(coalesce(row_code, ''), '[0-9]{6}') then row_code
                when row_code is null then row_name
            end
            ignore nulls
        ) over (partition by document_id, table_index order by row_index, row_kind) as row_unit
    from printed_rows
),

grid_columns as (
    select distinct
        document_id,
        table_index,
        row_group,
        column_label,
        measure,
        fiscal_year,
        is_prior_year
    from cells
),

final as (
    select
        r.document_id,
        r.department_id,
        r.document_type,
        r.document_fiscal_year,
        r.table_index,
        r.table_type,
        r.table_title,
        r.row_index,
        r.row_kind,
        r.row_group,
        r.row_code,
        r.row_name,
        r.row_qualifier,
        r.row_unit,
        c.column_label,
        c.measure,
        c.fiscal_year,
        c.is_prior_year,
        x.amount,
        coalesce(x.page, r.row_page) as page,
        r.unit_name
    from grid_rows as r
    inner join grid_columns as c
        on
            r.document_id = c.document_id
            and r.table_index = c.table_index
            and r.row_group is not distinct from c.row_group
    left join cells as x
        on
            r.document_id = x.document_id
            and r.table_index = x.table_index
            and r.row_index = x.row_index
            and r.row_kind = x.row_kind
            and r.row_code is not distinct from x.row_code
            and c.column_label is not distinct from x.column_label
            and c.measure is not distinct from x.measure
            and c.fiscal_year is not distinct from x.fiscal_year
)

select * from final;

-- Table families and the CONTRACT income_source keys, named once in dbt_project.yml's vars, which dbt
-- reads too: the runner loads them as ref_table_types (family, table_type) and ref_income_sources.
create or replace temp macro table_family(families) as (
    select list(table_type order by family, table_type) from ref_table_types
    where list_contains(families, family)
);

-- Tables of function subjects (类/款/项) with their hierarchy, spent or received.
create or replace temp macro function_table_types() as table_family(['rule_function']);

-- Two-sided income and expenditure summaries.
create or replace temp macro summary_table_types() as table_family(['rule_summary']);

create or replace temp macro economic_table_types() as table_family(['basic_expenditure']);

-- The measures of income-by-source columns.
create or replace temp macro income_source_keys() as (
    select list(income_source order by position) from ref_income_sources
);

-- The top heading of a column where it says budget or actual (三公 决算 prints 预算数 and 决算数 side by
-- side with the same parts under each): sums stay within one such group.
create or replace temp macro column_group(column_label) as
coalesce(regexp_extract(column_label, '^([^/]*(?:预算|决算)[^/]*) / ', 1), '');

-- The three shapes of within-table sums, as table macros so each rule file names its tables and
-- levels instead of repeating the query. Each returns the catalogue's result columns, one row per
-- total checked, with its parts (label, amount) for the hints.

-- A parent code's cell = Σ its children's cells in the same column (类 = Σ 款, 款 = Σ 项, ...). A line
-- one level further down whose own parent line is not printed counts as a child (Xi'an: 3010201 津贴补贴
-- under 301, no 30102 line).
create or replace temp macro subject_rollup(table_types, parent_length, child_length) as table
    with subjects as (
        select * from cell_grid
        where row_kind = 'subject' and list_contains(table_types, table_type)
    ),

    printed as (
        select distinct
            document_id,
            table_index,
            row_code,
            row_qualifier,
            row_unit
        from subjects
    ),

    children as (
        select * from subjects
        where length(row_code) = child_length
        union all
        select s.* from subjects as s
        where length(s.row_code) = child_length + 2 and not exists (
            select 1 from printed as x
            where
                x.document_id = s.document_id and x.table_index = s.table_index
                and x.row_code = left(s.row_code, child_length)  -- noqa: RF02, RF03
                and x.row_qualifier is not distinct from s.row_qualifier
                and x.row_unit is not distinct from s.row_unit
        )
    )

    select
        p.document_id,
        p.table_type,
        p.table_index,
        p.row_code as subject_code,
        p.fiscal_year,
        coalesce(sum(c.amount), 0) as expected_amount,
        coalesce(p.amount, 0) as actual_amount,
        count(*) as parts_count,
        p.page,
        p.unit_name,
        p.column_label as detail,
        list(
            { 'label': c.row_code || ' ' || coalesce(c.row_name, ''), 'amount': c.amount }
            order by c.row_index
        ) as parts
    from subjects as p
    inner join children as c
        on
            p.document_id = c.document_id
            and p.table_index = c.table_index
            and p.column_label is not distinct from c.column_label
            and p.measure is not distinct from c.measure
            and p.fiscal_year is not distinct from c.fiscal_year
            and starts_with(c.row_code, p.row_code)
            -- a code printed once per government economic class sums within its class (Yantai: 301 under 501);
            -- a line printing none sums all of its (Xi'an: 301 over 30101 | 50101 and 30101 | 50501)
            and (p.row_qualifier is null or p.row_qualifier is not distinct from c.row_qualifier)
            and p.row_unit is not distinct from c.row_unit
    where length(p.row_code) = parent_length  -- noqa: RF02
    group by
        p.document_id, p.table_type, p.table_index, p.row_code, p.row_qualifier, p.row_unit, p.fiscal_year,
        p.amount, p.page, p.unit_name, p.column_label, p.measure;

-- The shape the line sums share: each line of ``totals`` against the Σ of the lines of ``parts`` in the
-- same column and side of its table (document, table, row group, column, measure, year), one row per
-- total cell with the catalogue's result columns and its parts (part_label, amount) in printed order for
-- the hints. totals and parts name the caller's relations of cell_grid lines (a CTE of the calling
-- query will do); parts carry a part_label.
create or replace temp macro line_sums(totals, parts) as table
    select
        t.document_id,
        t.table_type,
        t.table_index,
        t.row_code as subject_code,
        t.fiscal_year,
        coalesce(sum(p.amount), 0) as expected_amount,
        coalesce(t.amount, 0) as actual_amount,
        count(*) as parts_count,
        t.page,
        t.unit_name,
        t.column_label as detail,
        t.row_name as total_label,
        list({ 'label': p.part_label, 'amount': p.amount } order by p.row_index) as parts
    from query_table(totals) as t  -- noqa: RF02
    inner join query_table(parts) as p
        on
            t.document_id = p.document_id
            and t.table_index = p.table_index
            and t.row_group is not distinct from p.row_group
            and t.column_label is not distinct from p.column_label
            and t.measure is not distinct from p.measure
            and t.fiscal_year is not distinct from p.fiscal_year
    group by
        t.document_id, t.table_type, t.table_index, t.row_code, t.fiscal_year, t.amount, t.page,
        t.unit_name, t.column_label, t.measure, t.row_index, t.row_name;

-- A total line's cell = Σ the cells of the part lines in the same column and side of the table.
-- part_code_length null: every line of the part kinds; excluded_codes: lines of those kinds that are
-- not parts (a carry-over line among the income sources); part_codes: only lines of those codes.
create or replace temp macro total_rollup(
    table_types, total_codes, part_kinds, part_code_length,
    excluded_codes, part_codes := []) as table
    with lines as (
        select * from cell_grid
        where list_contains(table_types, table_type)
    ),

    totals as (  -- noqa: ST03
        select * from lines
        where row_kind = 'total' and list_contains(total_codes, row_code)
    ),

    parts as (  -- noqa: ST03
        select
            *,
            coalesce(row_code || ' ', '') || coalesce(row_name, '') as part_label
        from lines
        where
            list_contains(part_kinds, row_kind)
            and (part_code_length is null or length(row_code) = part_code_length)
            and not list_contains(excluded_codes, coalesce(row_code, ''))
            and (len(part_codes) = 0 or list_contains(part_codes, row_code))
    )

    select * from line_sums(totals, parts);

-- Within one line and year: the total_measure cell = Σ the part_measures cells (总计 = 基本 + 项目).
-- The line's other cells come along as context, for the wrong-column hint. blank_parts_are_zero: the
-- template always prints the part columns, so a line none of whose parts is filled sums to zero (else
-- such a line is not checked: the table may not have those columns).
create or replace temp macro across_columns(
    table_types, total_measure, part_measures,
    blank_parts_are_zero := false) as table
    with lines as (
        select * from cell_grid
        where list_contains(table_types, table_type) and row_kind != 'indicator' and row_kind != 'field'
    ),

    totals as (
        select * from lines
        where measure = total_measure
    ),

    parts as (
        select * from lines
        where list_contains(part_measures, measure)
    ),

    context as (
        select
            document_id,
            table_index,
            row_index,
            row_kind,
            row_code,
            fiscal_year,
            list({ 'label': column_label, 'amount': amount } order by column_label) as context
        from lines
        where measure != total_measure and not list_contains(part_measures, measure)
        group by all
    ),

    checked as (
        select
            t.document_id,
            t.table_type,
            t.table_index,
            t.row_index,
            t.row_kind,
            t.row_code,
            coalesce(t.row_code, t.row_name) as subject_code,
            t.fiscal_year,
            coalesce(sum(p.amount), 0) as expected_amount,
            coalesce(t.amount, 0) as actual_amount,
            count(p.document_id) as parts_count,
            t.page,
            t.unit_name,
            t.row_name as detail,
            t.column_label as total_label,
            list({ 'label': p.column_label, 'amount': p.amount } order by p.column_label)
            filter (where p.document_id is not null) as parts
        from totals as t
        left join parts as p
            on
                t.document_id = p.document_id
                and t.table_index = p.table_index
                and t.row_index = p.row_index
                and t.row_kind = p.row_kind
                and t.row_code is not distinct from p.row_code
                and t.fiscal_year is not distinct from p.fiscal_year
                and column_group(t.column_label) = column_group(p.column_label)
        where p.document_id is not null or blank_parts_are_zero  -- noqa: RF02
        group by
            t.document_id, t.table_type, t.table_index, t.row_code, t.row_name, t.fiscal_year, t.amount,
            t.page, t.unit_name, t.row_index, t.row_kind, t.column_label
    )

    select
        c.document_id,
        c.table_type,
        c.table_index,
        c.subject_code,
        c.fiscal_year,
        c.expected_amount,
        c.actual_amount,
        c.parts_count,
        c.page,
        c.unit_name,
        c.detail,
        c.total_label,
        c.parts,
        x.context
    from checked as c
    left join context as x
        on
            c.document_id = x.document_id
            and c.table_index = x.table_index
            and c.row_index = x.row_index
            and c.row_kind = x.row_kind
            and c.row_code is not distinct from x.row_code
            and c.fiscal_year is not distinct from x.fiscal_year;

-- One figure of a document's tables: a line's cell in one column, summed over the table's lines of
-- that kind and code (a code printed twice on continuation pages counts once per published line; a table
-- printed by unit prints a class once per unit); line_count: the printed figures summed, each rounded.
create or replace temp macro figures(table_types, row_kinds, measures) as table
    select
        document_id,
        table_type,
        table_index,
        row_kind,
        row_code,
        any_value(row_name) as row_name,
        measure,
        fiscal_year,
        is_prior_year,
        sum(amount) as amount,
        min(page) as page,
        any_value(unit_name) as unit_name,
        count(amount) as line_count
    from cell_grid
    where
        list_contains(table_types, table_type) and list_contains(row_kinds, row_kind)
        and list_contains(measures, measure)
    group by all;

-- Documents with money besides the general budget (a government-fund or state-capital column, an
-- income source other than general-budget appropriations and its carry-over): for them the general
-- budget expenditure table is only part of what the summaries, the narrative and the project tables
-- cover. A document without such evidence counts as general-budget only.
create or replace temp view other_income_documents as
select distinct document_id
from cell_grid
where not is_prior_year and coalesce(amount, 0) != 0 and (
    (
        row_group = 'income' and row_kind = 'income_source'
        and list_contains(summary_table_types(), table_type)
        and row_code not in ('general_budget', 'prior_year_carryover')
    )
    or (
        row_group = 'expenditure' and measure in ('government_fund', 'state_capital')
        and list_contains(summary_table_types(), table_type)
    )
    or (
        table_type = 'department_income' and list_contains(income_source_keys(), measure)
        and measure not in ('general_budget', 'prior_year_carryover')
    )
);

-- The expenditure totals (measure total, basic, project) of all the document's money, which the
-- project tables and the performance forms cover: 部门支出总表's total line, else (no such table)
-- the general budget expenditure table's where that is all there is.
create or replace temp view all_money_expenditure_totals as
select *
from figures(['department_expenditure', 'general_budget_expenditure'], ['total'], ['total', 'project'])
where row_code = 'total' and not is_prior_year and (
    table_type = 'department_expenditure'
    or (
        document_id not in (
            select t.document_id from staged_tables as t
            where t.table_type = 'department_expenditure'
        )
        and document_id not in (select o.document_id from other_income_documents as o)
    )
);

-- The 三公 figures of a document: its table's total line, or its first line where none is marked
-- as total (a one-line table, or a department line under a missing 合计).
create or replace temp view three_public_figures as
with lines as (
    select * from cell_grid
    where table_type in ('three_public_expenses', 'final_three_public_expenses')
),

-- of each year: a table printing its years as rows (Shenzhen: 2025年, 2026年, 增减变化金额 under each unit)
-- has a first line per year
first_line as (
    select
        document_id,
        table_index,
        fiscal_year,
        is_prior_year,
        coalesce(min(row_index) filter (where row_kind = 'total'), min(row_index)) as row_index
    from lines
    where amount is not null
    group by all
)

select
    l.document_id,
    l.table_type,
    l.table_index,
    l.measure,
    l.fiscal_year,
    l.is_prior_year,
    l.amount,
    l.page,
    l.unit_name
from lines as l
inner join first_line using (document_id, table_index, fiscal_year, is_prior_year, row_index);

-- Every figure the narrative can quote, located as (table_type, row_kind, row_code, measure): the
-- 三公 line as ('line', 'first') since its lines are named differently table to table.
create or replace temp view document_figures as
select
    document_id,
    table_type,
    table_index,
    row_kind,
    row_code,
    measure,
    fiscal_year,
    is_prior_year,
    amount,
    page,
    unit_name
from cell_grid
where table_type not in ('three_public_expenses', 'final_three_public_expenses')
union all
select
    document_id,
    table_type,
    table_index,
    'line' as row_kind,
    'first' as row_code,
    measure,
    fiscal_year,
    is_prior_year,
    amount,
    page,
    unit_name
from three_public_figures;

-- The same department's document of the year before, of the same type, where exactly one is loaded.
create or replace temp view prior_documents as
with documents as (
    select distinct
        document_id,
        department_id,
        document_type,
        document_fiscal_year
    from cell_grid
)

select
    d.document_id,
    p.document_id as prior_document_id
from documents as d
inner join documents as p
    on
        d.department_id = p.department_id and d.document_type = p.document_type
        and p.document_fiscal_year = d.document_fiscal_year - 1
qualify count(*) over (partition by d.document_id) = 1;

-- A narrative figure against the table figure it quotes (ref_narrative_sources says where, in order
-- of preference: the source table showing the quoted figure, else the first the document has; a source
-- marked only_general_budget serves documents without other money). A change (增加/减少) is the current year minus the prior year of the
-- same line: the table's own prior-year column, else the same line of last year's document.
create or replace temp macro narrative_check(figure_keys) as table
    with quoted as (
        select
            n.*,
            d.fiscal_year as document_year
        from staged_narrative_figures as n
        inner join staged_documents as d using (document_id)
        where list_contains(figure_keys, n.figure_key)  -- noqa: RF02
    ),

    sources as (
        select
            q.document_id,
            q.figure_key,
            q.amount as quoted_amount,
            q.page as quoted_page,
            q.document_year,
            -- a quote without decimals (19,577万元) is rounded to the whole 万元
            if(q.unit_name = '万元' and not contains(coalesce(q.raw_text, '.'), '.'), '万元(整数)', q.unit_name)
                as quoted_unit,
            s.table_type,
            s.row_kind,
            s.row_code,
            s.measure,
            s.is_change = 'true' as is_change,
            s.priority::integer as priority
        from quoted as q
        inner join ref_narrative_sources as s using (figure_key)
        where
            s.only_general_budget = 'false'
            or q.document_id not in (select o.document_id from other_income_documents as o)
    ),

    located as (
        select
            s.*,
            sum(f.amount) filter (where not f.is_prior_year) as current_amount,
            sum(f.amount) filter (where f.is_prior_year and f.fiscal_year = s.document_year - 1)
                as prior_amount,
            count(*) filter (where f.is_prior_year and f.fiscal_year = s.document_year - 1) as prior_cells,
            min(f.table_index) as table_index,
            any_value(f.unit_name) as table_unit
        from sources as s
        inner join document_figures as f
            on
                s.document_id = f.document_id and s.table_type = f.table_type and s.row_kind = f.row_kind
                and s.row_code = f.row_code and s.measure = f.measure
        group by all
    ),

    last_year as (
        select
            l.document_id,
            l.figure_key,
            l.quoted_amount,
            l.priority,
            p.prior_document_id,
            sum(f.amount) as amount
        from located as l
        inner join prior_documents as p using (document_id)
        inner join document_figures as f
            on
                p.prior_document_id = f.document_id
                and l.table_type = f.table_type
                and l.row_kind = f.row_kind
                and l.row_code = f.row_code and l.measure = f.measure and not f.is_prior_year
        where l.is_change and l.prior_cells = 0
        group by all
    ),

    chosen as (
        select
            l.*,
            y.prior_document_id,
            coalesce(l.prior_amount, y.amount) as prior_year_amount
        from located as l
        left join last_year as y using (document_id, figure_key, quoted_amount, priority)
        where not l.is_change or l.prior_cells > 0 or y.prior_document_id is not null
        -- a figure may speak of the general budget, of all appropriations or of all the department's money
        -- (Suzhou 水务局: 项目支出90,448.39万元 is 部门支出总表's, the general budget's is 46,445.13): of the
        -- tables it may quote, the one showing it is the one it quotes; where none does, the first
        qualify row_number() over (
            partition by l.document_id, l.figure_key, l.quoted_amount
            order by if(l.is_change, 0, abs(coalesce(l.current_amount, 0) - l.quoted_amount)), l.priority
        ) = 1
    )

    select
        document_id,
        table_type,
        table_index,
        figure_key as subject_code,
        document_year as fiscal_year,
        if(
            is_change,
            coalesce(current_amount, 0) - coalesce(prior_year_amount, 0),
            coalesce(current_amount, 0)
        )
            as expected_amount,
        quoted_amount as actual_amount,
        if(is_change, 2, 1) as parts_count,
        quoted_page as page,
        -- the coarser of the tables' unit and the quote's sets the rounding: 1.23 亿元 is exact to 100 万元
        if(
            coalesce((
                select u.unit_scale::decimal(18, 4) from ref_units as u
                where u.unit_name = chosen.quoted_unit
            ), 0)
            > coalesce((
                select u.unit_scale::decimal(18, 4) from ref_units as u
                where u.unit_name = chosen.table_unit
            ), 1),
            quoted_unit, table_unit
        ) as unit_name,
        table_type || ' ' || row_code || ' / ' || measure
        || if(prior_document_id is null, '', ' (last year: document ' || prior_document_id || ')') as detail
    from chosen;

-- The function-class figures of one table against another's, class by class, for documents that
-- have both tables; a class shown in one table only is compared with zero. A summary printing a fixed
-- list of classes with 其他支出 (229) as its last line counts there the classes its list leaves out
-- (烟台 183: 21 classes, no 援助其他地区支出, whose 3,206.80 it prints under 二十一、其他支出): where
-- the actual table prints 229, the reference's classes it does not print are compared in 229's sum.
create or replace temp macro compare_classes(
    actual_type, actual_kind, actual_measure,
    expected_type, expected_measure) as table
    with published as (
        select * from figures([actual_type], [actual_kind], [actual_measure])
        where not is_prior_year and (actual_kind != 'subject' or length(row_code) = 3)
    ),

    listed as (
        select distinct
            document_id,
            fiscal_year,
            row_code
        from published
    ),

    all_reference as (
        select
            r.*,
            l.row_code is null and r.row_code != '229' and exists (
                select 1 from listed as c
                where
                    c.document_id = r.document_id and c.fiscal_year = r.fiscal_year and c.row_code = '229'
            ) as unlisted
        from figures([expected_type], ['subject'], [expected_measure]) as r  -- noqa: RF02
        left join listed as l
            on r.document_id = l.document_id and r.fiscal_year = l.fiscal_year and r.row_code = l.row_code
        where length(r.row_code) = 3 and not r.is_prior_year
    ),

    reference as (
        select * exclude (unlisted) from all_reference
        where not unlisted
    ),

    unlisted as (
        select
            document_id,
            fiscal_year,
            sum(amount) as amount,
            string_agg(row_code || ' ' || row_name, ', ' order by row_code) as classes
        from all_reference
        where unlisted and amount != 0
        group by document_id, fiscal_year
    ),

    both_tables as (
        select document_id from published
        intersect
        select document_id from reference
    ),

    compared as (
        select
            coalesce(p.document_id, r.document_id) as document_id,
            actual_type as table_type,  -- noqa: RF02
            p.table_index,
            coalesce(p.row_code, r.row_code) as subject_code,
            coalesce(p.fiscal_year, r.fiscal_year) as fiscal_year,
            coalesce(r.amount, 0) + if(p.row_code = '229', coalesce(u.amount, 0), 0) as expected_amount,
            coalesce(p.amount, 0) as actual_amount,
            -- a class summed over the lines of the units a table is printed by (Shenzhen 支出总表: 205 on
            -- each of 15 units' pages) sums that many rounded figures
            greatest(coalesce(r.line_count, 1), 1) + if(p.row_code = '229' and u.amount is not null, 1, 0)
                as parts_count,
            coalesce(p.page, r.page) as page,
            coalesce(p.unit_name, r.unit_name) as unit_name,
            coalesce(p.row_name, r.row_name)
            || if(
                p.row_code = '229' and u.amount is not null, ' (with ' || u.classes || ', not listed)', ''
            )
                as detail
        from published as p
        full outer join reference as r
            on p.document_id = r.document_id and p.row_code = r.row_code and p.fiscal_year = r.fiscal_year
        left join unlisted as u
            on p.row_code = '229' and p.document_id = u.document_id and p.fiscal_year = u.fiscal_year
    )

    select * from compared
    where
        document_id in (select b.document_id from both_tables as b)
        and (actual_amount != 0 or expected_amount != 0);

-- One total of a table against one total of another, for documents that publish both tables (an
-- empty table counts as published, its total as zero). actual_codes/expected_codes: the total lines
-- to use, the first one present winning (本年支出 before 支出总计).
create or replace temp macro compare_totals(
    actual_type, actual_codes, actual_measure,
    expected_type, expected_codes, expected_measure, place) as table
    with published as (
        select * from figures([actual_type], ['total'], [actual_measure])
        where list_contains(actual_codes, row_code) and not is_prior_year
        qualify row_number() over (
            partition by document_id, fiscal_year
            order by list_position(actual_codes, row_code), table_index
        ) = 1
    ),

    reference as (
        select * from figures([expected_type], ['total'], [expected_measure])
        where list_contains(expected_codes, row_code) and not is_prior_year
        -- a document printing the table for the department and again per unit: the first, the department's
        qualify row_number() over (
            partition by document_id, fiscal_year
            order by list_position(expected_codes, row_code), table_index
        ) = 1
    ),

    both_tables as (
        select
            d.document_id,
            d.fiscal_year,
            min(t.table_index) filter (where t.table_type = actual_type) as table_index,  -- noqa: RF02
            min(t.page_first) filter (where t.table_type = actual_type) as page  -- noqa: RF02
        from staged_documents as d
        inner join staged_tables as t using (document_id)
        group by d.document_id, d.fiscal_year
        having
            count(*) filter (where t.table_type = actual_type) > 0  -- noqa: RF02
            and count(*) filter (where t.table_type = expected_type) > 0  -- noqa: RF02
    ),

    -- a table that prints no column of the measure (Jiangsu 2018's 一般公共预算支出预算表: 金额 only, no 基本支出;
    -- Fuzhou 商务局's 财政拨款收支总表: one 预算数 column on its expenditure side, no 政府性基金) says nothing
    -- about it
    measured as (
        select document_id from cell_grid
        where
            (table_type = expected_type and measure = expected_measure)
            or (table_type = actual_type and measure = actual_measure)
        group by document_id
        having count(distinct table_type) = 2
    )

    select
        b.document_id,
        actual_type as table_type,  -- noqa: RF02
        b.table_index,
        place as subject_code,  -- noqa: RF02
        b.fiscal_year,
        coalesce(r.amount, 0) as expected_amount,
        coalesce(p.amount, 0) as actual_amount,
        1 as parts_count,
        coalesce(p.page, b.page) as page,
        coalesce(p.unit_name, r.unit_name) as unit_name
    from both_tables as b
    left join published as p on b.document_id = p.document_id and b.fiscal_year = p.fiscal_year
    left join reference as r on b.document_id = r.document_id and b.fiscal_year = r.fiscal_year
    where b.document_id in (select m.document_id from measured as m);

-- A 三公 part against the economic line of the basic expenditure table it includes.
create or replace temp macro three_public_covers(part_measure, economic_code) as table
    with three_public as (
        select * from three_public_figures
        where measure = part_measure and not is_prior_year
    ),

    economic as (
        select * from figures(economic_table_types(), ['subject'], ['total'])
        where row_code = economic_code and not is_prior_year
    )

    select
        t.document_id,
        t.table_type,
        t.table_index,
        economic_code as subject_code,  -- noqa: RF02
        t.fiscal_year,
        e.amount as expected_amount,
        coalesce(t.amount, 0) as actual_amount,
        1 as parts_count,
        t.page,
        t.unit_name
    from three_public as t
    inner join economic as e on t.document_id = e.document_id and t.fiscal_year = e.fiscal_year;

-- A summary side's grand total = its current-year line + the lines beside it (收入总计 = 本年收入 +
-- 上年结转/年初结转和结余; 支出总计 = 本年支出 + 结余分配 + 结转下年/年末结转和结余), per column, in
-- tables that print the current-year line. A carry-over printed both as a total line and by fund
-- counts once: the total line.
create or replace temp macro side_total(total_code, current_code, extra_codes) as table
    with lines as (
        select * from cell_grid
        where list_contains(summary_table_types(), table_type) and row_kind in ('total', 'income_source')
    ),

    extra_total_lines as (
        select distinct
            document_id,
            table_index,
            row_group,
            row_code
        from lines
        where row_kind = 'total' and list_contains(extra_codes, row_code)
    ),

    parts as (  -- noqa: ST03
        select
            l.*,
            coalesce(l.row_name, l.row_code) as part_label
        from lines as l
        where
            (l.row_kind = 'total' and l.row_code = current_code)  -- noqa: RF03
            or (
                list_contains(extra_codes, l.row_code)  -- noqa: RF03
                and (l.row_kind = 'total' or not exists (
                    select 1 from extra_total_lines as x
                    where
                        x.document_id = l.document_id and x.table_index = l.table_index
                        and x.row_group is not distinct from l.row_group and x.row_code = l.row_code
                ))
            )
    ),

    totals as (  -- noqa: ST03
        select * from lines as t
        where row_kind = 'total' and row_code = total_code and exists (
            select 1 from lines as c
            where
                c.document_id = t.document_id and c.table_index = t.table_index and c.row_kind = 'total'
                and c.row_code = current_code  -- noqa: RF02, RF03
        )
    )

    select * from line_sums(totals, parts);

-- Tables whose structure extraction did not fully recognise (an issue whose code is listed in
-- reference/doubt_issue_codes.csv; table_index null: the whole document): a failed check there is an
-- extraction doubt, not a defect of the publisher (the runner's _place).
create or replace temp view doubtful_tables as
select
    i.document_id,
    i.table_index,
    string_agg(distinct i.code, ',' order by i.code) as doubt
from staging.extraction_issues as i
inner join ref_doubt_issue_codes as c on i.code = c.code
where i.document_id in (select s.document_id from scope_documents as s)
group by i.document_id, i.table_index;
