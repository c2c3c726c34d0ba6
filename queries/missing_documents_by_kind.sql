-- Required documents by kind: how many are owed and how many are still missing (not received or
-- verified; a rejected one counts as missing). Every configured kind appears, in configured order.
-- params: $as_of, $provinces, $sectors, $themes, $cities, $unit_ids, $statuses — the sidebar filters
--         (see filtered_participants and required_documents in queries/_macros.sql); empty lists mean all.
-- columns: kind, name_zh, name_en, required, missing
with items as (
    select * from required_documents($as_of, $provinces::varchar[], $sectors::varchar[], $themes::varchar[], $cities::varchar[], $unit_ids::integer[], $statuses::varchar[])
),
by_kind as (
    select kind, count(*) as required, count(*) filter (where is_missing) as missing
    from items
    group by kind
)
select
    k.kind,
    k.name_zh,
    k.name_en,
    coalesce(by_kind.required, 0)::integer as required,
    coalesce(by_kind.missing, 0)::integer as missing
from document_kinds k
left join by_kind using (kind)
order by k.position
