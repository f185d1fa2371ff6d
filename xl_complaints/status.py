"""The status engine: where every complaint stands, vectorised over the register.

(Being written now; the contract below is fixed.)

    timeline(table, settings) -> DataFrame, same index as table:
        for every milestone key of the row's rulebook, '<key>_due' (datetime64,
        NaT when not applicable): the due date with any agreed extension, pushed
        back by working days on hold where the rule pauses; and the complainant's
        windows 'to_stage_2_by', 'to_stage_3_by', 'to_ombudsman_by'.
    assess(table, settings, as_of, row_problems=None) -> DataFrame, same index:
        one column per schema.CALCULATED_KEYS (stage, milestone, due_date,
        working_days_left, rag, can_escalate, escalate_by, next_action,
        eligibility, problems).
"""
