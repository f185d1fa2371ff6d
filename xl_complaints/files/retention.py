"""Retention: which closed complaints have been kept longer than the council's policy allows.

UK GDPR's storage-limitation principle means a closed complaint about a child is
not kept forever; councils commonly keep complaint records for six years after
closure (a setting). A complaint counts as closed when the status engine says it
is Closed or Withdrawn; its closure date is the last thing that happened on it.
The list names references only, never people, so it can be emailed to the
records manager.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..core.calendar import add_months_array
from ..core.settings import Settings
from ..core.status import assess

# The dates that can close a complaint, latest wins.
CLOSING_DATES = (
    "date_received",
    "s1_response_sent",
    "s2_adjudication_sent",
    "s3_response_sent",
    "withdrawn_date",
    "lgsco_referred",
)
CLOSED = ("Closed", "Withdrawn")


def closure_dates(table: pd.DataFrame) -> np.ndarray:
    """The last closing event recorded on each row (datetime64[D], NaT when none)."""
    stacked = np.stack([table[key].to_numpy(dtype="datetime64[D]") for key in CLOSING_DATES])
    as_int = np.where(np.isnat(stacked), np.iinfo(np.int64).min, stacked.astype(np.int64))
    latest = as_int.max(axis=0)
    return np.where(latest == np.iinfo(np.int64).min, np.datetime64("NaT", "D"), latest.astype("datetime64[D]"))


def due_for_deletion(table: pd.DataFrame, settings: Settings, as_of: dt.date) -> pd.DataFrame:
    """Closed complaints whose retention period has run out by `as_of`, oldest first.

    Columns: Reference, Status, Closed on, Keep until. The sheet row number is the index.
    """
    status = assess(table, settings, as_of)
    closed_on = closure_dates(table)
    keep_until = add_months_array(closed_on, 12 * settings.retention_years)
    expired = np.isin(status["rag"].to_numpy(dtype=object), CLOSED) & ~np.isnat(keep_until) & (keep_until < np.datetime64(as_of, "D"))
    result = pd.DataFrame(
        {
            "Reference": table["reference"].to_numpy(dtype=object)[expired],
            "Status": status["rag"].to_numpy(dtype=object)[expired],
            "Closed on": closed_on[expired].astype("datetime64[s]"),
            "Keep until": keep_until[expired].astype("datetime64[s]"),
        },
        index=table.index[expired],
    )
    return result.sort_values(["Closed on", "Reference"])
