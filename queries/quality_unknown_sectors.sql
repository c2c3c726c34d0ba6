-- Data quality: units whose sector as written matched no configured sector and was counted as 'other'.
-- params: none.
-- columns: unit_id, unit_name, sector_as_written
select distinct u.unit_id, u.name as unit_name, u.sector_as_written
from import_issues i
join participants p using (participant_id)
join units u on u.unit_id = p.unit_id
where i.code = 'unknown_sector' and u.sector = 'other'
order by unit_name collate zh
