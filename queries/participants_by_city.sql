-- Participants by visit city: a person counts once under every visit city they chose, so the shares
-- add up to more than 100%. Every configured visit city appears, most chosen first (ties in
-- configured order), 0 when nobody chose it.
-- params: $as_of, $provinces, $sectors, $themes, $cities, $unit_ids, $statuses — the sidebar filters
--         (see filtered_participants in queries/_macros.sql); empty lists mean all.
-- columns: city, name_zh, name_en, participants, share
with counted as (
    select participant_id, cities from filtered_participants($as_of, $provinces::varchar[], $sectors::varchar[], $themes::varchar[], $cities::varchar[], $unit_ids::integer[], $statuses::varchar[])
    where registration_status <> 'withdrawn'
),
total as (
    select count(*) as participants from counted
),
by_city as (
    select unnest(cities) as city, count(*) as participants from counted group by 1
)
select
    cities.city,
    cities.name_zh,
    cities.name_en,
    coalesce(by_city.participants, 0)::integer as participants,
    coalesce(by_city.participants / nullif(total.participants, 0), 0)::double as share
from cities
cross join total
left join by_city using (city)
order by participants desc, cities.position
