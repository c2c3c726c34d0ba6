"""Demo data: deterministic, realistic in shape, fast at scale."""

from __future__ import annotations

import datetime as dt

from delegation.demo import generate, load_demo


def test_same_seed_same_data(config):
    a_units, a_people = generate(config, 400, seed=1)
    b_units, b_people = generate(config, 400, seed=1)
    _, c_people = generate(config, 400, seed=2)
    assert a_units.equals(b_units) and a_people.equals(b_people)
    assert not a_people.equals(c_people)


def test_shape_of_the_demo(con, config):
    load_demo(con, config, 2000, seed=3)
    q = lambda sql: con.execute(sql).fetchall()[0][0]  # noqa: E731
    assert q("select count(*) from participants") == 2000
    assert q("select count(*) from units") == 500
    assert q("select count(*) from units where unit_id not in (select unit_id from participants)") == 0
    deadline = config.registration_deadline
    last_two_weeks = q(f"select count(*) from participants where registered_on > date '{deadline}' - 14")
    first_two_weeks = q(f"select count(*) from participants where registered_on <= date '{deadline}' - 41")
    assert last_two_weeks > 2 * first_two_weeks  # the rush before the deadline
    assert q("select max(registered_on) from participants") <= deadline
    assert q("select min(registered_on) from participants") >= deadline - dt.timedelta(days=55)
    coastal = q(
        "select count(*) from units where province in ('Guangdong','Jiangsu','Zhejiang','Shanghai','Shandong')"
    )
    assert coastal > 250
    too_short = q(
        f"select count(*) from participants where applies_via_chamber and passport_expiry < date '{config.passport_valid_through}'"
    )
    assert 0 < too_short < 200
    duplicates = q(
        "select count(*) from (select passport_number from participants where passport_number is not null "
        "group by 1 having count(distinct unit_id) > 1)"
    )
    assert duplicates >= 1
    # New imports after the demo get fresh ids.
    assert q("select nextval('participant_id_seq')") == 2001


def test_demo_documents(con, config):
    from delegation.summary import summary

    load_demo(con, config, 1000, seed=4)
    statuses = dict(con.execute("select status, count(*) from documents group by 1").fetchall())
    assert set(statuses) == {"received", "verified", "rejected"}
    missing = summary(con, config, config.registration_deadline)["missing_documents"]
    required = con.execute(
        "select kind, count(*) from required_documents(date '9999-12-31', [], [], [], [], [], []) group by 1"
    ).fetchall()
    for kind, owed in required:
        assert 0 < missing[kind] < owed  # some missing, most in
    # A unit whose Annex 1 is in (received or verified) is confirmed, and only such units.
    confirmed_units = {
        r[0]
        for r in con.execute(
            "select unit_id from documents where kind = 'registration_confirmation' "
            "and participant_id is null and status in ('received', 'verified')"
        ).fetchall()
    }
    flagged = {
        r[0] for r in con.execute("select unit_id from units where confirmed_on is not null").fetchall()
    }
    assert flagged == confirmed_units and 0 < len(flagged) < 250
    # Every document's states are in its history, the current one last: a day in the past shows
    # what had arrived by then, and the pages' figures of a past day are what they were.
    last = dict(
        con.execute(
            "select document_id, arg_max(status, changed_at) from document_history group by 1"
        ).fetchall()
    )
    assert last == dict(con.execute("select document_id, status from documents").fetchall())
    stated, arrived, total = con.execute(
        "select count(*) filter (where status <> 'missing'), count(received_at), count(*) "
        "from required_documents(date '2023-03-01', [], [], [], [], [], [])"
    ).fetchall()[0]
    assert 0 < stated == arrived < total  # on 1 March, a document has a state once it has arrived
    statuses = dict(
        con.execute(
            "select unit_id, any_value(registration_status) from filtered_participants("
            "date '9999-12-31', [], [], [], [], [], []) group by 1"
        ).fetchall()
    )
    assert {u for u, s in statuses.items() if s == "confirmed"} == confirmed_units


def test_demo_mail_same_seed_same_mailbox(config):
    from delegation.demo import generate_mail

    units, people = generate(config, 400, seed=1)
    a_messages, a_attachments = generate_mail(config, units, people, seed=1)
    b_messages, b_attachments = generate_mail(config, units, people, seed=1)
    c_messages, _ = generate_mail(config, units, people, seed=2)
    assert a_messages.equals(b_messages) and a_attachments.equals(b_attachments)
    assert not a_messages.equals(c_messages)


def test_demo_mailbox(con, config):
    from delegation.i18n import said

    load_demo(con, config, 2000, seed=3)
    q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
    # Every unit sent one or two e-mails, from its contact address, on or after its sign-up day.
    per_unit = dict(q("select unit_id, count(*) from mail_messages where unit_id is not null group by 1"))
    assert len(per_unit) == 500 and set(per_unit.values()) == {1, 2}
    assert q(
        "select count(*) from mail_messages m join units u using (unit_id) "
        "where m.sender <> u.contact_email or m.sent_at::date < u.registered_on"
    ) == [(0,)]
    # The subject as the notice asks for it: the unit's name, or its short name (then matched by the
    # attached form or the sender, as the importer would have matched it).
    rows = q("select m.subject, u.name, m.matched_by from mail_messages m join units u using (unit_id)")
    for subject, name, matched_by in rows:
        named = name if matched_by == "subject" else name.removesuffix("有限公司")
        assert subject in (config.email_subject(named, "zh"), config.email_subject(named, "en"))
    assert {m for _, _, m in rows} == {"subject", "form", "sender"}
    # About 2 % unmatched, each for staff to assign.
    total, unmatched = q("select count(*), count(*) filter (where unit_id is null) from mail_messages")[0]
    assert 0.015 < unmatched / total < 0.025
    assert q("select count(*) from mail_messages where unit_id is null and matched_by is not null") == [(0,)]
    # Every message has its 2–3 attachments, numbered from 0, in the importer's sentences.
    counts = q(
        "select count(a.message_key), min(a.position), max(a.position) from mail_messages m "
        "left join mail_attachments a using (message_key) group by m.message_key"
    )
    assert {c for c, *_ in counts} == {2, 3} and all(lo == 0 and hi == c - 1 for c, lo, hi in counts)
    no_unit = said("mail.outcome.no_unit")
    assert q(
        "select distinct outcome_en, outcome_zh from mail_attachments join mail_messages using (message_key) "
        "where unit_id is null"
    ) == [tuple(no_unit)]
    forms = q(
        "select a.outcome_en, a.outcome_zh, count(distinct p.participant_id) from mail_attachments a "
        "join mail_messages m using (message_key) join participants p using (unit_id) "
        "where a.name like '%.xlsx' group by a.message_key, 1, 2"
    )
    assert forms and all(
        (en, zh) == said("mail.outcome.form_row" if n == 1 else "mail.outcome.form_rows", count=n)
        for en, zh, n in forms
    )
