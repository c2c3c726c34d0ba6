-- Completion over time: required documents received by each day (cumulative), against all required.
-- params: $as_of, $provinces, $sectors, $themes, $cities, $unit_ids, $statuses — the sidebar filters
--         (see filtered_participants and required_documents in queries/_macros.sql); empty lists mean all.
-- columns: day, received_cumulative, required
with items as (
    select * from required_documents($as_of, $provinces::varchar[], $sectors::varchar[], $themes::varchar[], $cities::varchar[], $unit_ids::integer[], $statuses::varchar[])
),
received as (
    select received_at::date as day, count(*) as received
    from items
    where not is_missing and received_at is not null
    group by 1
)
select
    day,
    (sum(received) over (order by day))::integer as received_cumulative,
    (select count(*) from items)::integer as required
from received
order by day
