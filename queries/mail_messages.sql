-- One page of the registration e-mails, newest first (the Mail page): every one, or the unmatched
-- ones only. The unit names and the attachment counts are those of the page's messages only.
-- params: $unmatched (boolean) — only those no unit is matched to; $limit, $offset (integer) — one page.
-- columns: message_key, received_at, sender, subject, unit_id, unit_name, attachments, total_rows
with matching as (
    select
        message_key,
        coalesce(sent_at, imported_at) as received_at,
        sender,
        subject,
        unit_id,
        count(*) over () as total_rows
    from mail_messages
    where not $unmatched or unit_id is null
),
listed as (
    select * from matching order by received_at desc, message_key limit $limit offset $offset
),
attached as (
    select message_key, count(*) as attachments
    from mail_attachments
    where message_key in (select message_key from listed)
    group by message_key
)
select
    l.message_key,
    l.received_at,
    l.sender,
    l.subject,
    l.unit_id,
    u.name as unit_name,
    coalesce(a.attachments, 0) as attachments,
    l.total_rows
from listed l
left join units u on u.unit_id = l.unit_id
left join attached a on a.message_key = l.message_key
order by l.received_at desc, l.message_key
