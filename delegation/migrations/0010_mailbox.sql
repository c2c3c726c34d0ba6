-- 0010: the registration mailbox (issue 25). A message's raw bytes are kept encrypted in documents/
-- (stored_name), so a message staff assign to a unit later has its scans filed again for it. The
-- IMAP reader remembers each message it took by its folder, UIDVALIDITY and UID. Every message the
-- desk sends is kept once, under the hash of its recipient, subject, text and day (send_key): a
-- second click on the same message that day sends nothing.
alter table mail_messages add column stored_name varchar;

create table mail_seen (
    folder varchar not null,
    uidvalidity bigint not null,
    uid bigint not null,
    message_key varchar,  -- null: the message could not be read (listed in the log, not tried again)
    seen_at timestamp not null default current_timestamp,
    primary key (folder, uidvalidity, uid)
);

create table mail_sent (
    send_key varchar primary key,
    unit_id integer,
    kind varchar not null,  -- acknowledgement | chase
    recipient varchar,
    subject varchar not null,
    body varchar,  -- the text as sent (passport numbers masked)
    message_id varchar,
    sent_at timestamp,  -- null while it is being sent (or when the server refused it)
    sent_by varchar not null,
    failure varchar  -- why the server did not take it
);
