-- Headline figures: how many units and people have signed up, how many apply for an invitation
-- letter through the chamber, and how many of those hold a passport that expires too early.
-- params: $as_of (date) — count registrations made on or before this day;
--         $passport_valid_through (date) — passports must be valid through this day.
-- columns: units, participants, invitation_applicants, passport_invalid
with counted as (
    select p.*
    from participants p
    join units u using (unit_id)
    where p.status <> 'withdrawn'
      and u.status <> 'withdrawn'
      and p.registered_on <= $as_of
)
select
    count(distinct unit_id) as units,
    count(*) as participants,
    count(*) filter (where applies_via_chamber) as invitation_applicants,
    count(*) filter (
        where applies_via_chamber and passport_expiry < $passport_valid_through
    ) as passport_invalid
from counted
