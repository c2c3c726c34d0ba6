-- 0009: registration e-mails (issue 25). Each message is kept once, by its Message-ID or, without
-- one, the SHA-256 of the raw message; its attachments are listed with what each became.
create table mail_messages (
    message_key varchar primary key,  -- the Message-ID, else 'sha256:' and the raw message's hash
    sha256 varchar not null,
    sender varchar,
    subject varchar,
    sent_at timestamp,  -- the message's Date, in the desk's own time zone
    unit_id integer,  -- the unit matched, or null: unmatched, for staff to assign
    matched_by varchar,  -- subject | form | sender
    body varchar,  -- plain text only (an HTML body reduced to text)
    imported_at timestamp not null default current_timestamp,
    imported_by varchar not null
);

create table mail_attachments (
    message_key varchar not null,
    position integer not null,
    name varchar not null,
    outcome_en varchar not null,
    outcome_zh varchar not null,
    primary key (message_key, position)
);
