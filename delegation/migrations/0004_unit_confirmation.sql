-- 0004: a unit's "registration confirmation received" as a column on units, kept by
-- delegation/documents.py (set_state) and the demo loader, so filtered_participants no longer scans and
-- joins the documents table for every dashboard query (a fifth of the overview's time at 100 000).

alter table units add column confirmation_received boolean not null default false;

update units set confirmation_received = true
where unit_id in (
    select unit_id
    from documents
    where kind = 'registration_confirmation' and participant_id is null and status in ('received', 'verified')
);
