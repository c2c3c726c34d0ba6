-- One unit's checklist: every document it and its people owe, with state and file, unit's own first.
-- params: $as_of (date) — registrations up to this day; $unit_id (integer) — the unit.
-- columns: unit_id, participant_id, participant_name, kind, status, reason, received_at, original_name, document_id
select
    items.unit_id,
    items.participant_id,
    p.name as participant_name,
    items.kind,
    items.status,
    items.reason,
    items.received_at,
    d.original_name,
    items.document_id
from required_documents($as_of, []::varchar[], []::varchar[], []::varchar[], []::varchar[], [$unit_id]::integer[], []::varchar[]) items
left join participants p using (participant_id)
left join documents d using (document_id)
order by items.participant_id is not null, p.name collate zh, items.participant_id, items.position
