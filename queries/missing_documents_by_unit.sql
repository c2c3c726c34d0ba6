-- Missing documents per unit and kind (long form: one row per unit and kind with anything owed)
-- for one page of units, units with most missing first (then in pinyin order of their names);
-- $owner narrows to one secretariat member's units ('' for all). Only the page's rows leave DuckDB.
-- Counted by unit id and kind; the units' names, provinces and owners are joined once per unit.
-- params: $as_of, $provinces, $sectors, $themes, $cities, $unit_ids, $statuses — the sidebar filters
--         (see filtered_participants and required_documents in queries/_macros.sql); empty lists mean all.
--         $owner (text) — the owner to show, '' for every unit; $only_missing (boolean) — only units
--         missing something; $limit, $offset (integer) — one page of units.
-- columns: unit_id, unit_name, province, owner, kind, required, missing, unit_missing, total_rows
with by_unit_kind as (
    select unit_id, kind, count(*) as required, count(*) filter (where is_missing) as missing
    from required_documents($as_of, $provinces::varchar[], $sectors::varchar[], $themes::varchar[], $cities::varchar[], $unit_ids::integer[], $statuses::varchar[])
    group by unit_id, kind
),
by_unit as (
    select b.unit_id, b.unit_missing, u.name as unit_name, u.province, u.owner, icu_sort_key(u.name, 'zh') as name_order
    from (
        select unit_id, sum(missing) as unit_missing
        from by_unit_kind
        group by unit_id
        having not $only_missing or sum(missing) > 0
    ) b
    join units u using (unit_id)
    where $owner = '' or u.owner = $owner
),
shown as (
    select * from by_unit
    order by unit_missing desc, name_order, unit_id
    limit $limit offset $offset
)
select
    k.unit_id,
    shown.unit_name,
    shown.province,
    shown.owner,
    k.kind,
    k.required::integer as required,
    k.missing::integer as missing,
    shown.unit_missing::integer as unit_missing,
    (select count(*) from by_unit)::integer as total_rows  -- a count, not a window: the sort stays a top-N
from by_unit_kind k
join shown using (unit_id)
order by shown.unit_missing desc, shown.name_order, k.unit_id, k.kind
