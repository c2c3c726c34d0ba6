-- Participants by forum theme: a person counts once under every forum theme they chose, so the shares
-- add up to more than 100%. Every configured forum theme appears, most chosen first (ties in
-- configured order), 0 when nobody chose it.
-- params: $as_of, $provinces, $sectors, $themes, $cities, $unit_ids, $statuses — the sidebar filters
--         (see filtered_participants in queries/_macros.sql); empty lists mean all.
-- columns: theme, name_zh, name_en, participants, share
with counted as (
    select participant_id, themes from filtered_participants($as_of, $provinces::varchar[], $sectors::varchar[], $themes::varchar[], $cities::varchar[], $unit_ids::integer[], $statuses::varchar[])
    where registration_status <> 'withdrawn'
),
total as (
    select count(*) as participants from counted
),
by_theme as (
    select unnest(themes) as theme, count(*) as participants from counted group by 1
)
select
    themes.theme,
    themes.name_zh,
    themes.name_en,
    coalesce(by_theme.participants, 0)::integer as participants,
    coalesce(by_theme.participants / nullif(total.participants, 0), 0)::double as share
from themes
cross join total
left join by_theme using (theme)
order by participants desc, themes.position
