-- The audit log in chain order, each row with what its hash covers (audit.verify_chain).
-- params: none.
-- columns: audit_id, logged_at, actor, action, target, details, prev_hash, row_hash
select audit_id, logged_at, actor, action, target, details::varchar as details, prev_hash, row_hash
from audit_log
order by audit_id
