"""The demo's registration mailbox: the e-mails its synthetic units would have sent the
secretariat, their attachments and what the importer made of each, in the importer's own words.

Every address is @example.com: a unit's contact address, or assistantN@example.com for the few
messages no unit could be matched to.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random

import pyarrow as pa

from delegation.config import EventConfig
from delegation.i18n import Both, said

MAIL_TYPES = {
    "sent_at": pa.timestamp("us"),
    "imported_at": pa.timestamp("us"),
    "unit_id": pa.int32(),
    "position": pa.int32(),
}
UNMATCHED_SHARE = 0.02  # messages the importer could match to no unit, for staff to assign
SECOND_MESSAGE_SHARE = 0.4  # units that sent their materials in two e-mails
ANNEX_1 = ("附件1-报名确认回执.pdf", "Annex 1 - registration confirmation.pdf")
ANNEX_2 = ("附件2-报名表.xlsx", "Annex 2 - registration form.xlsx")
MESSAGE_COLUMNS = (
    "message_key",
    "sha256",
    "sender",
    "subject",
    "sent_at",
    "imported_at",
    "unit_id",
    "matched_by",
    "body",
    "imported_by",
)
LOOSE_SUBJECTS = ["补充材料", "护照扫描件", "Passport scans", "报名材料"]  # no unit named: unmatched


def generate_mail(
    config: EventConfig, units: pa.Table, people: pa.Table, seed: int
) -> tuple[pa.Table, pa.Table]:
    """The registration mailbox a secretariat would hold for these units: one or two e-mails per
    unit from its contact address, sent on or after its sign-up day under the subject the notice
    asks for, with its Annex 1, Annex 2 and passport scans and what the importer made of each (in
    the importer's sentences); and a few messages no unit could be matched to. Messages and
    attachments as Arrow tables; the same seed gives the same mailbox (the units' and people's
    own draw is left as it was)."""
    rng = random.Random(f"mail:{seed}")
    confirmation, passport = config.document("registration_confirmation"), config.document("passport_scan")
    annex_1 = Both(confirmation.en, confirmation.zh)
    scan = Both(passport.en, passport.zh)
    no_unit, already = said("mail.outcome.no_unit"), said("mail.outcome.already")
    no_document = said("mail.outcome.not_matched", why=said("scan.no_document"))
    unit_ids = units.column("unit_id").to_pylist()
    names = units.column("name").to_pylist()
    emails = units.column("contact_email").to_pylist()
    contacts = units.column("contact_name").to_pylist()
    registered = units.column("registered_on").to_pylist()
    person_names = people.column("name").to_pylist()  # a unit's first participant has its unit's id
    sizes: dict[int, int] = {}
    for unit in people.column("unit_id").to_pylist():
        sizes[unit] = sizes.get(unit, 0) + 1
    messages: dict[str, list] = {k: [] for k in MESSAGE_COLUMNS}
    attachments: dict[str, list] = {
        k: [] for k in ("message_key", "position", "name", "outcome_en", "outcome_zh")
    }

    def add(
        unit: int | None,
        matched_by: str | None,
        sender: str,
        subject: str,
        sent: dt.datetime,
        body: str,
        files: list[tuple[str, Both]],
    ) -> None:
        key = f"<demo-{len(messages['message_key']) + 1}@example.com>"
        messages["message_key"].append(key)
        messages["sha256"].append(hashlib.sha256(key.encode()).hexdigest())
        messages["sender"].append(sender)
        messages["subject"].append(subject)
        messages["sent_at"].append(sent)
        messages["imported_at"].append(sent + dt.timedelta(minutes=rng.randint(1, 30)))
        messages["unit_id"].append(unit)
        messages["matched_by"].append(matched_by)
        messages["body"].append(body)
        messages["imported_by"].append("demo")
        for position, (name, outcome) in enumerate(files):
            attachments["message_key"].append(key)
            attachments["position"].append(position)
            attachments["name"].append(name)
            attachments["outcome_en"].append(outcome.en)
            attachments["outcome_zh"].append(outcome.zh)

    def sent_on(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(rng.randint(8, 21), rng.randint(0, 59), rng.randint(0, 59)))

    for i, unit in enumerate(unit_ids):
        lang = "en" if rng.random() < 0.15 else "zh"
        annexes = ANNEX_1[lang == "en"], ANNEX_2[lang == "en"]
        person = person_names[unit - 1]
        roll = rng.random()
        # As the importer matches: the subject first; a subject naming the unit by its short name
        # is matched by the attached form, or, without one, by the sender's address.
        matched_by = "subject" if roll < 0.85 else "form" if roll < 0.95 else "sender"
        named = names[i] if matched_by == "subject" else names[i].removesuffix("有限公司")
        count = sizes[unit]
        form = said("mail.outcome.form_row" if count == 1 else "mail.outcome.form_rows", count=count)
        files = [(annexes[1], form), (annexes[0], annex_1)]
        if matched_by == "sender":
            files = [(annexes[0], annex_1)]
        if rng.random() < 0.5 or len(files) == 1:
            files.append((f"{person}护照.jpg", said("mail.outcome.filed_for", document=scan, whose=person)))
        body = (
            f"Please find attached the registration materials of {names[i]}.\n{contacts[i]}"
            if lang == "en"
            else f"您好，附件是{names[i]}的报名材料，请查收。\n{contacts[i]}"
        )
        day = registered[i] + dt.timedelta(days=rng.choice([0, 0, 1, 2]))
        first = sent_on(day)
        add(unit, matched_by, emails[i], config.email_subject(named, lang), first, body, files)
        if rng.random() < SECOND_MESSAGE_SHARE:
            again = [(annexes[0], already), (f"{person}护照.jpg", already)]
            if rng.random() < 0.5:
                again.append(
                    (
                        f"{person}照片.jpg",  # a photo: no document the event asks for
                        no_document,
                    )
                )
            later = first + dt.timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 5))
            subject = config.email_subject(names[i], lang)
            add(unit, "subject", emails[i], subject, later, f"补充材料，请查收。\n{contacts[i]}", again)
    for n in range(max(1, round(UNMATCHED_SHARE * len(messages["message_key"])))):
        i = rng.randrange(len(unit_ids))
        person = person_names[unit_ids[i] - 1]
        files = [(f"{person}护照.jpg", no_unit), (ANNEX_1[0], no_unit)]
        if rng.random() < 0.5:
            files.append((f"{person}护照-2.jpg", no_unit))
        sent = sent_on(registered[i] + dt.timedelta(days=rng.randint(0, 10)))
        body = "附件是我单位参团人员的护照扫描件。\n行政助理"
        add(None, None, f"assistant{n + 1}@example.com", rng.choice(LOOSE_SUBJECTS), sent, body, files)
    return (
        pa.table({k: pa.array(v, MAIL_TYPES.get(k, pa.string())) for k, v in messages.items()}),
        pa.table({k: pa.array(v, MAIL_TYPES.get(k, pa.string())) for k, v in attachments.items()}),
    )
