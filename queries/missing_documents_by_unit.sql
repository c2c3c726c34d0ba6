-- Missing documents per unit and kind (long form: one row per unit and kind with anything owed),
-- units with most missing first; $owner narrows to one secretariat member's units ('' for all).
-- params: $as_of, $provinces, $sectors, $themes, $cities, $unit_ids, $statuses — the sidebar filters
--         (see filtered_participants and required_documents in queries/_macros.sql); empty lists mean all.
--         $owner (text) — the owner to show, '' for every unit.
-- columns: unit_id, unit_name, province, owner, kind, required, missing, unit_missing
with items as (
    select items.*, u.name as unit_name, u.province, u.owner
    from required_documents($as_of, $provinces::varchar[], $sectors::varchar[], $themes::varchar[], $cities::varchar[], $unit_ids::integer[], $statuses::varchar[]) as items
    join units u using (unit_id)
    where $owner = '' or u.owner = $owner
),
by_unit_kind as (
    select unit_id, unit_name, province, owner, kind, count(*) as required, count(*) filter (where is_missing) as missing
    from items
    group by all
)
select
    unit_id,
    unit_name,
    province,
    owner,
    kind,
    required::integer as required,
    missing::integer as missing,
    (sum(missing) over (partition by unit_id))::integer as unit_missing
from by_unit_kind
order by unit_missing desc, unit_name collate zh, unit_id, kind
