-- Data quality: passport numbers registered under more than one unit (a typo, or one person twice).
-- params: $as_of, $provinces, $sectors, $themes, $cities, $unit_ids, $statuses — the sidebar filters
--         (see filtered_participants in queries/_macros.sql); empty lists mean all.
--         $limit, $offset (integer) — one page of the list.
-- columns: passport_number, units, unit_names, participant_names, total_rows
with counted as (
    select * from filtered_participants($as_of, $provinces::varchar[], $sectors::varchar[], $themes::varchar[], $cities::varchar[], $unit_ids::integer[], $statuses::varchar[])
    where passport_number is not null
),
duplicated as (
    -- the numbers first (a count per number), so that only their few rows have names joined up
    select passport_number from counted group by passport_number having count(distinct unit_id) > 1
)
select
    passport_number,
    count(distinct unit_id)::integer as units,
    string_agg(distinct unit_name, ' / ' order by unit_name collate zh) as unit_names,
    string_agg(distinct name, ' / ' order by name collate zh) as participant_names,
    count(*) over ()::integer as total_rows  -- the whole list's length (after the grouping), on every row of the page
from counted
semi join duplicated using (passport_number)
group by passport_number
order by passport_number
limit $limit offset $offset
