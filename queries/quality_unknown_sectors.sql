-- Data quality: units whose sector as written matched no configured sector and was counted as 'other'.
-- params: $limit, $offset (integer) — one page of the list.
-- columns: unit_id, unit_name, sector_as_written, total_rows
select
    u.unit_id,
    u.name as unit_name,
    u.sector_as_written,
    count(*) over ()::integer as total_rows  -- the whole list's length (after the grouping), on every row of the page
from import_issues i
join participants p using (participant_id)
join units u on u.unit_id = p.unit_id
where i.code = 'unknown_sector' and u.sector = 'other'
group by u.unit_id, u.name, u.sector_as_written
order by unit_name collate zh
limit $limit offset $offset
