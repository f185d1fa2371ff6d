"""Amounts of money as officers type them: remedies on the learning sheets, and the register's money columns.

In one place so that `register` (the register's money columns) and `learning`
(the remedies) judge a cell alike, and neither has to import the other.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

MONEY_LIMIT = Decimal("1000000")  # more than this is a typing slip, not a remedy
_MONEY = re.compile(r"^£?\s*(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$")


def parse_money(value) -> Decimal:
    """Pounds as an officer types them (250, 250.5, £1,250.00); ValueError for anything else."""
    if isinstance(value, bool):
        raise ValueError("not money")
    if isinstance(value, (int, float)):
        if value != value or value < 0:  # NaN, negative
            raise ValueError("not money")
        amount = Decimal(str(round(float(value), 6))).normalize()
        if amount != amount.quantize(Decimal("0.01")):
            raise ValueError("more than pence")
    else:
        text = str(value).strip().replace(" ", "")
        if not _MONEY.match(text):
            raise ValueError("not money")
        try:
            amount = Decimal(text.lstrip("£").replace(",", ""))
        except InvalidOperation:
            raise ValueError("not money") from None
    if amount > MONEY_LIMIT:
        raise ValueError("too much")
    return amount.quantize(Decimal("0.01"))
