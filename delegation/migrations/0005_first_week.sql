-- 0005: what a secretariat's first week asked for — documents as they stood on the as-of day (each
-- state change kept), a unit confirmed from the day its Annex 1 arrived, chases recorded, the English
-- company name and position for the roster, and conflicts between forms settled by staff.

-- Every state a document has had, appended by delegation/documents.py (set_state) and the demo loader.
create table document_history (
    document_id integer not null,
    status varchar not null,                -- missing | received | verified | rejected
    reason varchar,
    changed_at timestamp not null,
    changed_by varchar not null
);

-- What came before this table: each document's changes from the audit log, and for documents the
-- log does not know (demo data), their first arrival and their current state.
insert into document_history
select
    replace(target, 'document:', '')::integer,
    details->>'$.after.status',
    details->>'$.after.reason',
    logged_at,
    actor
from audit_log
where action = 'document.change' and target like 'document:%';

insert into document_history
select document_id, 'received', null, received_at, coalesce(updated_by, 'unknown')
from documents
where received_at is not null
  and received_at < updated_at
  and document_id not in (select document_id from document_history);

insert into document_history
select document_id, status, reason, updated_at, coalesce(updated_by, 'unknown')
from documents
where document_id not in (select document_id from document_history where changed_at >= documents.updated_at);

-- The day a unit's registration confirmation first arrived, while it is received or verified
-- (kept by documents.sync_confirmations): the unit counts as confirmed from that day on.
alter table units add column confirmed_on date;
update units set confirmed_on = (
    select min(received_at)::date from documents
    where documents.unit_id = units.unit_id and kind = 'registration_confirmation'
      and participant_id is null and status in ('received', 'verified')
);
alter table units drop column confirmation_received;

-- The roster carries the English company name and position where a form gives them.
alter table units add column name_en varchar;
alter table participants add column position_en varchar;

-- When, by whom and how a unit was chased (a message marked as sent).
create table chases (
    unit_id integer not null,
    chased_at timestamp not null,
    chased_by varchar not null,
    channel varchar not null,               -- 'marked' (sent by hand) | 'mail'
    items integer not null                  -- how many items the message asked for
);

-- A conflict between two forms of one import (or any warning) that staff have looked at.
alter table import_issues add column settled_at timestamp;
alter table import_issues add column settled_by varchar;
