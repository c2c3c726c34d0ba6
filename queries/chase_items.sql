-- The chase list: every missing or invalid item per unit — documents not received (or rejected),
-- passports of applicants that expire too early or whose expiry is unknown, and Annex 2 rows
-- missing a field — with the unit's contact. One row per item.
-- params: $as_of, $provinces, $sectors, $themes, $cities, $unit_ids, $statuses — the sidebar filters
--         (see filtered_participants and required_documents in delegation/migrations/); empty lists mean all.
--         $passport_valid_through (date); $owner (text) — one secretariat member's units, '' for all.
-- columns: unit_id, unit_name, owner, contact_name, contact_mobile, contact_email, participant_id, participant_name, item, detail, reason
with counted as (
    select * from filtered_participants($as_of, $provinces::varchar[], $sectors::varchar[], $themes::varchar[], $cities::varchar[], $unit_ids::integer[], $statuses::varchar[])
    where registration_status <> 'withdrawn'
),
document_items as (
    select unit_id, participant_id, kind as item, status as detail, reason
    from required_documents($as_of, $provinces::varchar[], $sectors::varchar[], $themes::varchar[], $cities::varchar[], $unit_ids::integer[], $statuses::varchar[])
    where is_missing
),
expiry_items as (
    select
        unit_id,
        participant_id,
        'passport_expiry' as item,
        coalesce(strftime(passport_expiry, '%Y-%m-%d'), 'unknown') as detail,
        null as reason
    from counted
    where applies_via_chamber and (passport_expiry is null or passport_expiry < $passport_valid_through)
),
field_items as (
    select
        unit_id,
        participant_id,
        'annex2_fields' as item,
        array_to_string(
            list_filter(
                [
                    case when gender is null then 'gender' end,
                    case when position is null then 'position' end,
                    case when mobile is null then 'mobile' end,
                    case when applies_via_chamber and passport_number is null then 'passport_number' end
                ],
                lambda x: x is not null
            ),
            ','
        ) as detail,
        null as reason
    from counted
    where gender is null or position is null or mobile is null or (applies_via_chamber and passport_number is null)
),
items as (
    select * from document_items
    union all
    select * from expiry_items
    union all
    select * from field_items
)
select
    u.unit_id,
    u.name as unit_name,
    u.owner,
    u.contact_name,
    u.contact_mobile,
    u.contact_email,
    items.participant_id,
    p.name as participant_name,
    items.item,
    items.detail,
    items.reason
from items
join units u on u.unit_id = items.unit_id
left join participants p on p.participant_id = items.participant_id
where $owner = '' or u.owner = $owner
order by u.name collate zh, u.unit_id, items.participant_id is not null, p.name collate zh, items.participant_id, items.item
