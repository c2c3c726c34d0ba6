-- The chase list: every missing or invalid item per unit — documents not received (or rejected),
-- passports of applicants that expire too early or whose expiry is unknown, applicants' missing
-- passport numbers, and Annex 2 rows missing a field — with the unit's contact and its last chase.
-- A passport that fails the rule is renewed, so its scan is not asked for (the new one is).
-- One row per item of the units of one page (units in pinyin order of their names): a unit's own
-- items first, then its people in pinyin order, each person's documents in the event's order before
-- the passport's items and the rest of Annex 2. Only the page's items leave DuckDB.
-- params: $as_of, $provinces, $sectors, $themes, $cities, $unit_ids, $statuses — the sidebar filters
--         (see filtered_participants and required_documents in queries/_macros.sql); empty lists mean all.
--         $passport_valid_through (date); $owner (text) — one secretariat member's units, '' for all;
--         $not_chased_since (timestamp or null) — only units not chased since then (null: every unit);
--         $page (integer, from 1), $page_units (integer) — units per page; 0: every unit on one page.
--         A page past the end is the last page.
-- columns: unit_id, unit_name, owner, contact_name, contact_mobile, contact_email, last_chased_at, last_chased_by, participant_id, participant_name, pinyin_name, item, detail, reason, units, page
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
number_items as (
    -- a passport number is needed for the invitation letter, so it is chased with the documents
    select unit_id, participant_id, 'passport_number' as item, null as detail, null as reason
    from counted
    where applies_via_chamber and passport_number is null
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
                    case when mobile is null then 'mobile' end
                ],
                lambda x: x is not null
            ),
            ','
        ) as detail,
        null as reason
    from counted
    where gender is null or position is null or mobile is null
),
last_chase as (
    select unit_id, max(chased_at) as chased_at, arg_max(chased_by, chased_at) as chased_by
    from chases
    group by unit_id
),
renewed as (
    select participant_id from expiry_items where detail <> 'unknown'
),
items as (
    select * from document_items
    where not (item = 'passport_scan' and participant_id in (select participant_id from renewed))
    union all
    select * from expiry_items
    union all
    select * from number_items
    union all
    select * from field_items
),
chased as (
    select
        u.unit_id,
        u.name,
        u.owner,
        u.contact_name,
        u.contact_mobile,
        u.contact_email,
        c.chased_at,
        c.chased_by,
        icu_sort_key(u.name, 'zh') as name_order  -- pinyin order, as in units_page.sql
    from units u
    left join last_chase c on c.unit_id = u.unit_id
    where u.unit_id in (select unit_id from items)
      and ($owner = '' or u.owner = $owner)
      and ($not_chased_since::timestamp is null or c.chased_at is null or c.chased_at < $not_chased_since::timestamp)
),
paging as (
    -- the page asked for, or the last one when it is past the end
    select
        units,
        case when $page_units > 0
            then least(greatest($page, 1), greatest(ceil(units / $page_units), 1))::integer
            else 1
        end as page
    from (select count(*) as units from chased)
),
shown as (
    -- the page's units, cut by a top-N in pinyin order: no numbering of every unit
    select chased.*, paging.units, paging.page
    from chased, paging
    order by chased.name_order, chased.unit_id
    limit (case when $page_units > 0 then $page_units end)
    offset (select (page - 1) * greatest($page_units, 0) from paging)
)
select
    u.unit_id,
    u.name as unit_name,
    u.owner,
    u.contact_name,
    u.contact_mobile,
    u.contact_email,
    u.chased_at as last_chased_at,
    u.chased_by as last_chased_by,
    items.participant_id,
    p.name as participant_name,
    p.pinyin_name,
    items.item,
    items.detail,
    items.reason,
    u.units::integer as units,
    u.page
from items
join shown u on u.unit_id = items.unit_id
left join participants p on p.participant_id = items.participant_id
left join document_kinds k on k.kind = items.item
order by
    u.name_order, u.unit_id, items.participant_id is not null, p.name collate zh, items.participant_id,
    -- documents in the event's order, then the passport's own items, then the rest of Annex 2
    coalesce(k.position, 100 + (items.item = 'annex2_fields')::integer * 10),
    items.item
