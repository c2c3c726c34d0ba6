-- One page of each of the batch page's three lists — applicants ready, blocked and already in a
-- batch (see batch_applicants in queries/_macros.sql) — and each list's length: only these pages
-- leave DuckDB. Each list in pinyin order of unit and name. A list with nothing on the page asked
-- for (empty, or a page past its end) has one row with its length and no applicant.
-- params: $as_of, $provinces, $sectors, $themes, $cities, $unit_ids, $statuses — the sidebar filters
--         (see filtered_participants in queries/_macros.sql); empty lists mean all.
--         $passport_valid_through (date); $limit (integer) — rows a page;
--         $ready_offset, $blocked_offset, $in_batch_offset (integer) — where each list's page starts.
-- columns: list, total_rows, participant_id, unit_name, name, passport_expiry, missing_kinds, passport_problem, batch_id
with applicants as materialized (
    select
        list, participant_id, unit_name, name, passport_expiry, missing_kinds, passport_problem, batch_id,
        icu_sort_key(unit_name, 'zh') as unit_order,  -- pinyin order, as in units_page.sql
        icu_sort_key(name, 'zh') as name_order
    from batch_applicants($as_of, $provinces::varchar[], $sectors::varchar[], $themes::varchar[], $cities::varchar[], $unit_ids::integer[], $statuses::varchar[], $passport_valid_through)
),
lengths as (
    select list, count(*) as total_rows from applicants group by list
),
ready_page as (
    select * from applicants where list = 'ready'
    order by unit_order, name_order, participant_id limit $limit offset $ready_offset
),
blocked_page as (
    select * from applicants where list = 'blocked'
    order by unit_order, name_order, participant_id limit $limit offset $blocked_offset
),
in_batch_page as (
    select * from applicants where list = 'in_batch'
    order by unit_order, name_order, participant_id limit $limit offset $in_batch_offset
),
pages as (
    select * from ready_page
    union all
    select * from blocked_page
    union all
    select * from in_batch_page
)
select
    lengths.list,
    lengths.total_rows::integer as total_rows,
    pages.participant_id,
    pages.unit_name,
    pages.name,
    pages.passport_expiry,
    pages.missing_kinds,
    pages.passport_problem,
    pages.batch_id
from lengths
left join pages on pages.list = lengths.list
order by lengths.list, pages.unit_order, pages.name_order, pages.participant_id
