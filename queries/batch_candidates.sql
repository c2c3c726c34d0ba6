-- Applicants through the chamber for the invitation-letter batch, as they stood on the as-of day:
-- ready when every document they and their unit owe is received or verified, the passport number
-- is known and valid through the required date, and they are in no batch yet; otherwise the
-- reasons they are blocked, or the batch they are in.
-- params: $as_of, $provinces, $sectors, $themes, $cities, $unit_ids, $statuses — the sidebar filters
--         (see filtered_participants and required_documents in queries/_macros.sql); empty lists mean all.
--         $passport_valid_through (date).
-- columns: participant_id, unit_id, unit_name, name, pinyin_name, gender, date_of_birth, position, passport_number, passport_expiry, holds_us_visa, missing_kinds, passport_problem, batch_id, ready
with counted as (
    select * from filtered_participants($as_of, $provinces::varchar[], $sectors::varchar[], $themes::varchar[], $cities::varchar[], $unit_ids::integer[], $statuses::varchar[])
    where registration_status <> 'withdrawn' and applies_via_chamber
),
items as (
    select * from required_documents($as_of, $provinces::varchar[], $sectors::varchar[], $themes::varchar[], $cities::varchar[], $unit_ids::integer[], $statuses::varchar[])
),
own_missing as (
    select participant_id, list(kind order by position) as kinds
    from items
    where is_missing and participant_id is not null
    group by participant_id
),
unit_missing as (
    select unit_id, list(kind order by position) as kinds
    from items
    where is_missing and participant_id is null
    group by unit_id
),
in_batch as (
    -- in a batch frozen by the end of the as-of day
    select participant_id, min(batch_id) as batch_id
    from batch_members
    where added_at::date <= $as_of
    group by participant_id
),
checked as (
    select
        c.*,
        list_concat(coalesce(um.kinds, []), coalesce(om.kinds, [])) as missing_kinds,
        case
            when c.passport_number is null then 'no_number'
            when c.passport_expiry is null then 'expiry_unknown'
            when c.passport_expiry < $passport_valid_through then 'expires_too_early'
        end as passport_problem,
        b.batch_id
    from counted c
    left join own_missing om using (participant_id)
    left join unit_missing um on um.unit_id = c.unit_id
    left join in_batch b on b.participant_id = c.participant_id
)
select
    participant_id,
    unit_id,
    unit_name,
    name,
    pinyin_name,
    gender,
    date_of_birth,
    position,
    passport_number,
    passport_expiry,
    holds_us_visa,
    missing_kinds,
    passport_problem,
    batch_id,
    len(missing_kinds) = 0 and passport_problem is null and batch_id is null as ready
from checked
order by unit_name collate zh, name collate zh, participant_id
