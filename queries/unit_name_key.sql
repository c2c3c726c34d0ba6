-- A unit's name key, which its own online-form link's code is worked out from (delegation/links.py).
-- params: $unit_id (integer).
-- columns: name_key
select name_key from units where unit_id = $unit_id
