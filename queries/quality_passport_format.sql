-- Data quality: passport numbers that do not have the PRC passport format (a warning: foreign
-- passports exist, but a typo is likelier).
-- params: $as_of, $provinces, $sectors, $themes, $cities, $unit_ids, $statuses — the sidebar filters
--         (see filtered_participants in queries/_macros.sql); empty lists mean all.
--         $passport_pattern (text) — the regular expression of a PRC passport number.
--         $limit, $offset (integer) — one page of the list.
-- columns: participant_id, unit_name, name, passport_number, total_rows
select
    participant_id,
    unit_name,
    name,
    passport_number,
    count(*) over ()::integer as total_rows  -- the whole list's length, on every row of the page
from filtered_participants($as_of, $provinces::varchar[], $sectors::varchar[], $themes::varchar[], $cities::varchar[], $unit_ids::integer[], $statuses::varchar[])
where passport_number is not null and not regexp_full_match(passport_number, $passport_pattern)
order by unit_name collate zh, name collate zh, participant_id
limit $limit offset $offset
