"""Money as officers type it: the one judge for the register's money columns and the remedies sheet."""

from __future__ import annotations

from decimal import Decimal

import pytest

from xl_complaints.core.money import MONEY_LIMIT, parse_money


@pytest.mark.parametrize("typed, pounds", [
    (250, "250.00"), (250.5, "250.50"), ("250", "250.00"), ("£1,250.00", "1250.00"), (" £ 75.5 ", "75.50"),
    ("1,000,000", "1000000.00"), (0, "0.00"), (19.99, "19.99"),
])
def test_amounts_as_officers_type_them(typed, pounds):
    assert parse_money(typed) == Decimal(pounds)


@pytest.mark.parametrize("typed", [
    "two hundred", "-50", -50, "12.345", 12.345, "1,000,000.01", 1_000_001, "1,00", "£", "", True, float("nan"), "250 GBP",
])
def test_anything_else_is_not_money(typed):
    with pytest.raises(ValueError):
        parse_money(typed)


def test_the_limit_is_a_million_pounds():
    assert MONEY_LIMIT == Decimal("1000000") and parse_money(MONEY_LIMIT) == MONEY_LIMIT
