-- Units to choose from in the sidebar's unit filter: the ones already chosen, then up to $limit more
-- whose name (Chinese, pinyin, initials) matches the search, by name.
-- params: $chosen (integer list) — unit ids already selected; $search (text) — a LIKE pattern
--         from delegation.search.search_pattern; $limit (integer).
-- columns: unit_id, name
with chosen as (
    select unit_id, name, 0 as rank from units where list_contains($chosen::integer[], unit_id)
),
matching as (
    select unit_id, name, 1 as rank
    from units
    where search_text like $search and not list_contains($chosen::integer[], unit_id)
    order by name collate zh
    limit $limit
)
select unit_id, name from (select * from chosen union all select * from matching) order by rank, name collate zh
