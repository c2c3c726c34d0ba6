"""Masking of personal data."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from delegation.privacy import mask_birth_date, mask_email, mask_mobile, mask_passport


def test_masks():
    assert mask_passport("E12345678") == "E*****678"
    assert mask_passport("EA1234567") == "E*****567"
    assert mask_mobile("13812347532") == "138****7532"
    assert mask_birth_date(dt.date(1985, 6, 1)) == "1985"
    assert mask_email("zhang.wei@example.com") == "z***@example.com"


def test_missing_values_stay_missing():
    for mask in (mask_passport, mask_mobile, mask_email):
        assert mask(None) is None
        assert mask(float("nan")) is None
    assert mask_birth_date(pd.NaT) is None
    assert mask_passport("E12") == "***"
