"""Year-end and in-year reporting: the statutory annual report, the Code's annual report, reminders."""
