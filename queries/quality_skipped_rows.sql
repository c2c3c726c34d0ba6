-- Data quality: every row an import skipped, newest import first, with file, sheet, row and reason.
-- params: $limit, $offset (integer) — one page of the list.
-- columns: imported_at, file_name, sheet, row_number, code, message_zh, message_en, total_rows
select imports.imported_at, i.file_name, i.sheet, i.row_number, i.code, i.message_zh, i.message_en,
    count(*) over ()::integer as total_rows  -- the whole list's length, on every row of the page
from import_issues i
join imports using (import_id)
where i.severity = 'error'
order by imports.imported_at desc, i.file_name, i.sheet, i.row_number
limit $limit offset $offset
