-- Applicants through the chamber for the invitation-letter batch, as they stood on the as-of day:
-- ready when every document they and their unit owe is received or verified, the passport number
-- is known and valid through the required date, and they are in no batch yet; otherwise the
-- reasons they are blocked, or the batch they are in.
-- params: $as_of, $provinces, $sectors, $themes, $cities, $unit_ids, $statuses — the sidebar filters
--         (see filtered_participants and required_documents in queries/_macros.sql); empty lists mean all.
--         $passport_valid_through (date).
-- columns: participant_id, unit_id, unit_name, name, pinyin_name, gender, date_of_birth, position, passport_number, passport_expiry, holds_us_visa, missing_kinds, passport_problem, batch_id, ready
select * exclude (list)
from batch_applicants($as_of, $provinces::varchar[], $sectors::varchar[], $themes::varchar[], $cities::varchar[], $unit_ids::integer[], $statuses::varchar[], $passport_valid_through)
order by unit_name collate zh, name collate zh, participant_id
