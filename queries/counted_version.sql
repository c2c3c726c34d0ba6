-- The newest audit row that records a change, not a look (figures.LOOKS: an export, a scan viewed,
-- a sign-in…): what the overview's live refresh and its shared view follow (figures.counted_version).
-- params: $looks (varchar[]) — the actions that change nothing the dashboards count.
-- columns: version
select coalesce(max(audit_id), 0) as version from audit_log where not list_contains($looks::varchar[], action)
