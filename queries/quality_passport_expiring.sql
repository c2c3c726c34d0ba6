-- Data quality: applicants through the chamber whose passport expires before the required date,
-- or whose expiry is unknown, with how many days short they are (null when unknown).
-- params: $as_of, $provinces, $sectors, $themes, $cities, $unit_ids, $statuses — the sidebar filters
--         (see filtered_participants in queries/_macros.sql); empty lists mean all.
--         $passport_valid_through (date) — passports must be valid through this day.
--         $limit, $offset (integer) — one page of the list.
-- columns: participant_id, unit_name, name, passport_expiry, days_short, total_rows
select
    participant_id,
    unit_name,
    name,
    passport_expiry,
    date_diff('day', passport_expiry, $passport_valid_through)::integer as days_short,
    count(*) over ()::integer as total_rows  -- the whole list's length, on every row of the page
from filtered_participants($as_of, $provinces::varchar[], $sectors::varchar[], $themes::varchar[], $cities::varchar[], $unit_ids::integer[], $statuses::varchar[])
where applies_via_chamber
  and registration_status <> 'withdrawn'
  and (passport_expiry is null or passport_expiry < $passport_valid_through)
order by passport_expiry nulls first, unit_name collate zh, name collate zh, participant_id
limit $limit offset $offset
