-- The roster of one invitation-letter batch, as the US side asks for it (the English company name
-- and position where a form gave them), by unit and name.
-- params: $batch_id (integer).
-- columns: participant_id, unit_name, unit_name_en, name, pinyin_name, gender, date_of_birth, position, position_en, passport_number, passport_expiry, holds_us_visa
select
    p.participant_id,
    u.name as unit_name,
    u.name_en as unit_name_en,
    p.name,
    p.pinyin_name,
    p.gender,
    p.date_of_birth,
    p.position,
    p.position_en,
    p.passport_number,
    p.passport_expiry,
    p.holds_us_visa
from batch_members m
join participants p using (participant_id)
join units u on u.unit_id = p.unit_id
where m.batch_id = $batch_id
order by u.name collate zh, p.name collate zh, p.participant_id
