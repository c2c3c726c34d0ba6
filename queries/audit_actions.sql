-- The kinds of action the audit log holds, and who appears in it, to filter by.
-- params: none.
-- columns: kind, value
select distinct 'action' as kind, action as value from audit_log
union all
select distinct 'actor', actor from audit_log
order by 1, 2
