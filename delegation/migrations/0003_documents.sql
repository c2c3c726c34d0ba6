-- 0003: documents owed and received, the secretariat's owner per unit, invitation-letter batches,
-- and "confirmed" as a registration status (the unit's Annex 1 has arrived).

-- The configured document rules (synced from event.toml on every start, like the other reference tables).
create table document_kinds (
    kind varchar primary key,
    level varchar not null,                 -- unit | participant
    name_zh varchar not null,
    name_en varchar not null,
    needs_applies_via_chamber boolean not null,
    needs_holds_us_visa boolean not null,
    needs_wants_arrangements boolean not null,
    position integer not null
);

alter table documents add column received_at timestamp;  -- when it first arrived (received or verified)
alter table units add column owner varchar;                -- the secretariat member who chases this unit

create sequence batch_id_seq;
create table batches (
    batch_id integer primary key default nextval('batch_id_seq'),  -- the batch number
    status varchar not null,                -- draft | submitted | letters_received | sent_to_units
    created_at timestamp not null,
    created_by varchar not null,
    status_changed_at timestamp not null
);

create table batch_members (
    batch_id integer not null,
    participant_id integer not null,
    added_at timestamp not null
);

-- Registration status now knows "confirmed": the unit's registration confirmation is received or verified.
create or replace macro filtered_participants(
    f_as_of, f_provinces, f_sectors, f_themes, f_cities, f_unit_ids, f_statuses
) as table
with confirmed_units as (
    select distinct unit_id
    from documents
    where kind = 'registration_confirmation' and participant_id is null and status in ('received', 'verified')
),
joined as (
    select
        p.*,
        u.name as unit_name,
        u.province,
        u.sector,
        u.owner,
        u.search_text as unit_search_text,
        case
            when p.status = 'withdrawn' or u.status = 'withdrawn' then 'withdrawn'
            when p.status = 'confirmed' or u.status = 'confirmed' or c.unit_id is not null then 'confirmed'
            else 'registered'
        end as registration_status
    from participants p
    join units u using (unit_id)
    left join confirmed_units c on c.unit_id = p.unit_id
)
select *
from joined
where registered_on <= f_as_of
  and (len(f_provinces) = 0 or list_contains(f_provinces, coalesce(province, 'unknown')))
  and (len(f_sectors) = 0 or list_contains(f_sectors, coalesce(sector, 'unknown')))
  and (len(f_themes) = 0 or list_has_any(f_themes, themes))
  and (len(f_cities) = 0 or list_has_any(f_cities, cities))
  and (len(f_unit_ids) = 0 or list_contains(f_unit_ids, unit_id))
  and (
      (len(f_statuses) = 0 and registration_status <> 'withdrawn')
      or list_contains(f_statuses, registration_status)
  );

-- required_documents: every document the counted units and participants owe under the configured
-- rules, with its current state ('missing' when nothing has arrived). Same parameters as
-- filtered_participants; withdrawn registrations owe nothing.
create or replace macro required_documents(
    f_as_of, f_provinces, f_sectors, f_themes, f_cities, f_unit_ids, f_statuses
) as table
with counted as (
    select * from filtered_participants(f_as_of, f_provinces, f_sectors, f_themes, f_cities, f_unit_ids, f_statuses)
    where registration_status <> 'withdrawn'
),
unit_items as (
    select distinct c.unit_id, null::integer as participant_id, k.kind, k.position
    from counted c
    cross join document_kinds k
    where k.level = 'unit'
),
participant_items as (
    select c.unit_id, c.participant_id, k.kind, k.position
    from counted c
    cross join document_kinds k
    where k.level = 'participant'
      and (not k.needs_applies_via_chamber or c.applies_via_chamber)
      and (not k.needs_holds_us_visa or c.holds_us_visa)
      and (not k.needs_wants_arrangements or c.wants_arrangements)
),
items as (
    select * from unit_items
    union all
    select * from participant_items
)
select
    items.unit_id,
    items.participant_id,
    items.kind,
    items.position,
    coalesce(d.status, 'missing') as status,
    d.reason,
    d.received_at,
    d.document_id,
    coalesce(d.status, 'missing') not in ('received', 'verified') as is_missing
from items
left join documents d
    on d.unit_id = items.unit_id
   and d.kind = items.kind
   and d.participant_id is not distinct from items.participant_id;
