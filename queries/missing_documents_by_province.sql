-- Missing documents by the province of the unit that owes them, most first.
-- params: $as_of, $provinces, $sectors, $themes, $cities, $unit_ids, $statuses — the sidebar filters
--         (see filtered_participants and required_documents in queries/_macros.sql); empty lists mean all.
-- columns: province, name_zh, name_en, missing
with items as (
    select items.*, coalesce(u.province, 'unknown') as province
    from required_documents($as_of, $provinces::varchar[], $sectors::varchar[], $themes::varchar[], $cities::varchar[], $unit_ids::integer[], $statuses::varchar[]) as items
    join units u using (unit_id)
    where items.is_missing
),
by_province as (
    select province, count(*) as missing from items group by province
)
select
    by_province.province,
    coalesce(p.short_zh, '未知') as name_zh,
    coalesce(p.name_en, 'Unknown') as name_en,
    by_province.missing::integer as missing
from by_province
left join provinces p using (province)
order by missing desc, by_province.province
