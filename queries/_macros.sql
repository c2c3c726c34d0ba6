-- The macros every dashboard and list query filters through, so all of them filter the same way;
-- applied by delegation/db.py on every connection that may write (`apply_macros`), after the migrations.
-- params: none bound here; each macro takes f_as_of, f_provinces, f_sectors, f_themes, f_cities, f_unit_ids, f_statuses.
-- columns: none (it defines filtered_participants, required_documents and batch_applicants, table macros).

-- filtered_participants: participants (with their unit's province, sector, owner and name) that
-- pass the filters. f_as_of: registered on or before this day. Each list is "any of these"; an empty
-- list means no filter. registration_status is the effective status: withdrawn when the person or
-- the unit withdrew, confirmed when the person is confirmed or the unit's Annex 1 arrived by the
-- as-of day, else registered. An empty statuses list means "everyone not withdrawn": withdrawn
-- people are out of every count.
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

-- required_documents: every document the counted units and participants owe under the configured
-- rules, each in the state it had on the as-of day — its current state when it has not changed
-- since, else the last state in its history by the end of that day (missing before it first
-- arrived), and its arrival only when it had arrived by then. Withdrawn registrations owe nothing.
create or replace macro required_documents(
    f_as_of, f_provinces, f_sectors, f_themes, f_cities, f_unit_ids, f_statuses
) as table
with counted as (
    select * from filtered_participants(f_as_of, f_provinces, f_sectors, f_themes, f_cities, f_unit_ids, f_statuses)
    where registration_status <> 'withdrawn'
),
unit_items as (
    select u.unit_id, null::integer as participant_id, k.kind, k.position
    from (select distinct unit_id from counted) u
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
            when items.document_id is null then 'missing'
            when items.updated_at::date <= f_as_of then items.status
            else coalesce(s.status, 'missing')
        end as status,
        case
            when items.document_id is null then null
            when items.updated_at::date <= f_as_of then items.reason
            else s.reason
        end as reason,
        case when items.received_at::date <= f_as_of then items.received_at end as received_at,
        items.document_id
    from (
        -- a unit's own documents by unit, a person's by person: two plain equality joins
        select i.*, d.document_id, d.status, d.reason, d.updated_at, d.received_at
        from unit_items i
        left join documents d on d.unit_id = i.unit_id and d.kind = i.kind and d.participant_id is null
        union all
        select i.*, d.document_id, d.status, d.reason, d.updated_at, d.received_at
        from participant_items i
        left join documents d on d.participant_id = i.participant_id and d.kind = i.kind
    ) as items
    left join changed_since s on s.document_id = items.document_id
)
select *, status not in ('received', 'verified') as is_missing
from stated;


-- batch_applicants: applicants through the chamber for the invitation-letter batch, as they stood
-- on the as-of day: ready when every document they and their unit owe is received or verified, the
-- passport number is known and valid through f_passport_valid_through, and they are in no batch yet;
-- otherwise the reasons they are blocked, or the batch they are in. `list` says which of the three
-- lists of the batch page an applicant is on: ready, blocked or in_batch.
create or replace macro batch_applicants(
    f_as_of, f_provinces, f_sectors, f_themes, f_cities, f_unit_ids, f_statuses, f_passport_valid_through
) as table
with counted as (
    select * from filtered_participants(f_as_of, f_provinces, f_sectors, f_themes, f_cities, f_unit_ids, f_statuses)
    where registration_status <> 'withdrawn' and applies_via_chamber
),
items as (
    select * from required_documents(f_as_of, f_provinces, f_sectors, f_themes, f_cities, f_unit_ids, f_statuses)
),
own_missing as (
    select participant_id, list(kind order by position) as kinds
    from items
    where is_missing and participant_id is not null
    group by participant_id
),
unit_missing as (
    select unit_id, list(kind order by position) as kinds
    from items
    where is_missing and participant_id is null
    group by unit_id
),
in_batch as (
    -- in a batch frozen by the end of the as-of day
    select participant_id, min(batch_id) as batch_id
    from batch_members
    where added_at::date <= f_as_of
    group by participant_id
),
checked as (
    select
        c.*,
        list_concat(coalesce(um.kinds, []), coalesce(om.kinds, [])) as missing_kinds,
        case
            when c.passport_number is null then 'no_number'
            when c.passport_expiry is null then 'expiry_unknown'
            when c.passport_expiry < f_passport_valid_through then 'expires_too_early'
        end as passport_problem,
        b.batch_id
    from counted c
    left join own_missing om using (participant_id)
    left join unit_missing um on um.unit_id = c.unit_id
    left join in_batch b on b.participant_id = c.participant_id
)
select
    participant_id,
    unit_id,
    unit_name,
    name,
    pinyin_name,
    gender,
    date_of_birth,
    position,
    passport_number,
    passport_expiry,
    holds_us_visa,
    missing_kinds,
    passport_problem,
    batch_id,
    len(missing_kinds) = 0 and passport_problem is null and batch_id is null as ready,
    case
        when batch_id is not null then 'in_batch'
        when len(missing_kinds) = 0 and passport_problem is null then 'ready'
        else 'blocked'
    end as list
from checked;
