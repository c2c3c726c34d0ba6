-- Participants by sector of their unit, largest first; units without a sector count as 'unknown'.
-- params: $as_of, $provinces, $sectors, $themes, $cities, $unit_ids, $statuses — the sidebar filters
--         (see filtered_participants in queries/_macros.sql); empty lists mean all.
-- columns: sector, name_zh, name_en, participants
with counted as (
    select coalesce(sector, 'unknown') as sector
    from filtered_participants($as_of, $provinces::varchar[], $sectors::varchar[], $themes::varchar[], $cities::varchar[], $unit_ids::integer[], $statuses::varchar[])
    where registration_status <> 'withdrawn'
),
by_sector as (
    select sector, count(*) as participants from counted group by sector
)
select
    by_sector.sector,
    coalesce(sectors.name_zh, '未知') as name_zh,
    coalesce(sectors.name_en, 'Unknown') as name_en,
    by_sector.participants::integer as participants
from by_sector
left join sectors using (sector)
order by participants desc, by_sector.sector
