-- 0004: a unit's "registration confirmation received" as a column on units, kept by
-- delegation/documents.py (set_state) and the demo loader, so filtered_participants no longer scans and
-- joins the documents table for every dashboard query (a fifth of the overview's time at 100 000).

alter table units add column confirmation_received boolean not null default false;

update units set confirmation_received = true
where unit_id in (
    select unit_id
    from documents
    where kind = 'registration_confirmation' and participant_id is null and status in ('received', 'verified')
);

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
            when p.status = 'confirmed' or u.status = 'confirmed' or u.confirmation_received then 'confirmed'
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
