-- Everything the documents page draws above its lists, in one pass over the documents owed (not one
-- per chart): the rows of missing_documents_by_kind (part 'kind'), missing_documents_by_province
-- (part 'province') and documents_received_by_day (part 'day'), each tagged with its `part` and
-- ordered as those queries order them. tests/test_documents.py checks that every part equals its own query.
-- params: $as_of, $provinces, $sectors, $themes, $cities, $unit_ids, $statuses — the sidebar filters
--         (see filtered_participants and required_documents in queries/_macros.sql); empty lists mean all.
-- columns: part, position, key, name_zh, name_en, required, missing, day, received_cumulative
with items as materialized (
    select items.kind, items.is_missing, items.received_at, coalesce(u.province, 'unknown') as province
    from required_documents($as_of, $provinces::varchar[], $sectors::varchar[], $themes::varchar[], $cities::varchar[], $unit_ids::integer[], $statuses::varchar[]) as items
    join units u using (unit_id)
),
by_kind as (
    select kind, count(*) as required, count(*) filter (where is_missing) as missing
    from items
    group by kind
),
by_province as (
    select province, count(*) as missing from items where is_missing group by province
),
received as (
    select received_at::date as day, count(*) as received
    from items
    where not is_missing and received_at is not null
    group by 1
)
select
    'kind' as part,
    k.position,
    k.kind as key,
    k.name_zh,
    k.name_en,
    coalesce(by_kind.required, 0)::integer as required,
    coalesce(by_kind.missing, 0)::integer as missing,
    null::date as day,
    null::integer as received_cumulative
from document_kinds k
left join by_kind using (kind)
union all
select
    'province',
    row_number() over (order by by_province.missing desc, by_province.province),
    by_province.province,
    coalesce(p.short_zh, '未知'),
    coalesce(p.name_en, 'Unknown'),
    null,
    by_province.missing::integer,
    null,
    null
from by_province
left join provinces p using (province)
union all
select
    'day',
    row_number() over (order by day),
    null,
    null,
    null,
    (select count(*) from items)::integer,
    null,
    day,
    (sum(received) over (order by day))::integer
from received
order by part, position
