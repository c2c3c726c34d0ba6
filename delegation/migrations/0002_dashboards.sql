-- 0002: what the dashboards need — search text (Chinese, pinyin, initials, English) on units and
-- participants. (The macro that applies the sidebar's filters, so every query filters the same way,
-- is defined in queries/_macros.sql and applied on every connect.)

alter table units add column search_text varchar not null default '';
alter table participants add column search_text varchar not null default '';
