-- 0002: what the dashboards need — search text (Chinese, pinyin, initials, English) on units and
-- participants, and one macro that applies the sidebar's filters, so every query filters the same way.

alter table units add column search_text varchar not null default '';
alter table participants add column search_text varchar not null default '';

-- filtered_participants: participants (with their unit's province, sector and name) that pass the filters.
-- f_as_of: registered on or before this day. Each list is "any of these"; an empty list means no filter.
-- status is the effective registration status: withdrawn when the person or the unit withdrew,
-- confirmed when the unit's Annex 1 has arrived (or the person is confirmed), else registered.
-- An empty statuses list means "everyone not withdrawn": withdrawn people are out of every count.
create or replace macro filtered_participants(
    f_as_of, f_provinces, f_sectors, f_themes, f_cities, f_unit_ids, f_statuses
) as table
with joined as (
    select
        p.*,
        u.name as unit_name,
        u.province,
        u.sector,
        u.search_text as unit_search_text,
        case
            when p.status = 'withdrawn' or u.status = 'withdrawn' then 'withdrawn'
            when p.status = 'confirmed' or u.status = 'confirmed' then 'confirmed'
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
