"""Synthetic, clearly fictitious registrations for demonstrations, tests and benchmarks.

Every name, phone and passport number here is made up from a fixed pattern: passport numbers are
E9 followed by the participant's number, mobiles 1990… with the same number, e-mails @example.com.
The registration mailbox is made up the same way (`demo_mail`).
"""

from __future__ import annotations

import datetime as dt
import random

import duckdb
import pyarrow as pa

from delegation.config import EventConfig
from delegation.db import append_audit, transaction
from delegation.demo_mail import generate_mail
from delegation.documents import sync_confirmations
from delegation.ingest import PARTICIPANT_COLUMNS, UNIT_COLUMNS
from delegation.search import PARTICIPANT_SEARCH_COLUMNS, UNIT_SEARCH_COLUMNS, search_texts
from delegation.text import match_key

# Coastal provinces send most units; weights are rough shares of the working group's members.
PROVINCE_WEIGHTS = {
    "Guangdong": 16,
    "Jiangsu": 15,
    "Zhejiang": 14,
    "Shanghai": 10,
    "Shandong": 9,
    "Beijing": 7,
    "Fujian": 6,
    "Tianjin": 3,
    "Hebei": 2,
    "Liaoning": 2,
    "Anhui": 2,
    "Hubei": 2,
    "Sichuan": 2,
    "Henan": 1.5,
    "Hunan": 1.5,
    "Chongqing": 1,
    "Shaanxi": 1,
    "Shanxi": 0.8,
    "Jiangxi": 0.8,
    "Guangxi": 0.6,
    "Yunnan": 0.5,
    "Hainan": 0.5,
    "Jilin": 0.4,
    "Heilongjiang": 0.4,
    "Inner Mongolia": 0.3,
    "Guizhou": 0.3,
    "Gansu": 0.2,
    "Xinjiang": 0.2,
    "Ningxia": 0.1,
    "Qinghai": 0.1,
    "Hong Kong": 0.3,
}
PLACE = {
    "Guangdong": ["深圳", "广州", "东莞", "佛山"],
    "Jiangsu": ["苏州", "南京", "无锡", "常州"],
    "Zhejiang": ["杭州", "宁波", "温州", "嘉兴"],
    "Shanghai": ["上海", "浦东"],
    "Shandong": ["青岛", "济南", "烟台"],
    "Beijing": ["北京", "中关村"],
    "Fujian": ["厦门", "福州", "泉州"],
    "Tianjin": ["天津", "滨海"],
}
WORDS = [
    "恒达",
    "华信",
    "远航",
    "创新",
    "泰和",
    "金桥",
    "联合",
    "东方",
    "瑞丰",
    "宏远",
    "新纪元",
    "卓越",
    "博源",
    "天成",
    "明阳",
    "海川",
    "智联",
    "鼎盛",
    "长风",
    "嘉禾",
    "正泰",
    "中科",
    "国联",
    "汇通",
]
SECTOR_WORDS = {
    "machinery_equipment": "机械设备",
    "electronics_ict": "电子科技",
    "new_energy": "新能源科技",
    "energy_saving_environmental": "环保科技",
    "automotive": "汽车零部件",
    "agriculture_food": "农业发展",
    "e_commerce_trade": "国际贸易",
    "finance_investment": "投资管理",
    "logistics": "供应链管理",
    "other": "实业",
}
SECTOR_WEIGHTS = {
    "machinery_equipment": 18,
    "electronics_ict": 16,
    "new_energy": 14,
    "energy_saving_environmental": 10,
    "automotive": 9,
    "agriculture_food": 8,
    "e_commerce_trade": 12,
    "finance_investment": 6,
    "logistics": 5,
    "other": 2,
}
SURNAMES = [
    ("王", "Wang"),
    ("李", "Li"),
    ("张", "Zhang"),
    ("刘", "Liu"),
    ("陈", "Chen"),
    ("杨", "Yang"),
    ("黄", "Huang"),
    ("赵", "Zhao"),
    ("吴", "Wu"),
    ("周", "Zhou"),
    ("徐", "Xu"),
    ("孙", "Sun"),
    ("马", "Ma"),
    ("朱", "Zhu"),
    ("胡", "Hu"),
    ("郭", "Guo"),
    ("何", "He"),
    ("林", "Lin"),
]
GIVEN = [
    ("伟", "Wei"),
    ("芳", "Fang"),
    ("娜", "Na"),
    ("敏", "Min"),
    ("静", "Jing"),
    ("强", "Qiang"),
    ("磊", "Lei"),
    ("军", "Jun"),
    ("洋", "Yang"),
    ("勇", "Yong"),
    ("艳", "Yan"),
    ("杰", "Jie"),
    ("涛", "Tao"),
    ("明", "Ming"),
    ("超", "Chao"),
    ("霞", "Xia"),
    ("平", "Ping"),
    ("刚", "Gang"),
    ("晨", "Chen"),
    ("宇", "Yu"),
    ("欣", "Xin"),
    ("浩", "Hao"),
    ("婷", "Ting"),
    ("鹏", "Peng"),
]
POSITIONS = [
    "董事长",
    "总经理",
    "副总经理",
    "销售总监",
    "技术总监",
    "市场部经理",
    "国际业务经理",
    "项目经理",
    "财务总监",
    "总工程师",
]
POSITIONS_EN = {  # the English position a form may give beside the Chinese one
    "董事长": "Chairman",
    "总经理": "General Manager",
    "副总经理": "Deputy General Manager",
    "销售总监": "Sales Director",
    "技术总监": "Technical Director",
    "市场部经理": "Marketing Manager",
    "国际业务经理": "International Business Manager",
    "项目经理": "Project Manager",
    "财务总监": "Finance Director",
    "总工程师": "Chief Engineer",
}


ARROW_TYPES = {
    "participant_id": pa.int32(),
    "unit_id": pa.int32(),
    "date_of_birth": pa.date32(),
    "passport_expiry": pa.date32(),
    "us_visa_expiry": pa.date32(),
    "registered_on": pa.date32(),
    "applies_via_chamber": pa.bool_(),
    "holds_us_visa": pa.bool_(),
    "wants_arrangements": pa.bool_(),
    "themes": pa.list_(pa.string()),
    "cities": pa.list_(pa.string()),
}


def _weighted(rng: random.Random, weights: dict[str, float], k: int) -> list[str]:
    return rng.choices(list(weights), weights=list(weights.values()), k=k)


def _signup_day(rng: random.Random, start: dt.date, deadline: dt.date) -> dt.date:
    """A sign-up day between start and deadline, most of them in the last weeks (the rush)."""
    span = (deadline - start).days
    return start + dt.timedelta(days=round(span * rng.random() ** 0.45))


def generate(config: EventConfig, participants: int, seed: int) -> tuple[pa.Table, pa.Table]:
    """Units and participants as Arrow tables; the same seed gives the same data."""
    rng = random.Random(seed)
    n_units = max(1, participants // 4)
    start = config.registration_deadline - dt.timedelta(days=55)
    theme_keys = [t.key for t in config.themes]
    city_keys = [c.key for c in config.cities]
    sector_keys = [s.key for s in config.sectors]
    sector_weights = {k: SECTOR_WEIGHTS.get(k, 1) for k in sector_keys}

    unit_columns = ("unit_id", "name", "name_key", *UNIT_COLUMNS, "registered_on", "search_text")
    unit_rows: dict[str, list] = {k: [] for k in unit_columns}
    provinces = _weighted(rng, PROVINCE_WEIGHTS, n_units)
    sectors = _weighted(rng, sector_weights, n_units)
    seen_names: set[str] = set()
    for i in range(n_units):
        province, sector = provinces[i], sectors[i]
        place = rng.choice(PLACE.get(province, [province_zh(province)]))
        name = f"{place}{rng.choice(WORDS)}{SECTOR_WORDS.get(sector, '实业')}有限公司"
        if name in seen_names:
            name = f"{place}{rng.choice(WORDS)}{rng.choice(WORDS)}{SECTOR_WORDS.get(sector, '实业')}有限公司"
        if name in seen_names:
            name = f"{name[:-4]}（{i}）有限公司"
        seen_names.add(name)
        surname, _ = rng.choice(SURNAMES)
        unit_rows["unit_id"].append(i + 1)
        unit_rows["name"].append(name)
        unit_rows["name_key"].append(match_key(name))
        unit_rows["name_en"].append(f"Demo Company {i + 1} Co., Ltd." if i % 3 == 0 else None)
        unit_rows["province"].append(province)
        unit_rows["sector"].append(sector)
        unit_rows["sector_as_written"].append(SECTOR_WORDS.get(sector))
        unit_rows["contact_name"].append(surname + rng.choice(GIVEN)[0] + rng.choice(GIVEN)[0])
        unit_rows["contact_mobile"].append(f"1990000{i % 10000:04d}")
        unit_rows["contact_email"].append(f"contact{i + 1}@example.com")
        unit_rows["registered_on"].append(_signup_day(rng, start, config.registration_deadline))

    cols = ("participant_id", *PARTICIPANT_COLUMNS, "search_text")
    rows: dict[str, list] = {k: [] for k in cols}
    valid = config.passport_valid_through
    for pid in range(1, participants + 1):
        # Every unit gets at least one person; the rest join units at random, a few large delegations.
        unit = pid if pid <= n_units else int(n_units * rng.random() ** 1.3) + 1
        unit_day = unit_rows["registered_on"][unit - 1]
        day = min(config.registration_deadline, unit_day + dt.timedelta(days=rng.choice([0, 0, 0, 1, 3, 7])))
        (s_zh, s_py), (g1_zh, g1_py) = rng.choice(SURNAMES), rng.choice(GIVEN)
        g2_zh, g2_py = rng.choice(GIVEN) if rng.random() < 0.7 else ("", "")
        applies = rng.random() < 0.72
        holds_visa = rng.random() < 0.3
        expiry_roll = rng.random()
        if expiry_roll < 0.04:
            expiry = valid - dt.timedelta(days=rng.randint(1, 300))  # too short for the trip
        elif expiry_roll < 0.07:
            expiry = None  # not filled in
        else:
            expiry = valid + dt.timedelta(days=rng.randint(30, 3500))
        themes = sorted(rng.sample(theme_keys, k=rng.choice([1, 1, 2, 2, 3, 4])), key=theme_keys.index)
        cities = [c for c in city_keys if c == config.forum_city or rng.random() < 0.5]
        rows["participant_id"].append(pid)
        rows["unit_id"].append(unit)
        rows["name"].append(s_zh + g1_zh + g2_zh)
        rows["name_key"].append(match_key(s_zh + g1_zh + g2_zh))
        rows["pinyin_name"].append(f"{s_py.upper()} {g1_py}{g2_py.lower()}")
        rows["gender"].append(rng.choice("MF"))
        rows["position"].append(rng.choice(POSITIONS))
        rows["position_en"].append(POSITIONS_EN[rows["position"][-1]] if pid % 2 else None)
        rows["mobile"].append(f"1990{pid % 10_000_000:07d}")
        rows["email"].append(f"p{pid}@example.com")
        rows["date_of_birth"].append(dt.date(1960, 1, 1) + dt.timedelta(days=rng.randint(0, 13000)))
        rows["passport_number"].append(f"E9{pid:07d}" if applies or rng.random() < 0.5 else None)
        rows["passport_expiry"].append(expiry)
        rows["applies_via_chamber"].append(applies)
        rows["holds_us_visa"].append(holds_visa)
        rows["us_visa_expiry"].append(
            valid + dt.timedelta(days=rng.randint(100, 3000)) if holds_visa else None
        )
        rows["themes"].append(themes)
        rows["cities"].append(cities)
        rows["wants_arrangements"].append(rng.random() < 0.6)
        rows["registered_on"].append(max(day, unit_day))
    # A few duplicates: the same passport registered by a second unit (a typo or a consultant).
    for _ in range(max(1, participants // 500)):
        a, b = rng.randrange(participants), rng.randrange(participants)
        if rows["unit_id"][a] != rows["unit_id"][b] and rows["passport_number"][a]:
            rows["passport_number"][b] = rows["passport_number"][a]
    unit_rows["search_text"] = search_texts(*(unit_rows[c] for c in UNIT_SEARCH_COLUMNS))
    rows["search_text"] = search_texts(*(rows[c] for c in PARTICIPANT_SEARCH_COLUMNS))
    units = pa.table({k: pa.array(v, ARROW_TYPES.get(k, pa.string())) for k, v in unit_rows.items()})
    people = pa.table({k: pa.array(v, ARROW_TYPES.get(k, pa.string())) for k, v in rows.items()})
    return units, people


def province_zh(key: str) -> str:
    """The short Chinese name of a province key."""
    from delegation.provinces import PROVINCES

    return next(p.short_zh for p in PROVINCES if p.key == key)


def load_demo(con: duckdb.DuckDBPyConnection, config: EventConfig, participants: int, seed: int) -> None:
    """Fill an empty database with demo registrations and their mailbox in one transaction."""
    units, people = generate(config, participants, seed)
    messages, attachments = generate_mail(config, units, people, seed)
    now = dt.datetime.now().replace(microsecond=0)
    with transaction(con):
        con.register("_demo_units", units)
        con.register("_demo_people", people)
        con.register("_demo_messages", messages)
        con.register("_demo_attachments", attachments)
        try:
            con.execute(
                f"insert into units ({', '.join(units.column_names)}, created_at) "
                "select *, ?::timestamp from _demo_units",
                [now],
            )
            con.execute(
                f"insert into participants ({', '.join(people.column_names)}, created_at) "
                "select *, ?::timestamp from _demo_people",
                [now],
            )
            con.execute(
                f"insert into mail_messages ({', '.join(messages.column_names)}) select * from _demo_messages"
            )
            con.execute("insert into mail_attachments select * from _demo_attachments")
        finally:
            for name in ("_demo_units", "_demo_people", "_demo_messages", "_demo_attachments"):
                con.unregister(name)
        # Keep the id sequences ahead of the ids written here.
        # Documents: most arrive a few days after sign-up, some are verified or rejected a day or two
        # later, some are missing. Each state goes into the history too, so the pages can show any
        # day as it was.
        con.execute(
            """
            create temporary table _demo_documents as
            with owed as (
                select r.*, hash(r.unit_id, coalesce(r.participant_id, 0), r.kind, $seed) % 100 as roll
                from required_documents(date '9999-12-31', [], [], [], [], [], []) r
            ),
            arrived as (
                select o.*, coalesce(p.registered_on, u.registered_on) + (o.roll % 9)::integer as day
                from owed o
                join units u using (unit_id)
                left join participants p using (participant_id)
                where o.roll >= 12
            )
            select
                nextval('document_id_seq') as document_id, unit_id, participant_id, kind,
                case when roll < 16 then 'rejected' when roll < 62 then 'received' else 'verified' end as status,
                case when roll < 16 then '扫描件模糊，请重新扫描 / scan unreadable, please rescan' end as reason,
                (least(day, $deadline::date + 7) + interval 10 hour)::timestamp as arrived_at,
                arrived_at + case when roll < 62 and roll >= 16 then interval 0 day
                                  else to_days((1 + roll % 2)::integer) end as changed_at
            from arrived
            """,
            {"seed": seed, "deadline": config.registration_deadline},
        )
        con.execute(
            "insert into documents (document_id, unit_id, participant_id, kind, status, reason, source, "
            "updated_by, updated_at, received_at) "
            "select document_id, unit_id, participant_id, kind, status, reason, 'demo', 'demo', changed_at, "
            "arrived_at from _demo_documents"
        )
        con.execute(
            "insert into document_history "
            "select document_id, 'received', null, arrived_at, 'demo' from _demo_documents "
            "where changed_at > arrived_at "
            "union all select document_id, status, reason, changed_at, 'demo' from _demo_documents"
        )
        con.execute("drop table _demo_documents")
        sync_confirmations(con)
        con.execute("select max(nextval('unit_id_seq')) from range(?)", [units.num_rows])
        con.execute("select max(nextval('participant_id_seq')) from range(?)", [people.num_rows])
        append_audit(
            con, "demo", "demo", None, {"participants": people.num_rows, "units": units.num_rows}, at=now
        )
