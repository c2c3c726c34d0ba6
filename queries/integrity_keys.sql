-- Every primary key and unique constraint of the current database: each has an index (an ART),
-- whose blocks DuckDB reads only when the index is used, so `integrity.check` looks keys up in it.
-- params: none.
-- columns: schema_name, table_name, key_columns
select schema_name, table_name, constraint_column_names as key_columns
from duckdb_constraints()
where database_name = current_database() and constraint_type in ('PRIMARY KEY', 'UNIQUE')
order by schema_name, table_name, constraint_index
