-- Data quality: values two forms disagree on, not yet settled by staff — a value a later form of the
-- same import changed again (conflict), or a unit's contact that differs from an earlier form's
-- (contact_changed) — newest import first.
-- params: $limit, $offset (integer) — one page of the list.
-- columns: import_id, imported_at, file_name, sheet, row_number, column_name, code, message_zh, message_en, total_rows
select
    i.import_id,
    imports.imported_at,
    i.file_name,
    i.sheet,
    i.row_number,
    i.column_name,
    i.code,
    i.message_zh,
    i.message_en,
    count(*) over ()::integer as total_rows  -- the whole list's length, on every row of the page
from import_issues i
join imports using (import_id)
where i.code in ('conflict', 'contact_changed') and i.settled_at is null
order by imports.imported_at desc, i.import_id desc, i.file_name, i.sheet, i.row_number, i.column_name
limit $limit offset $offset
