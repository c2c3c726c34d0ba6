-- Every invitation-letter batch, newest first, with its size.
-- params: none.
-- columns: batch_id, status, created_at, created_by, status_changed_at, participants
select b.batch_id, b.status, b.created_at, b.created_by, b.status_changed_at, count(m.participant_id)::integer as participants
from batches b
left join batch_members m using (batch_id)
group by all
order by b.batch_id desc
