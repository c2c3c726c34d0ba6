-- Headline figures: how many units and people have signed up, how many apply for an invitation
-- letter through the chamber, and how many of those hold a passport that expires too early.
-- params: $as_of, $provinces, $sectors, $themes, $cities, $unit_ids, $statuses — the sidebar filters
--         (see filtered_participants in queries/_macros.sql); empty lists mean all.
--         $passport_valid_through (date) — passports must be valid through this day.
-- columns: units, participants, invitation_applicants, passport_invalid
with counted as (
    select * from filtered_participants($as_of, $provinces::varchar[], $sectors::varchar[], $themes::varchar[], $cities::varchar[], $unit_ids::integer[], $statuses::varchar[])
    where registration_status <> 'withdrawn'
)
select
    count(distinct unit_id) as units,
    count(*) as participants,
    count(*) filter (where applies_via_chamber) as invitation_applicants,
    count(*) filter (
        where applies_via_chamber and passport_expiry < $passport_valid_through
    ) as passport_invalid
from counted
