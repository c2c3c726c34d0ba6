-- How many applicants a freeze would take: those ready for the invitation-letter batch (see
-- batch_applicants in queries/_macros.sql) under the filters, counted in DuckDB.
-- params: $as_of, $provinces, $sectors, $themes, $cities, $unit_ids, $statuses — the sidebar filters
--         (see filtered_participants in queries/_macros.sql); empty lists mean all.
--         $passport_valid_through (date).
-- columns: ready
select count(*)::integer as ready
from batch_applicants($as_of, $provinces::varchar[], $sectors::varchar[], $themes::varchar[], $cities::varchar[], $unit_ids::integer[], $statuses::varchar[], $passport_valid_through)
where list = 'ready'
