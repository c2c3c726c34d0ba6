-- 0001: the registration schema — reference tables, units, participants, documents,
-- imports with their row-level issues, and an append-only audit log.

create table provinces (
    province varchar primary key,      -- English name, the key used everywhere (e.g. 'Jiangsu')
    code varchar not null,             -- GB/T 2260 code, e.g. '320000'
    name_zh varchar not null,          -- full Chinese name, e.g. '江苏省'
    short_zh varchar not null,         -- short Chinese name, e.g. '江苏'
    name_en varchar not null
);

create table sectors (
    sector varchar primary key,
    name_zh varchar not null,
    name_en varchar not null,
    position integer not null
);

create table themes (
    theme varchar primary key,
    name_zh varchar not null,
    name_en varchar not null,
    position integer not null
);

create table cities (
    city varchar primary key,
    name_zh varchar not null,
    name_en varchar not null,
    position integer not null
);

create sequence unit_id_seq;
create table units (
    unit_id integer primary key default nextval('unit_id_seq'),
    name varchar not null,
    name_key varchar not null unique,  -- name without spaces, case or full/half-width differences
    province varchar,
    sector varchar,
    sector_as_written varchar,
    contact_name varchar,
    contact_mobile varchar,
    contact_email varchar,
    status varchar not null default 'registered',  -- registered | confirmed | withdrawn
    registered_on date,
    created_at timestamp not null default current_timestamp,
    updated_at timestamp
);

create sequence participant_id_seq;
create table participants (
    participant_id integer primary key default nextval('participant_id_seq'),
    unit_id integer not null,
    name varchar not null,
    name_key varchar not null,
    pinyin_name varchar,
    gender varchar,                    -- 'M' | 'F'
    position varchar,
    mobile varchar,
    email varchar,
    date_of_birth date,
    passport_number varchar,
    passport_expiry date,
    applies_via_chamber boolean not null default false,
    holds_us_visa boolean not null default false,
    us_visa_expiry date,
    themes varchar[] not null default [],
    cities varchar[] not null default [],
    wants_arrangements boolean not null default false,
    registered_on date,
    status varchar not null default 'registered',  -- registered | confirmed | withdrawn
    source_import_id integer,
    source_sheet varchar,
    source_row integer,
    created_at timestamp not null default current_timestamp,
    updated_at timestamp
);

create sequence document_id_seq;
create table documents (
    document_id integer primary key default nextval('document_id_seq'),
    unit_id integer not null,
    participant_id integer,            -- null for a unit's own documents
    kind varchar not null,             -- registration_confirmation | passport_scan | us_visa_scan
    status varchar not null,           -- missing | received | verified | rejected
    reason varchar,
    original_name varchar,
    stored_name varchar,
    sha256 varchar,
    size_bytes bigint,
    content_type varchar,
    source varchar,
    updated_by varchar,
    updated_at timestamp not null default current_timestamp
);

create sequence import_id_seq;
create table imports (
    import_id integer primary key default nextval('import_id_seq'),
    file_name varchar not null,
    sha256 varchar not null,
    size_bytes bigint not null,
    rows_read integer not null,
    rows_added integer not null,
    rows_updated integer not null,
    rows_unchanged integer not null,
    rows_skipped integer not null,
    warnings integer not null,
    imported_at timestamp not null,
    imported_by varchar not null
);

create table import_issues (
    import_id integer not null,
    file_name varchar not null,
    sheet varchar,
    row_number integer,                -- as the spreadsheet shows it (1-based)
    column_name varchar,
    severity varchar not null,         -- error (row skipped) | warning (row imported)
    code varchar not null,
    message_en varchar not null,
    message_zh varchar not null,
    participant_id integer
);

create sequence audit_id_seq;
create table audit_log (
    audit_id bigint primary key default nextval('audit_id_seq'),
    logged_at timestamp not null,
    actor varchar not null,
    action varchar not null,
    target varchar,
    details json
);
