-- Everything the overview shows, in two passes over the filtered participants (not one per chart):
-- one for the figures by unit and day, one for the theme and city lists. The rows of
-- headline_figures, participants_by_province, participants_by_sector, participants_by_theme,
-- participants_by_city, signups_by_day and missing_documents_by_kind (part 'documents': the missing
-- count in `participants`, the required count in `units`), each tagged with its `part` and ordered
-- as those queries order them. tests/test_dashboard.py checks that every part equals its own query.
-- params: $as_of, $provinces, $sectors, $themes, $cities, $unit_ids, $statuses — the sidebar filters
--         (see filtered_participants and required_documents in queries/_macros.sql); empty lists mean all.
--         $passport_valid_through (date), $top (integer) — as in headline_figures and participants_by_province.
-- columns: part, position, key, name_zh, name_en, participants, share, units, invitation_applicants, passport_invalid, day, units_new, participants_new, units_cumulative, participants_cumulative
with counted as materialized (
    select
        unit_id,
        registered_on,
        applies_via_chamber,
        passport_expiry
    from filtered_participants($as_of, $provinces::varchar[], $sectors::varchar[], $themes::varchar[], $cities::varchar[], $unit_ids::integer[], $statuses::varchar[])
    where registration_status <> 'withdrawn'
),
by_unit as materialized (
    -- one row per unit first (grouping on an integer), then its province and sector: provinces,
    -- sectors and the units' first days add up 25 000 rows at most instead of 100 000
    select
        c.unit_id,
        coalesce(u.province, 'unknown') as province,
        coalesce(u.sector, 'unknown') as sector,
        c.first_day,
        c.participants,
        c.invitation_applicants,
        c.passport_invalid
    from (
        select
            unit_id,
            min(registered_on) as first_day,
            count(*) as participants,
            count(*) filter (where applies_via_chamber) as invitation_applicants,
            count(*) filter (where applies_via_chamber and passport_expiry < $passport_valid_through) as passport_invalid
        from counted
        group by unit_id
    ) c
    join units u using (unit_id)
),
total as (
    select
        coalesce(sum(participants), 0) as participants,
        count(*) as units,
        coalesce(sum(invitation_applicants), 0) as invitation_applicants,
        coalesce(sum(passport_invalid), 0) as passport_invalid
    from by_unit
),
ranked_provinces as (
    select province, participants, row_number() over (order by participants desc, province) as rank
    from (select province, sum(participants) as participants from by_unit group by province)
),
folded_provinces as (
    select
        case when rank <= $top then province else 'others' end as province,
        sum(participants) as participants
    from ranked_provinces
    group by 1
),
by_sector as (
    select sector, sum(participants) as participants from by_unit group by sector
),
-- Themes and cities: the importer keeps each list in the event's order without repeats, so the
-- participants hold few distinct pairs of lists (at most 16 x 16 with four themes and four cities;
-- 120 in the 100 000-person demo). A second pass over the filter counts the participants per pair,
-- grouped on the two lists' 64-bit hashes, and only those pairs are unnested. That takes half the
-- time of unnesting every list (or of grouping on the lists themselves, which stores and compares
-- list keys), and leaves the lists out of `counted` (copying them there cost more than the second
-- pass's scan and join). Lists in another order are other groups with the same entries, so they add
-- up alike. Two different lists would merge only if their hashes collided: odds about 1 in 10^13
-- for a thousand distinct lists, and a test checks that every list of the event's keys (and a few
-- more) hashes apart. (An empty list and a missing one share a hash; neither adds to any count.)
lists as (
    select any_value(themes) as themes, any_value(cities) as cities, count(*) as participants
    from filtered_participants($as_of, $provinces::varchar[], $sectors::varchar[], $themes::varchar[], $cities::varchar[], $unit_ids::integer[], $statuses::varchar[])
    where registration_status <> 'withdrawn'
    group by hash(themes), hash(cities)
),
by_theme as (
    select theme, sum(participants) as participants
    from (select unnest(themes) as theme, participants from lists)
    group by 1
),
by_city as (
    select city, sum(participants) as participants
    from (select unnest(cities) as city, participants from lists)
    group by 1
),
by_kind as (
    -- the documents owed and still missing: the same items as missing_documents_by_kind
    select kind, count(*) as required, count(*) filter (where is_missing) as missing
    from required_documents($as_of, $provinces::varchar[], $sectors::varchar[], $themes::varchar[], $cities::varchar[], $unit_ids::integer[], $statuses::varchar[])
    group by kind
),
unit_days as (
    select first_day as day, count(*) as units_new from by_unit group by 1
),
days as (
    select
        d.day,
        coalesce(unit_days.units_new, 0) as units_new,
        d.participants as participants_new
    from (select registered_on as day, count(*) as participants from counted group by 1) d
    left join unit_days using (day)
),
parts as (
    select
        'headline' as part,
        0 as position,
        null as key,
        null as name_zh,
        null as name_en,
        participants,
        null::double as share,
        units,
        invitation_applicants,
        passport_invalid,
        null::date as day,
        null as units_new,
        null as participants_new
    from total
    union all
    select
        'province',
        row_number() over (order by f.province = 'others', f.participants desc, f.province),
        f.province,
        coalesce(p.name_zh, case f.province when 'others' then '其他省份' else '未知' end),
        coalesce(p.name_en, case f.province when 'others' then 'Other provinces' else 'Unknown' end),
        f.participants,
        null, null, null, null, null, null, null
    from folded_provinces f
    left join provinces p using (province)
    union all
    select
        'sector',
        row_number() over (order by g.participants desc, g.sector),
        g.sector,
        coalesce(s.name_zh, '未知'),
        coalesce(s.name_en, 'Unknown'),
        g.participants,
        null, null, null, null, null, null, null
    from by_sector g
    left join sectors s using (sector)
    union all
    select
        'theme',
        row_number() over (order by coalesce(by_theme.participants, 0) desc, themes.position),
        themes.theme,
        themes.name_zh,
        themes.name_en,
        coalesce(by_theme.participants, 0),
        coalesce(by_theme.participants / nullif(total.participants, 0), 0)::double,
        null, null, null, null, null, null
    from themes
    cross join total
    left join by_theme using (theme)
    union all
    select
        'city',
        row_number() over (order by coalesce(by_city.participants, 0) desc, cities.position),
        cities.city,
        cities.name_zh,
        cities.name_en,
        coalesce(by_city.participants, 0),
        coalesce(by_city.participants / nullif(total.participants, 0), 0)::double,
        null, null, null, null, null, null
    from cities
    cross join total
    left join by_city using (city)
    union all
    select
        'documents',
        k.position,
        k.kind,
        k.name_zh,
        k.name_en,
        coalesce(by_kind.missing, 0),  -- in `participants`: the documents still missing
        null,
        coalesce(by_kind.required, 0),  -- in `units`: the documents owed
        null, null, null, null, null
    from document_kinds k
    left join by_kind using (kind)
    union all
    select
        'signups',
        row_number() over (order by day),
        null, null, null, null, null, null, null, null,
        day,
        units_new,
        participants_new
    from days
)
select
    part,
    position::integer as position,
    key,
    name_zh,
    name_en,
    participants::integer as participants,
    share,
    units::integer as units,
    invitation_applicants::integer as invitation_applicants,
    passport_invalid::integer as passport_invalid,
    day,
    units_new::integer as units_new,
    participants_new::integer as participants_new,
    (sum(units_new) over (partition by part order by day))::integer as units_cumulative,
    (sum(participants_new) over (partition by part order by day))::integer as participants_cumulative
from parts
order by part, position
