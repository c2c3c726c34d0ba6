-- Every table of the current database, for `integrity.check` to read in full (views hold no blocks).
-- params: none.
-- columns: schema_name, table_name
select schema_name, table_name
from duckdb_tables()
where database_name = current_database() and not internal and not temporary
order by schema_name, table_name
