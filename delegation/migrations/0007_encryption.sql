-- 0007: the encryption keys this database's scans and backups have used. Only their ids: the keys
-- live in the key file outside the data folder (delegation/keys.py). A missing or wrong key file is
-- named by these ids, and a database that has any row here never gets a new key made for it.
create table encryption_keys (
    key_id varchar primary key,
    created_at timestamp not null,
    retired_at timestamp               -- set once `keys rotate` re-encrypted everything with a newer key
);
