-- Participants by visit city: a person counts once under every city they will visit.
-- Every configured city appears, in configured order, with 0 when nobody chose it.
-- params: $as_of (date) — count registrations made on or before this day.
-- columns: city, name_zh, name_en, participants
with counted as (
    select unnest(p.cities) as city
    from participants p
    join units u using (unit_id)
    where p.status <> 'withdrawn'
      and u.status <> 'withdrawn'
      and p.registered_on <= $as_of
),
by_city as (
    select city, count(*) as participants from counted group by city
)
select cities.city, cities.name_zh, cities.name_en, coalesce(by_city.participants, 0) as participants
from cities
left join by_city using (city)
order by cities.position
