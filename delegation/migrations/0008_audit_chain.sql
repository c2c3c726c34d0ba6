-- 0008: the audit log becomes a hash chain. Each row carries the SHA-256 of the row before it
-- (prev_hash; 64 zeros for the first) and its own row_hash = SHA-256(prev_hash + its content),
-- computed in Python by db.append_audits, the log's only writer (the content is serialised in
-- db.audit_content). Rows written before this migration are chained once, in audit_id order, by
-- db.chain_unchained right after this file runs, in the same transaction.
alter table audit_log add column prev_hash varchar;
alter table audit_log add column row_hash varchar;
