-- Sign-ups per day and running totals of units (by their first participant) and participants.
-- params: $as_of, $provinces, $sectors, $themes, $cities, $unit_ids, $statuses — the sidebar filters
--         (see filtered_participants in queries/_macros.sql); empty lists mean all.
-- columns: day, units_new, participants_new, units_cumulative, participants_cumulative
with counted as (
    select unit_id, registered_on from filtered_participants($as_of, $provinces::varchar[], $sectors::varchar[], $themes::varchar[], $cities::varchar[], $unit_ids::integer[], $statuses::varchar[])
    where registration_status <> 'withdrawn'
),
unit_first_day as (
    select unit_id, min(registered_on) as day from counted group by unit_id
),
days as (
    select registered_on as day, count(*) as participants_new from counted group by 1
),
unit_days as (
    select day, count(*) as units_new from unit_first_day group by 1
)
select
    days.day,
    coalesce(unit_days.units_new, 0)::integer as units_new,
    days.participants_new::integer as participants_new,
    (sum(coalesce(unit_days.units_new, 0)) over (order by days.day))::integer as units_cumulative,
    (sum(days.participants_new) over (order by days.day))::integer as participants_cumulative
from days
left join unit_days using (day)
order by days.day
