-- Units to choose from in the sidebar's unit filter, by name.
-- params: none.
-- columns: unit_id, name
select unit_id, name from units order by name
