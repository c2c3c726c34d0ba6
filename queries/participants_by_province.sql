-- Participants by province of their unit, largest first; units without a known province count as 'unknown'.
-- params: $as_of (date) — count registrations made on or before this day.
-- columns: province, name_zh, name_en, participants
with counted as (
    select u.province
    from participants p
    join units u using (unit_id)
    where p.status <> 'withdrawn'
      and u.status <> 'withdrawn'
      and p.registered_on <= $as_of
)
select
    coalesce(counted.province, 'unknown') as province,
    coalesce(provinces.name_zh, '未知') as name_zh,
    coalesce(provinces.name_en, 'Unknown') as name_en,
    count(*) as participants
from counted
left join provinces using (province)
group by all
order by participants desc, province
