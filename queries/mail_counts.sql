-- The mailbox in figures (summary --json and the Mail page): messages imported, those no unit is
-- matched to yet, and the messages the desk has sent.
-- params: none.
-- columns: messages, unmatched, sent
select
    (select count(*) from mail_messages) as messages,
    (select count(*) from mail_messages where unit_id is null) as unmatched,
    (select count(*) from mail_sent where sent_at is not null) as sent
