-- Participants by sector of their unit, largest first; units without a sector count as 'unknown'.
-- params: $as_of (date) — count registrations made on or before this day.
-- columns: sector, name_zh, name_en, participants
with counted as (
    select u.sector
    from participants p
    join units u using (unit_id)
    where p.status <> 'withdrawn'
      and u.status <> 'withdrawn'
      and p.registered_on <= $as_of
)
select
    coalesce(counted.sector, 'unknown') as sector,
    coalesce(sectors.name_zh, '未知') as name_zh,
    coalesce(sectors.name_en, 'Unknown') as name_en,
    count(*) as participants
from counted
left join sectors using (sector)
group by all
order by participants desc, sector
