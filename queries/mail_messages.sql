-- The registration e-mails, newest first (the Mail page): every one, or the unmatched ones only.
-- params: $unmatched (boolean) — only those no unit is matched to; $limit (integer).
-- columns: message_key, sent_at, imported_at, sender, subject, unit_id, unit_name, matched_by, attachments
select
    m.message_key,
    m.sent_at,
    m.imported_at,
    m.sender,
    m.subject,
    m.unit_id,
    u.name as unit_name,
    m.matched_by,
    (select count(*) from mail_attachments a where a.message_key = m.message_key) as attachments
from mail_messages m
left join units u on u.unit_id = m.unit_id
where not $unmatched or m.unit_id is null
order by coalesce(m.sent_at, m.imported_at) desc, m.message_key
limit $limit
