"""The description of every stored field, and each constant derived from it, against the database a
migration makes and the rules the rest of the desk keeps."""

from __future__ import annotations

from delegation import fields, privacy
from delegation.ingest.fields import FIELDS as FORM_FIELDS


def _columns(con, table: str) -> dict[str, str]:
    """A migrated table's columns and their DuckDB types (lower case)."""
    return {name: kind.lower() for name, kind, *_ in con.execute(f"describe {table}").fetchall()}


def test_every_described_field_is_a_column_of_its_type(con):
    tables = {"units": _columns(con, "units"), "participants": _columns(con, "participants")}
    for f in fields.FIELDS:
        assert tables[f.table].get(f.name) == f.sql_type, (f.table, f.name)


def test_sql_types_name_every_column_that_is_not_text(con):
    described = {f.name for f in fields.FIELDS}
    for table in ("units", "participants"):
        for name, kind in _columns(con, table).items():
            if name in described:
                assert fields.SQL_TYPES.get(name, "varchar") == kind, (table, name)
    assert fields.SQL_TYPES["themes"] == "varchar[]" and fields.SQL_TYPES["unit_id"] == "integer"
    assert "name" not in fields.SQL_TYPES and "passport_number" not in fields.SQL_TYPES


def test_the_boolean_fields_are_the_participants_boolean_columns(con):
    booleans = {n for n, kind in _columns(con, "participants").items() if kind == "boolean"}
    assert fields.BOOLEAN_FIELDS == booleans == {"applies_via_chamber", "holds_us_visa", "wants_arrangements"}


def test_the_purge_clears_exactly_the_personal_documents_and_contacts(con):
    participants = _columns(con, "participants")
    assert set(fields.CLEARED) <= set(participants)
    assert set(fields.CLEARED) == {
        "passport_number",
        "passport_expiry",
        "us_visa_expiry",
        "date_of_birth",
        "mobile",
        "email",
    }
    assert set(fields.UNIT_CLEARED) == {"contact_mobile", "contact_email"} <= set(_columns(con, "units"))
    # Only personal data is purged; the names stay (the aggregates and the lists keep working).
    assert all(f.personal for f in fields.FIELDS if f.purged)
    assert "name" not in fields.CLEARED and "pinyin_name" not in fields.CLEARED


def test_the_rows_carry_the_columns_a_form_gives(con):
    assert fields.UNIT_ROW_FIELDS == (
        "name",
        "name_key",
        "name_en",
        "province",
        "sector",
        "sector_as_written",
        "contact_name",
        "contact_mobile",
        "contact_email",
    )
    assert fields.PARTICIPANT_ROW_FIELDS == (
        "name",
        "name_key",
        "pinyin_name",
        "gender",
        "position",
        "position_en",
        "mobile",
        "email",
        "date_of_birth",
        "passport_number",
        "passport_expiry",
        "applies_via_chamber",
        "holds_us_visa",
        "us_visa_expiry",
        "themes",
        "cities",
        "wants_arrangements",
        "registered_on",
    )
    assert set(fields.UNIT_ROW_FIELDS) <= set(_columns(con, "units"))
    assert set(fields.PARTICIPANT_ROW_FIELDS) <= set(_columns(con, "participants"))


def test_field_labels_name_each_field_by_its_column_and_its_form_key():
    assert fields.FIELD_LABELS == {
        "unit_name": ("单位名称", "unit name"),
        "unit_name_en": ("单位英文名称", "unit name in English"),
        "name_en": ("单位英文名称", "unit name in English"),
        "province": ("省份", "province"),
        "sector": ("行业", "sector"),
        "contact_name": ("联系人", "contact person"),
        "contact_mobile": ("联系人手机", "contact mobile"),
        "contact_email": ("联系人邮箱", "contact e-mail"),
        "name": ("姓名", "name"),  # the participant's: the unit's name is "unit_name"
        "pinyin_name": ("拼音姓名", "pinyin name"),
        "gender": ("性别", "gender"),
        "position": ("职务", "position"),
        "position_en": ("英文职务", "position in English"),
        "mobile": ("手机", "mobile"),
        "email": ("邮箱", "e-mail"),
        "date_of_birth": ("出生日期", "date of birth"),
        "passport_number": ("护照号码", "passport number"),
        "passport_expiry": ("护照有效期", "passport expiry"),
        "applies_via_chamber": (
            "是否通过商会办理邀请函",
            "applies for an invitation letter through the chamber",
        ),
        "holds_us_visa": ("是否持有美国签证", "holds a US visa"),
        "us_visa_expiry": ("美国签证有效期", "US visa expiry"),
        "themes": ("论坛主题", "forum themes"),
        "cities": ("考察城市", "visit cities"),
        "wants_arrangements": ("是否需要安排交通住宿", "wants transport and accommodation arranged"),
        "registration_date": ("报名日期", "registration date"),
        "registered_on": ("报名日期", "registration date"),
    }


def test_privacy_masks_exactly_the_fields_described_with_a_mask():
    assert {
        "passport_number": privacy.mask_passport,
        "mobile": privacy.mask_mobile,
        "contact_mobile": privacy.mask_mobile,
        "email": privacy.mask_email,
        "contact_email": privacy.mask_email,
        "date_of_birth": privacy.mask_birth_date,
    } == privacy.MASKS
    assert all(f.personal for f in fields.FIELDS if f.mask)


def test_every_form_field_fills_one_described_field_and_takes_its_personal_flag():
    assert {f.key for f in FORM_FIELDS} == set(fields.BY_FORM_KEY)
    for form_field in FORM_FIELDS:
        stored = fields.BY_FORM_KEY[form_field.key]
        assert stored.table == {"unit": "units", "participant": "participants"}[form_field.level]
        assert stored.in_rows
    assert sorted(f.key for f in FORM_FIELDS if f.personal) == [
        "contact_email",
        "contact_mobile",
        "contact_name",
        "date_of_birth",
        "email",
        "mobile",
        "name",
        "passport_expiry",
        "passport_number",
        "pinyin_name",
        "us_visa_expiry",
    ]
