-- One page of the participants list: people passing the filters, found by the search text (their
-- name in Chinese, pinyin or initials, pinyin name, position, e-mail, passport number, or their unit's name).
-- params: $as_of, $provinces, $sectors, $themes, $cities, $unit_ids, $statuses — the sidebar filters
--         (see filtered_participants in queries/_macros.sql); empty lists mean all.
--         $search (text) — a LIKE pattern from delegation.search.search_pattern ('%%' for all);
--         $sort (text), $descending (boolean) — the sort column and direction; $limit, $offset (integer) — one page.
--         $sort is one of: name, unit, province, registered_on, passport_expiry, position.
-- columns: participant_id, unit_id, unit_name, name, pinyin_name, gender, position, mobile, email, date_of_birth, passport_number, passport_expiry, applies_via_chamber, holds_us_visa, us_visa_expiry, themes, cities, wants_arrangements, registered_on, registration_status, total_rows
with listed as (
    -- only what the sort needs: the page is cut first, its wide columns fetched for its rows alone
    -- Names and text sort in pinyin order (Chinese first, then Latin letters): by ICU's sort key for Chinese
    -- (built into DuckDB), worked out once per row; `collate zh` in the order by would work it out
    -- for every column it orders by.
    select
        participant_id,
        icu_sort_key(name, 'zh') as name_order,
        case $sort
            when 'unit' then icu_sort_key(unit_name, 'zh')
            when 'province' then coalesce(province, '')
            when 'registered_on' then strftime(registered_on, '%Y-%m-%d')
            when 'passport_expiry' then coalesce(strftime(passport_expiry, '%Y-%m-%d'), '')
            when 'position' then icu_sort_key(coalesce(position, ''), 'zh')
            else name_order
        end as sort_key
    from filtered_participants($as_of, $provinces::varchar[], $sectors::varchar[], $themes::varchar[], $cities::varchar[], $unit_ids::integer[], $statuses::varchar[])
    where ($search = '%%' or search_text like $search or unit_search_text like $search)  -- '%%': no search, no scan of the search text
),
page as (
    select participant_id, sort_key, name_order
    from listed
    order by
        case when $descending then null else sort_key end asc nulls last,
        case when $descending then sort_key end desc nulls last,
        name_order, participant_id
    limit $limit offset $offset
)
select
    f.participant_id,
    f.unit_id,
    f.unit_name,
    f.name,
    f.pinyin_name,
    f.gender,
    f.position,
    f.mobile,
    f.email,
    f.date_of_birth,
    f.passport_number,
    f.passport_expiry,
    f.applies_via_chamber,
    f.holds_us_visa,
    f.us_visa_expiry,
    f.themes,
    f.cities,
    f.wants_arrangements,
    f.registered_on,
    f.registration_status,
    (select count(*) from listed)::integer as total_rows  -- a count, not a window: the sort stays a top-N
from page
join filtered_participants($as_of, $provinces::varchar[], $sectors::varchar[], $themes::varchar[], $cities::varchar[], $unit_ids::integer[], $statuses::varchar[]) f
    using (participant_id)
order by
    case when $descending then null else page.sort_key end asc nulls last,
    case when $descending then page.sort_key end desc nulls last,
    page.name_order, page.participant_id
