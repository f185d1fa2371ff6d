"""Surviving mutants that change nothing an officer, a letter or a published figure could show.

Each is listed by mutmut's name without the package (so the list survives a move of the
module), with the reason. `run.py --report` counts a survivor listed here as equivalent
and names any other survivor as a missing test. docs/testing.md explains the groups.

A number stays right only while its function is unchanged: mutmut numbers a function's
mutants in order, so after editing a function, check its entries with
`run.py MODULE --report --survivors`.
"""

from __future__ import annotations


def _each(reason: str, *names: str) -> dict[str, str]:
    return {name: reason for name in names}


EQUIVALENT: dict[str, str] = {
    # --- calendar ------------------------------------------------------------------------------
    **_each("the years built become 0-2040 or 2000-2041: the dates from 2000 to 2040 are the same, only the table is bigger",
            "calendar.x_bank_holidays__mutmut_9", "calendar.x_bank_holidays__mutmut_12"),
    **_each("categories=None or left out: the holidays package's UK calendar has one category, public, its default",
            "calendar.x_bank_holidays__mutmut_16", "calendar.x_bank_holidays__mutmut_19"),
    "calendar.x_united_kingdom__mutmut_14":
        "a spec made for a UK module file that is not there: loading it fails, which the same fallback catches",
    **_each("a one-day array built without dtype='datetime64[D]': a datetime.date becomes a day either way",
            "calendar.xǁWorkingCalendarǁis_working_day__mutmut_9", "calendar.xǁWorkingCalendarǁadd__mutmut_7",
            "calendar.xǁWorkingCalendarǁadd__mutmut_9", "calendar.xǁWorkingCalendarǁcount__mutmut_3",
            "calendar.xǁWorkingCalendarǁcount__mutmut_5", "calendar.xǁWorkingCalendarǁcount__mutmut_11",
            "calendar.xǁWorkingCalendarǁcount__mutmut_13", "calendar.xǁWorkingCalendarǁadd_calendar__mutmut_9",
            "calendar.xǁWorkingCalendarǁadd_calendar__mutmut_11",
            "calendar.xǁWorkingCalendarǁnext_working_day_on_or_after__mutmut_4",
            "calendar.xǁWorkingCalendarǁnext_working_day_on_or_after__mutmut_6"),
    **_each("the amount not made whole numbers first: add_array and the month arithmetic convert it again",
            "calendar.xǁWorkingCalendarǁadd_period_array__mutmut_15", "calendar.xǁWorkingCalendarǁadd_period_array__mutmut_17",
            "calendar.x_add_months_array__mutmut_15", "calendar.x_add_months_array__mutmut_17"),
    **_each("day offset and month length as decimals: small whole numbers, exact as decimals, turned into days again",
            "calendar.x_add_months_array__mutmut_33", "calendar.x_add_months_array__mutmut_46"),
    **_each("valid = None, so missing dates go through the arithmetic: numpy gives NaT for NaT, the same as leaving them out",
            "calendar.xǁWorkingCalendarǁroll_forward_array__mutmut_14", "calendar.x_add_months_array__mutmut_23"),
    "calendar.xǁWorkingCalendarǁcount_array__mutmut_38": "np.timedelta64(1) without a unit: added to a day it is one day",
    "calendar.xǁWorkingCalendarǁcount_array__mutmut_42":
        "every pair counted 'backwards': busday_count with its dates swapped counts the same days, negated, and is negated back",
    "calendar.xǁWorkingCalendarǁcount_array__mutmut_43": "e > s for e >= s: from a day to itself both ways give 0",
    # --- rulebook ------------------------------------------------------------------------------
    **_each("the blank reason's default spelt otherwise: an unknown reason falls back on Other anyway",
            "rulebook.xǁRulebookǁhold_reason__mutmut_4", "rulebook.xǁRulebookǁhold_reason__mutmut_5",
            "rulebook.xǁRulebookǁhold_reason__mutmut_6"),
    "rulebook.xǁRulebookǁhold_reason__mutmut_15": "next() without a default: every shipped rulebook has an Other reason",
    **_each("the default for an item with neither period nor amount: every milestone and window has a period, the time limit an amount",
            "rulebook.xǁRulebookǁvalidate__mutmut_37", "rulebook.xǁRulebookǁvalidate__mutmut_43"),
    **_each("`m.extended or 1` for `or 0` beside the period: every period is at least 1, so the larger is the same",
            "rulebook.xǁRulebookǁvalidate__mutmut_61", "rulebook.xǁRulebookǁvalidate__mutmut_69"),
    **_each("a name misspelt in the list of whole-number fields: their current values are whole numbers, which "
            "isinstance(current, int) catches first",
            *(f"rulebook.x__replace__mutmut_{n}" for n in range(23, 33))),
    "rulebook.x__replace__mutmut_38": "float('NAN') is the same not-a-number",
    **_each("files sorted without a key: paths sort by name anyway, and the rulebooks are kept by id",
            "rulebook.x__read_shipped__mutmut_3", "rulebook.x__read_shipped__mutmut_5"),
    **_each("encoding None or 'UTF-8': the same on a UTF-8 machine; keep 'utf-8' for Windows code pages",
            "rulebook.x__read_shipped__mutmut_15", "rulebook.x__read_shipped__mutmut_17"),
    "rulebook.x_reason_key__mutmut_12":
        "strip('XX_XX') strips the characters X and _: the key is lower case, so only _ is ever stripped, as before",
    # --- status: caches and array types --------------------------------------------------------
    **_each("a cache key misspelt: the value is computed again (or kept under another key no other call uses); the same result, slower",
            "status.xǁ_Columnsǁ_get__mutmut_4", "status.x__route__mutmut_36"),
    "status.xǁ_Columnsǁeq__mutmut_1": "`and` for `or`: a column not factorised yet is compared as text, with the same answer",
    **_each("the message key's packing: -2 for a missing day, a clip no count reaches (32,768 working days overdue), reshape "
            "to the same one dimension; distinct messages stay distinct",
            "status.x__messages__mutmut_10", "status.x__messages__mutmut_29", "status.x__messages__mutmut_33",
            "status.x__messages__mutmut_77", "status.x__messages__mutmut_79"),
    **_each("an array's dtype left to numpy (whole numbers or text): the values are converted where they are used",
            "status.xǁHoldsǁsubset__mutmut_4", "status.x__run_clock__mutmut_56", "status.x__run_clock__mutmut_99",
            "status.x__assess_route__mutmut_144", "status.x__assess_route__mutmut_137", "status.x__deferred__mutmut_95",
            "status.x__persistent_review__mutmut_27", "status.x_working_days_taken__mutmut_10", "status.x_working_days_taken__mutmut_12"),
    **_each("np.datetime64(day) without 'D': a datetime.date is a day", "status.x_days_on_hold__mutmut_5"),
    **_each("None for NaT in a date column: numpy stores None as NaT",
            "status.x__other_representations__mutmut_33"),
    **_each("-2 for -1 as 'none': only the sign is ever tested",
            "status.xǁHoldsǁsubset__mutmut_9", "status.x__assess_route__mutmut_57", "status.x__assess_route__mutmut_64", "status.x__assess_route__mutmut_243"),
    **_each("the empty case of the hold reasons: with no holds every path gives an empty (or all-False) answer",
            "status.xǁHoldsǁstopping__mutmut_3", "status.xǁHoldsǁstopping__mutmut_14", "status.xǁHoldsǁstopping__mutmut_31"),
    # --- status: the assessment --------------------------------------------------------------------
    "status.x__receipt__mutmut_14": "a deferral ended on the day of receipt: counting from either is counting from the same day",
    **_each("one stage more in the escalation loop, or `break` for `continue` at a stage with no milestones: every stage of "
            "every shipped rulebook from 1 to the final stage has milestones",
            "status.x__assess_route__mutmut_285", "status.x__assess_route__mutmut_289", "status.x__assess_route__mutmut_281"),
    "status.x__assess_route__mutmut_116": "the row shown for a row with nothing to show: its stage, label and dates are blanked anyway",
    "status.x__assess_route__mutmut_232": "the Closed and Running message codes moved up: they stay distinct from every other code",
    "status.x__assess_route__mutmut_259": "the late-by number kept for open rows not overdue: it is 0 or less, and only a positive one is shown",
    "status.x__assess_route__mutmut_308":
        "a final stage with no Ombudsman window: every shipped rulebook has one, and a council cannot remove it by a setting",
    **_each("`final | (kind < 0)` or `kind <= 0`: a row with no open or finished milestone has no Date received and is flagged "
            "Check, whose next action replaces it; a final row is never open, so its kind is never 0",
            "status.x__assess_route__mutmut_379", "status.x__assess_route__mutmut_380"),
    # --- status, the full run of 2 December: routes, positions, the assessment's rows -----------
    **_each("None for NaT in a date column: numpy stores None as NaT",
            "status.x__assess_route__mutmut_276"),
    **_each("the stage and milestone labels as numpy text, not objects: they become Python strings in the object columns they are copied into",
            "status.x__assess_route__mutmut_139", "status.x__assess_route__mutmut_142"),
    **_each("Green set on every open row, or at the Amber threshold itself: the Amber and Red lines after it overwrite every open "
            "row within the threshold; a row not open has no days left (NaN), which is never more than the threshold",
            "status.x__assess_route__mutmut_182", "status.x__assess_route__mutmut_183"),
    **_each("the Closed and Running message codes moved up by one: they stay distinct from every other code",
            "status.x__assess_route__mutmut_233", "status.x__assess_route__mutmut_236"),
    **_each("the late-by number kept at 0 days left (`left <= 0`, `left < 1`: left is a whole number): it is -0, so 0, and only a "
            "positive one is shown", "status.x__assess_route__mutmut_260", "status.x__assess_route__mutmut_261"),
    **_each("the body of 'no Ombudsman window at the final stage': every shipped rulebook has a to_ombudsman window, and a Rule "
            "cannot remove a window or change its key",
            "status.x__assess_route__mutmut_306", "status.x__assess_route__mutmut_307", "status.x__assess_route__mutmut_309",
            "status.x__assess_route__mutmut_310", "status.x__assess_route__mutmut_311", "status.x__assess_route__mutmut_312"),
    **_each("a stage below the final one with no window onward (`k != final_stage`, `break` for `continue`): every shipped "
            "rulebook has a window from each stage below its final stage to the next (as for mutants 281, 285 and 289, only a "
            "Rule setting final_stage past the rulebook's own stages reaches it)",
            "status.x__assess_route__mutmut_305", "status.x__assess_route__mutmut_313"),
    "status.x__assess_route__mutmut_381": "`kind < 1` for `kind < 0` on a final row: a final row is never open, so its kind is never 0",
    "status.x__assess_route__mutmut_385":
        "next() without a default: every shipped rulebook has an s1_response milestone, and a Rule cannot change a milestone's key",
    "status.x__assess_route__mutmut_447":
        "`k >= WINDOW` for `k > WINDOW`: no row's code is WINDOW itself (the hold codes end at WINDOW - 1, the window codes start at WINDOW + 1)",
    "status.x_assess_row__mutmut_3": "'' for None as 'no Holds sheet': every use tests len(holds) as well, and an empty string's is 0",
    **_each("None (or nothing) for '' as the value of a header a hold leaves out: both are false, so `or` gives the same",
            "status.x_assess_row__mutmut_21", "status.x_assess_row__mutmut_23"),
    "status.x_assess_row__mutmut_32":
        "XXXX typed into the cells a hold leaves out: not a date nor a listed hold reason, so validate_holds leaves them empty as before",
    **_each("the route's cache key misspelt: it is computed again (or kept under a key no other call uses); the same procedures",
            "status.x__route__mutmut_29", "status.x__route__mutmut_30", "status.x__route__mutmut_35",
            "status.x__route__mutmut_37"),
    # --- (end of routes) ---
    #
    # --- status, the full run of 2 December: holds, messages, working days taken ------------------
    **_each("the day's place in the message key shifted: a missing day's key then meets only 1 January 1970 (or 29 December "
            "1969), and the reader takes dates from 1990 to 2100 only", "status.x__messages__mutmut_2", "status.x__messages__mutmut_9",
            "status.x__messages__mutmut_11", "status.x__messages__mutmut_17"),
    "status.x__messages__mutmut_13": "the message key's day numbers through floats: whole numbers of days, exact as floats",
    **_each("the overdue count's lower clip changed or gone: the count is 0 or the positive days overdue, never below 0",
            "status.x__messages__mutmut_21", "status.x__messages__mutmut_30", "status.x__messages__mutmut_31"),
    **_each("the overdue count's upper clip gone or doubled: dates run from 1990 to 2100, under 28,000 working days, which "
            "32,768 never clips and the key's 17 bits still hold", "status.x__messages__mutmut_22", "status.x__messages__mutmut_34"),
    **_each("the kind packed from another offset or one bit higher in the message key: distinct kinds stay distinct",
            "status.x__messages__mutmut_42", "status.x__messages__mutmut_44", "status.x__messages__mutmut_45"),
    **_each("the day packed from another offset (a missing day stays apart from every day after 1969) or one bit higher "
            "(a day to 2100 needs 16 bits, below the kind's): distinct days stay distinct",
            "status.x__messages__mutmut_48", "status.x__messages__mutmut_49"),
    **_each("the texts built as a numpy string array: put in the object column they are the same str",
            "status.x__messages__mutmut_61", "status.x__messages__mutmut_63"),
    "status.x_working_days_taken__mutmut_5": "np.datetime64(as_of) without 'D': the as-of date is a datetime.date, a day",
    "status.x_working_days_taken__mutmut_53": "np.where(None, ...) for the missing counts: NaN less the held days is NaN again",
    "status.x_working_days_taken__mutmut_67": "`taken >= 0`: the held days lie within the days taken, so at 0 days taken none were held",
    **_each("a Holds array made without its dtype: Holds.of and subset hand it rows as int64, reasons as text (object) and "
            "days as datetime64[D] already", "status.xǁHoldsǁ__init____mutmut_3", "status.xǁHoldsǁ__init____mutmut_5",
            "status.xǁHoldsǁ__init____mutmut_8", "status.xǁHoldsǁ__init____mutmut_10", "status.xǁHoldsǁ__init____mutmut_13",
            "status.xǁHoldsǁ__init____mutmut_15", "status.xǁHoldsǁ__init____mutmut_21", "status.xǁHoldsǁ__init____mutmut_23"),
    "status.xǁHoldsǁsubset__mutmut_7": "np.full(n, -1) without dtype: numpy makes it int64 anyway",
    **_each("the empty case of the holds: with no holds the mask, the reasons and what they stop are empty on every path",
            "status.xǁHoldsǁsubset__mutmut_14", "status.xǁHoldsǁstopping__mutmut_12", "status.xǁHoldsǁstopping__mutmut_15",
            "status.xǁHoldsǁstopping__mutmut_26"),
    **_each("what each reason stops made without dtype=bool: Rulebook.stops gives True or False, a bool array anyway",
            "status.xǁHoldsǁstopping__mutmut_18", "status.xǁHoldsǁstopping__mutmut_20"),
    "status.x__messages__mutmut_47":
        "(day + 1 - 2) for a missing day makes every kind's key alike, so only two rows with no day and different "
        "next actions in one route could share a text: on the shipped rulebooks a closed row always has its window's "
        "date, and a row with nothing to show is flagged Check and its next action replaced (tried on every one of the "
        "512 combinations of the stage dates, statutory and corporate, beside such a row, and on 3,000 sample rows: "
        "no difference)",
    # --- (end of holds) ---
    #
    # --- status, the full run of 2 December: eligibility, clocks, other representations, row problems
    **_each("None for NaT or NaN in a date or number column: numpy stores None as NaT in a datetime64 array and as NaN in a float one",
            "status.x__other_representations__mutmut_15", "status.x__other_representations__mutmut_18", "status.x__deferred__mutmut_136"),
    **_each("the stage and action texts built as a numpy text array: assigned into the object column they become plain str again",
            "status.x__other_representations__mutmut_71", "status.x__other_representations__mutmut_73",
            "status.x__other_representations__mutmut_77", "status.x__other_representations__mutmut_79",
            "status.x__deferred__mutmut_97", "status.x__persistent_review__mutmut_25", "status.x__persistent_review__mutmut_56",
            "status.x__persistent_review__mutmut_58"),
    "status.x__receipt__mutmut_10": "`a & b | (resumed > received)`: the comparison is true only where both dates are there, so it adds no row",
    "status.x__run_clock__mutmut_15":
        "`requested or to_stage_`: the Ombudsman window names no request column (the register has no Ombudsman date), and a "
        "to_stage window whose column a Rule row blanks enters no stage either way (its column is missing, so never filled)",
    **_each("an array's dtype left to numpy: whole numbers stay whole numbers, and the days on hold are cast back into the "
            "int64 column days_on_hold fills", "status.x__run_clock__mutmut_59", "status.x__run_clock__mutmut_97"),
    "status.x__run_clock__mutmut_126": "`days >= 0`: adding 0 working days leaves any date as it is (a Saturday too)",
    **_each("the clock's start dates kept in _Clock.starts: nothing reads them", "status.x__run_clock__mutmut_153",
            "status.x__run_clock__mutmut_187"),
    "status.x__run_clock__mutmut_171": "`later >= opened`: on the same day either date is the same date",
    **_each("the fallback for a text column the table does not have (only a Rule row's misspelt extension column asks for one): "
            "None, or '' in a numpy text array, is not Yes either",
            *(f"status.xǁ_Columnsǁtext__mutmut_{n}" for n in (3, 4, 7))),
    **_each("a cache key misspelt: the value is computed again (or kept under another key no other call uses); the same result, slower",
            "status.xǁ_Columnsǁeq__mutmut_2", "status.xǁ_Columnsǁeq__mutmut_3"),
    **_each("eq by factorised codes where it would compare text, or the reverse: both give the same answer, only the speed differs",
            "status.xǁ_Columnsǁeq__mutmut_4", "status.xǁ_Columnsǁeq__mutmut_5"),
    **_each("a list of True and False made an array without dtype=bool: numpy makes it a bool array anyway (the list is never empty)",
            "status.x__persistent_review__mutmut_46", "status.x__persistent_review__mutmut_48"),
    # --- (end of eligibility) ---
    #
    # --- status, re-run of 2 December after "refresh without pandas" (core/table.py) -------------
    # Every mutant of the functions that commit changed or added was run again and these entries
    # written afresh (the numbers before it no longer named the same mutants).
    **_each("np.datetime64(day) without 'D': a datetime.date is a day",
            "status.x_assess_columns__mutmut_9", "status.x_timeline__mutmut_5", "status.x_row_problems__mutmut_8"),
    "status.x_assess_columns__mutmut_22": "the stage's starting value: every row is given a stage by its route or as another representation",
    **_each("a calculated column's starting value: on a validated register every row's procedure is Statutory or Corporate "
            "(recorded or suggested), so its route's clock, or _other_representations for a compliment or a refusal, writes "
            "that column on every row",
            *(f"status.x_assess_columns__mutmut_{n}" for n in (30, 50, 58, 63, 64, 65, 75))),
    **_each("None for NaT as a date column's starting value or written into it: the clock's dates go in beside it and the "
            "column is made datetime64 at the end, where None is NaT (numpy stores None as NaT in a datetime64 array)",
            *(f"status.x_assess_columns__mutmut_{n}" for n in (38, 69, 144, 156)),
            "status.x_timeline__mutmut_20", "status.x_timeline__mutmut_25"),
    "status.x_assess_columns__mutmut_147": "None for NaN in the float column of working days left: numpy stores None as NaN",
    **_each("compliments and refusals given a complaint clock: _other_representations then overwrites every column the clock wrote",
            "status.x_assess_columns__mutmut_91", "status.x_assess_columns__mutmut_94"),
    **_each("the first problems as numpy text: 'Correct the row: ' + them is text too, stored as Python strings in the "
            "object column (and with nothing flagged nothing is assigned)",
            "status.x_assess_columns__mutmut_197", "status.x_assess_columns__mutmut_199"),
    "status.x_assess_columns__mutmut_207": "`if len(first)` always true: with nothing flagged, both branches assign nothing",
    **_each("pd.Series copy=None, copy=True or left out, or dtype=v.dtype also for objects (it is object then): the same column, "
            "copied or not", *(f"status.x_assess__mutmut_{n}" for n in (18, 22, 24, 26))),
    **_each("the frame built without index=: its columns are Series on that index, so the frame has it anyway",
            "status.x_assess__mutmut_28", "status.x_assess__mutmut_30"),
    **_each("pd.Index of the sheet rows without dtype=int64: register.validate and hold_table make the rows int64 already",
            "status.x__index__mutmut_5", "status.x__index__mutmut_8"),
    **_each("the groups of _running_max numbered from 1 or -1 rather than 0, or a span one wider: every group is still lifted "
            "above the one before by at least its own spread, and the lift is taken off again",
            "status.x__running_max__mutmut_3", "status.x__running_max__mutmut_5", "status.x__running_max__mutmut_12"),
    "status.x__reference_key__mutmut_2":
        "references matched in lower case rather than upper: the register's and the hold's are keyed alike, so the same ones match",
    **_each("the references made an object array without dtype=object: a Table's text columns are object arrays already "
            "(register.validate, hold_table and Table.of make them so), and earlier complaints come from _Columns.text",
            "status.x__positions_by_reference__mutmut_8", "status.x__positions_by_reference__mutmut_10",
            "status.x__positions_by_reference__mutmut_23", "status.x__positions_by_reference__mutmut_25",
            "status.xǁHoldsǁof__mutmut_26", "status.xǁHoldsǁof__mutmut_28", "status.xǁHoldsǁof__mutmut_71",
            "status.xǁHoldsǁof__mutmut_73", "status.x__holds_sheet_problems__mutmut_6", "status.x__holds_sheet_problems__mutmut_8",
            "status.x__joined_problems__mutmut_49", "status.x__joined_problems__mutmut_51",
            "status.xǁ_Columnsǁtext__mutmut_9", "status.xǁ_Columnsǁtext__mutmut_11"),
    **_each("np.fromiter without count=: the count only sizes the array beforehand; the values are the same",
            "status.x__positions_by_reference__mutmut_31", "status.xǁHoldsǁof__mutmut_136"),
    **_each("the fallback for a column the table does not have: the validated register and the Holds sheet (hold_table, even "
            "with a header missing) always have every column, and a rulebook may name only the register's columns "
            "(Rulebook.validate refuses any other)",
            *(f"status.xǁHoldsǁof__mutmut_{n}" for n in (10, 19, 20, 21, 22, 24, 30, 31, 32, 33, 34, 35)),
            *(f"status.xǁ_Columnsǁdates__mutmut_{n}" for n in (2, 3, 4, 5)),
            *(f"status.xǁ_Columnsǁtext__mutmut_{n}" for n in (2, 5, 6)),
            *(f"status.x__holds_sheet_problems__mutmut_{n}" for n in (38, 51, 52, 53, 54))),
    **_each("the dates made an array without dtype='datetime64[D]': the Table's date columns are datetime64[s] at midnight, "
            "concatenated to one unit, compared and shown as the same days, and made days by Holds",
            "status.xǁHoldsǁof__mutmut_12", "status.xǁHoldsǁof__mutmut_14",
            *(f"status.x__holds_sheet_problems__mutmut_{n}" for n in (18, 20, 28, 30, 40, 42))),
    "status.xǁHoldsǁof__mutmut_110": "`>=`: the duplicate check run on the Register's own holds alone, one per row, so none is dropped",
    **_each("the duplicate check's day numbers as floats: whole numbers of days, exact as floats",
            "status.xǁHoldsǁof__mutmut_119", "status.xǁHoldsǁof__mutmut_127"),
    **_each("an open hold's end in the duplicate check as None, +1 or -2 for -1: still unlike every real end (1990 to 2100)",
            "status.xǁHoldsǁof__mutmut_122", "status.xǁHoldsǁof__mutmut_128", "status.xǁHoldsǁof__mutmut_129"),
    **_each("an array's dtype left to numpy (whole numbers or text): the values are converted where they are used",
            "status.xǁHoldsǁdays__mutmut_3", "status.xǁHoldsǁdays__mutmut_5"),
    "status.xǁHoldsǁdays__mutmut_6": "the empty case of the hold reasons: with no holds every path gives an empty (or all-False) answer",
    **_each("comparisons with a missing date are false, and a hold with no working day inside the clock's span counts 0 either way",
            "status.xǁHoldsǁdays__mutmut_47", "status.xǁHoldsǁdays__mutmut_48", "status.xǁHoldsǁdays__mutmut_51"),
    "status.xǁHoldsǁdays__mutmut_59":
        "the first hold not marked as its complaint's first: its 'furthest end before' is the smallest number already, and "
        "_running_max's groups are only numbered one lower",
    **_each("the furthest end, a hold's first day or the count added as floats: whole numbers of days, exact as floats",
            "status.xǁHoldsǁdays__mutmut_69", "status.xǁHoldsǁdays__mutmut_83", "status.xǁHoldsǁdays__mutmut_106"),
    "status.xǁHoldsǁdays__mutmut_94": "`b >= first`: counted from a day to the same day is 0 either way",
    **_each("a cache key misspelt: the value is computed again (or kept under another key no other call uses); the same result, slower",
            *(f"status.xǁ_Columnsǁdates__mutmut_{n}" for n in (13, 19, 20)),
            *(f"status.xǁ_Columnsǁtext__mutmut_{n}" for n in (12, 18, 19)),
            "status.xǁ_Columnsǁ_codes__mutmut_1", "status.xǁ_Columnsǁ_codes__mutmut_2"),
    **_each("end[i:i+2] or start[i:i+2] (or got's) against a one-element slice: element 0 is compared, the same one",
            *(f"status.x__holds_sheet_problems__mutmut_{n}" for n in (99, 101, 126, 128))),
    **_each("a Holds sheet problem's row not among the Holds sheet's rows: every problem found there names one of its rows, so "
            "the test is always true and the -1 beside it never used",
            "status.x__joined_problems__mutmut_65", "status.x__joined_problems__mutmut_67", "status.x__joined_problems__mutmut_68"),
    **_each("the default for a Register problem's row not among the table's rows: row_problems names only the table's own "
            "rows, so it is never used", *(f"status.x__joined_problems__mutmut_{n}" for n in (79, 81, 82, 83))),
    "status.x__age_years__mutmut_23": "astype(None) is astype(float64): the same decimals",
    **_each("a date's year, month or day as decimals: small whole numbers, exact as floats, compared and subtracted the same",
            "status.x__year_month_day__mutmut_13", "status.x__year_month_day__mutmut_22", "status.x__year_month_day__mutmut_26"),
    **_each("the whole table for a subset's (or take(None) there): _eligibility is only ever given the whole register's "
            "columns, so cols.rows is None", "status.x__earlier_complaint__mutmut_11", "status.x__earlier_complaint__mutmut_13"),
    "status.x__earlier_complaint__mutmut_41":
        "row 1 for row 0 as the stand-in for rows with no earlier complaint found: every use is masked by `found` (a table with "
        "a found row and a row not found has a row 1)",
    **_each("S3 response sent left out of the earlier complaint's last answer: a matter answered at stage 3 is refused as "
            "'Already through all three stages' and never tested for age", "status.x__earlier_complaint__mutmut_55",
            "status.x__earlier_complaint__mutmut_56"),
    "status.x__earlier_complaint__mutmut_71": "`sent >= last_answer`: on the same day either date is the same date",
    # --- (end of the re-run) ---
    # --- table (core/table.py, first run 2 December) ----------------------------------------------
    "table.x_factorize__mutmut_2":
        "list(values) for values.tolist(): every caller hands it an object array (text columns, references), whose list() "
        "and tolist() are the same Python objects",
    **_each("np.fromiter without count=: the count only sizes the array beforehand; the values are the same",
            "table.x_factorize__mutmut_14", "table.x_factorize__mutmut_27"),
    **_each("the sheet rows' index made without dtype=int64 (in np.asarray or pd.Index): the rows are int64 already, and "
            "pd.Index casts them again", *(f"table.xǁTableǁframe__mutmut_{n}" for n in (8, 11, 13, 15))),
    **_each("every column read with to_numpy() as it is: a validated register's or Holds sheet's DataFrame has only dates "
            "and text (object or pandas' str), and a text column comes out as an object array either way",
            "table.xǁTableǁof__mutmut_6", "table.xǁTableǁof__mutmut_10"),
}
