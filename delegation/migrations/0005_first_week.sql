-- 0005: what a secretariat's first week asked for — documents as they stood on the as-of day (each
-- state change kept), a unit confirmed from the day its Annex 1 arrived, chases recorded, the English
-- company name and position for the roster, and conflicts between forms settled by staff.

-- Every state a document has had, appended by delegation/documents.py (set_state) and the demo loader.
create table document_history (
    document_id integer not null,
    status varchar not null,                -- missing | received | verified | rejected
    reason varchar,
    changed_at timestamp not null,
    changed_by varchar not null
);

-- What came before this table: each document's changes from the audit log, and for documents the
-- log does not know (demo data), their first arrival and their current state.
insert into document_history
select
    replace(target, 'document:', '')::integer,
    details->>'$.after.status',
    details->>'$.after.reason',
    logged_at,
    actor
from audit_log
where action = 'document.change' and target like 'document:%';

insert into document_history
select document_id, 'received', null, received_at, coalesce(updated_by, 'unknown')
from documents
where received_at is not null
  and received_at < updated_at
  and document_id not in (select document_id from document_history);

insert into document_history
select document_id, status, reason, updated_at, coalesce(updated_by, 'unknown')
from documents
where document_id not in (select document_id from document_history where changed_at >= documents.updated_at);

-- The day a unit's registration confirmation first arrived, while it is received or verified
-- (kept by documents.sync_confirmations): the unit counts as confirmed from that day on.
alter table units add column confirmed_on date;
update units set confirmed_on = (
    select min(received_at)::date from documents
    where documents.unit_id = units.unit_id and kind = 'registration_confirmation'
      and participant_id is null and status in ('received', 'verified')
);
alter table units drop column confirmation_received;

-- The roster carries the English company name and position where a form gives them.
alter table units add column name_en varchar;
alter table participants add column position_en varchar;

-- When, by whom and how a unit was chased (a message marked as sent).
create table chases (
    unit_id integer not null,
    chased_at timestamp not null,
    chased_by varchar not null,
    channel varchar not null,               -- 'marked' (sent by hand) | 'mail'
    items integer not null                  -- how many items the message asked for
);

-- A conflict between two forms of one import (or any warning) that staff have looked at.
alter table import_issues add column settled_at timestamp;
alter table import_issues add column settled_by varchar;

create or replace macro filtered_participants(
    f_as_of, f_provinces, f_sectors, f_themes, f_cities, f_unit_ids, f_statuses
) as table
with joined as (
    select
        p.*,
        u.name as unit_name,
        u.province,
        u.sector,
        u.owner,
        u.search_text as unit_search_text,
        case
            when p.status = 'withdrawn' or u.status = 'withdrawn' then 'withdrawn'
            when p.status = 'confirmed' or u.status = 'confirmed' or u.confirmed_on <= f_as_of then 'confirmed'
            else 'registered'
        end as registration_status
    from participants p
    join units u using (unit_id)
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

-- required_documents: as in 0003, with each document in the state it had on the as-of day — its
-- current state when it has not changed since, else the last state in its history by the end of
-- that day (missing before it first arrived), and its arrival only when it had arrived by then.
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
),
changed_since as (
    -- only documents changed after the as-of day need their history (none when it is today)
    select h.document_id, arg_max(h.status, h.changed_at) as status, arg_max(h.reason, h.changed_at) as reason
    from documents d
    join document_history h using (document_id)
    where d.updated_at::date > f_as_of and h.changed_at::date <= f_as_of
    group by h.document_id
),
stated as (
    select
        items.unit_id,
        items.participant_id,
        items.kind,
        items.position,
        case
            when d.document_id is null then 'missing'
            when d.updated_at::date <= f_as_of then d.status
            else coalesce(s.status, 'missing')
        end as status,
        case
            when d.document_id is null then null
            when d.updated_at::date <= f_as_of then d.reason
            else s.reason
        end as reason,
        case when d.received_at::date <= f_as_of then d.received_at end as received_at,
        d.document_id
    from items
    left join documents d
        on d.unit_id = items.unit_id
       and d.kind = items.kind
       and d.participant_id is not distinct from items.participant_id
    left join changed_since s on s.document_id = d.document_id
)
select *, status not in ('received', 'verified') as is_missing
from stated;
