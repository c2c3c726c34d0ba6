-- Participants by forum theme: a person counts once under every theme they chose.
-- Every configured theme appears, in configured order, with 0 when nobody chose it.
-- params: $as_of (date) — count registrations made on or before this day.
-- columns: theme, name_zh, name_en, participants
with counted as (
    select unnest(p.themes) as theme
    from participants p
    join units u using (unit_id)
    where p.status <> 'withdrawn'
      and u.status <> 'withdrawn'
      and p.registered_on <= $as_of
),
by_theme as (
    select theme, count(*) as participants from counted group by theme
)
select themes.theme, themes.name_zh, themes.name_en, coalesce(by_theme.participants, 0) as participants
from themes
left join by_theme using (theme)
order by themes.position
