-- Participants by province of their unit, largest first; the provinces beyond the top $top are
-- folded into one row 'others' (last); units without a known province count as 'unknown'.
-- params: $as_of, $provinces, $sectors, $themes, $cities, $unit_ids, $statuses — the sidebar filters
--         (see filtered_participants in queries/_macros.sql); empty lists mean all.
--         $top (integer) — how many provinces to show by name.
-- columns: province, name_zh, name_en, participants
with counted as (
    select coalesce(province, 'unknown') as province
    from filtered_participants($as_of, $provinces::varchar[], $sectors::varchar[], $themes::varchar[], $cities::varchar[], $unit_ids::integer[], $statuses::varchar[])
    where registration_status <> 'withdrawn'
),
by_province as (
    select province, count(*) as participants from counted group by province
),
ranked as (
    select *, row_number() over (order by participants desc, province) as position from by_province
),
folded as (
    select
        case when position <= $top then province else 'others' end as province,
        sum(participants) as participants,
        min(position) as position
    from ranked
    group by 1
)
select
    folded.province,
    coalesce(provinces.name_zh, case folded.province when 'others' then '其他省份' else '未知' end) as name_zh,
    coalesce(provinces.name_en, case folded.province when 'others' then 'Other provinces' else 'Unknown' end) as name_en,
    folded.participants::integer as participants
from folded
left join provinces using (province)
order by folded.province = 'others', folded.participants desc, folded.province
