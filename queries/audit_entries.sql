-- The audit log, newest first, narrowed by action, actor and day range; at most $limit rows.
-- params: $actions (text list, empty for all), $actor (text, '' for anyone), $since (date), $until (date),
--         $limit (integer).
-- columns: audit_id, logged_at, actor, action, target, details
select audit_id, logged_at, actor, action, target, details::varchar as details
from audit_log
where (len($actions::varchar[]) = 0 or list_contains($actions::varchar[], action))
  and ($actor = '' or actor = $actor)
  and logged_at::date between $since and $until
order by audit_id desc
limit $limit
