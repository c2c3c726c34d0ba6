-- The passport and visa scans of one batch's members, for the ZIP sent with the application.
-- params: $batch_id (integer).
-- columns: participant_id, unit_name, name, pinyin_name, kind, stored_name, original_name, content_type
select
    p.participant_id,
    u.name as unit_name,
    p.name,
    p.pinyin_name,
    d.kind,
    d.stored_name,
    d.original_name,
    d.content_type
from batch_members m
join participants p using (participant_id)
join units u on u.unit_id = p.unit_id
join documents d on d.participant_id = p.participant_id
where m.batch_id = $batch_id
  and d.kind in ('passport_scan', 'us_visa_scan')
  and d.status in ('received', 'verified')
  and d.stored_name is not null
order by u.name collate zh, p.name collate zh, p.participant_id, d.kind
