-- 0003: documents owed and received, the secretariat's owner per unit, invitation-letter batches,
-- and "confirmed" as a registration status (the unit's Annex 1 has arrived).

-- The configured document rules (synced from event.toml on every start, like the other reference tables).
create table document_kinds (
    kind varchar primary key,
    level varchar not null,                 -- unit | participant
    name_zh varchar not null,
    name_en varchar not null,
    needs_applies_via_chamber boolean not null,
    needs_holds_us_visa boolean not null,
    needs_wants_arrangements boolean not null,
    position integer not null
);

alter table documents add column received_at timestamp;  -- when it first arrived (received or verified)
alter table units add column owner varchar;                -- the secretariat member who chases this unit

create sequence batch_id_seq;
create table batches (
    batch_id integer primary key default nextval('batch_id_seq'),  -- the batch number
    status varchar not null,                -- draft | submitted | letters_received | sent_to_units
    created_at timestamp not null,
    created_by varchar not null,
    status_changed_at timestamp not null
);

create table batch_members (
    batch_id integer not null,
    participant_id integer not null,
    added_at timestamp not null
);
