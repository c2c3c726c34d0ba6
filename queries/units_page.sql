-- One page of the units list: units with at least one participant passing the filters, with their
-- counts, found by the search text (name in Chinese, pinyin or initials; contact), sorted as asked.
-- params: $as_of, $provinces, $sectors, $themes, $cities, $unit_ids, $statuses — the sidebar filters
--         (see filtered_participants in queries/_macros.sql); empty lists mean all.
--         $search (text) — a LIKE pattern from delegation.search.search_pattern ('%%' for all);
--         $sort (text), $descending (boolean) — the sort column and direction; $limit, $offset (integer) — one page.
--         $sort is one of: name, province, sector, participants, invitation_applicants, registered_on.
-- columns: unit_id, name, province, province_zh, province_en, sector, sector_zh, sector_en, contact_name, contact_mobile, contact_email, participants, invitation_applicants, registered_on, status, total_rows
with counted as (
    select * from filtered_participants($as_of, $provinces::varchar[], $sectors::varchar[], $themes::varchar[], $cities::varchar[], $unit_ids::integer[], $statuses::varchar[])
),
by_unit as (
    select
        unit_id,
        count(*) filter (where registration_status <> 'withdrawn') as participants,
        count(*) filter (where applies_via_chamber and registration_status <> 'withdrawn') as invitation_applicants,
        min(registered_on) as first_registered_on
    from counted
    group by unit_id
),
listed as (
    select
        u.unit_id,
        u.name,
        u.province,
        provinces.short_zh as province_zh,
        provinces.name_en as province_en,
        u.sector,
        sectors.name_zh as sector_zh,
        sectors.name_en as sector_en,
        u.contact_name,
        u.contact_mobile,
        u.contact_email,
        by_unit.participants::integer as participants,
        by_unit.invitation_applicants::integer as invitation_applicants,
        by_unit.first_registered_on as registered_on,
        u.status,
        icu_sort_key(u.name, 'zh') as name_order,  -- pinyin order, as in participants_page.sql
        case $sort
            when 'province' then coalesce(u.province, '')
            when 'sector' then coalesce(u.sector, '')
            when 'participants' then lpad(by_unit.participants::varchar, 12, '0')
            when 'invitation_applicants' then lpad(by_unit.invitation_applicants::varchar, 12, '0')
            when 'registered_on' then strftime(by_unit.first_registered_on, '%Y-%m-%d')
            else name_order
        end as sort_key
    from by_unit
    join units u using (unit_id)
    left join provinces on provinces.province = u.province
    left join sectors on sectors.sector = u.sector
    where ($search = '%%' or u.search_text like $search)  -- '%%': no search, no scan of the search text
)
select * exclude (sort_key, name_order), (select count(*) from listed)::integer as total_rows  -- a count, not a window: the sort stays a top-N
from listed
order by
    case when $descending then null else sort_key end asc nulls last,
    case when $descending then sort_key end desc nulls last,
    name_order, unit_id
limit $limit offset $offset
