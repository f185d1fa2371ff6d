"""The sample register: realistic enough to demonstrate, test and benchmark the toolkit.

Its proportions are checked against the 2016/17 annual report's tables (the
numbers are copied here: tests never read the domain documents), its dates
against the working-day calendar and the rulebooks, and its rows against the
validator, the reader and the status engine, which must find nothing wrong.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from xl_complaints.sample import complaints as sample

from xl_complaints.core import schema, status
from xl_complaints.cli import main
from xl_complaints.files.reader import read_register
from xl_complaints.core.register import from_records
from xl_complaints.core.settings import Settings

END = dt.date(2025, 11, 21)  # a Friday
END64 = np.datetime64(END, "D")

# The 2016/17 report (seed 002): counts from its tables.
REPORT_TYPES = {"Complaint": 31, "Area initiated complaint": 1, "Refused": 1, "Safeguarding partnership": 1, "LGO": 2, "Case Concern": 6, "Miscellaneous": 1, "Ad Hoc": 16}  # 1a, of 59
REPORT_FROM = {"Parent": 20, "Grandparent": 3, "Foster Carer": 1, schema.YOUNG_PERSON: 9}  # table 4, of 33
REPORT_STAGE1 = (10 / 33, 20 / 33, 3 / 33)  # table 2: within 10 WD, 10 to 20, over 20
REPORT_EMAIL = 20 / 33  # table 3a
REPORT_ADVOCATES = 6 / 9  # section 6
REPORT_CHILD_IN_CARE = 6 / 9  # table 9b


@pytest.fixture(scope="module")
def big() -> pd.DataFrame:
    return sample.generate_table(20_000, years=2, seed=7, end=END)


@pytest.fixture(scope="module")
def small_records() -> list[dict]:
    return sample.generate(600, years=2, seed=3, end=END)


def days(table: pd.DataFrame, key: str) -> np.ndarray:
    return table[key].to_numpy(dtype="datetime64[D]")


def statutory_complaints(table: pd.DataFrame) -> pd.Series:
    return table["representation_type"].isin(schema.STATUTORY_TYPES) & (table["procedure"] == schema.STATUTORY)


def settled(table: pd.DataFrame) -> pd.Series:
    """Received long enough before the end for every stage to have played out."""
    return table["date_received"] < pd.Timestamp(END - dt.timedelta(days=300))


# --- the same seed, the same register -------------------------------------------------


def test_same_seed_gives_the_same_register():
    first = sample.generate(300, seed=11, end=END)
    again = sample.generate(300, seed=11, end=END)
    other = sample.generate(300, seed=12, end=END)
    assert first == again
    assert first != other


def test_table_is_what_the_validator_makes_of_the_records(small_records):
    validated = from_records(small_records)
    assert validated.problems == []
    pd.testing.assert_frame_equal(validated.table, sample.generate_table(600, years=2, seed=3, end=END))


def test_no_rows_is_an_empty_register():
    pd.testing.assert_frame_equal(sample.generate_table(0, end=END), from_records([]).table)
    assert sample.generate(0, end=END) == []


def test_records_are_keyed_by_header_with_dates_and_none(small_records):
    record = small_records[0]
    assert list(record) == [c.header for c in schema.INPUT_COLUMNS]
    assert isinstance(record["Date received"], dt.date)
    assert all(v is None or (isinstance(v, str) and v.strip() == v and v) or isinstance(v, dt.date) for r in small_records for v in r.values())


# --- every value from its list ----------------------------------------------------------


def test_every_category_value_is_in_its_schema_list(big):
    for col in schema.INPUT_COLUMNS:
        if col.kind in (schema.Kind.CATEGORY, schema.Kind.YESNO):
            used = set(big[col.key].unique()) - {""}
            assert used <= set(col.values), (col.header, used - set(col.values))


def test_weights_only_name_schema_values():
    tables = {
        "representation_type": [sample.REPRESENTATION_WEIGHTS],
        "refusal_reason": [sample.REFUSAL_WEIGHTS],
        "how_received": [sample.HOW_RECEIVED_WEIGHTS, sample.HOW_RECEIVED_YOUNG_PEOPLE],
        "received_from": [sample.RECEIVED_FROM_STATUTORY, sample.RECEIVED_FROM_EXEMPT, sample.RECEIVED_FROM_INELIGIBLE, sample.RECEIVED_FROM_OTHER],
        "nature": [sample.NATURE_WEIGHTS, sample.NATURE_YOUNG_PEOPLE],
        "service": [sample.SERVICE_WEIGHTS, sample.EXEMPT_SERVICE_WEIGHTS, *sample.SERVICE_FOR_STATUS.values(), *sample.EXEMPT_SERVICE_FOR_STATUS.values()],
        "child_legal_status": [sample.LEGAL_STATUS_YOUNG_PEOPLE, *sample.STATUS_FOR_SERVICE.values()],
        "outcome_sought": [sample.OUTCOME_SOUGHT_WEIGHTS, sample.OUTCOME_SOUGHT_YOUNG_PEOPLE],
        "s1_actual_outcome": [sample.ACTUAL_OUTCOME_WEIGHTS],
        "hold_reason": [sample.HOLD_REASON_WEIGHTS],
        "lgsco_outcome": [sample.LGSCO_FINAL_OUTCOMES],
        "complainant_disability": [sample.DISABILITY_WEIGHTS],
        "complainant_ethnicity": [sample.ETHNICITY_WEIGHTS],
    }
    for key, weights in tables.items():
        allowed = set(schema.column(key).values)
        for table in weights:
            assert set(table) <= allowed, (key, set(table) - allowed)
    assert set(sample.SERVICE_FOR_STATUS) == set(sample.EXEMPT_SERVICE_FOR_STATUS) == set(schema.LEGAL_STATUS)
    assert set(sample.STATUS_FOR_SERVICE) == set(schema.SERVICES)
    assert set(sample.SERVICE_WEIGHTS).isdisjoint(schema.EXEMPT_SERVICES)


# --- proportions: the annual report ------------------------------------------------------


def test_representation_types_follow_table_1a(big):
    share = big["representation_type"].value_counts(normalize=True)
    total = sum(REPORT_TYPES.values()) + 1  # the report's 59 (one safeguarding partnership representation counted apart)
    assert share["Complaint"] == pytest.approx(31 / total, abs=0.05)
    assert share["Ad Hoc"] == pytest.approx(16 / total, abs=0.06)
    assert share["Case Concern"] == pytest.approx(6 / total, abs=0.03)
    statutory = big["representation_type"].isin(schema.STATUTORY_TYPES).mean()
    assert statutory == pytest.approx(33 / 59, abs=0.05)  # "~55% statutory"
    assert set(share.index) == set(schema.REPRESENTATION_TYPES)  # rare types turn up too


def test_refusals_give_a_reason_and_only_refusals_do(big):
    refused = big["representation_type"] == schema.REFUSED
    assert (big.loc[refused, "refusal_reason"] != "").all()
    assert (big.loc[~refused, "refusal_reason"] == "").all()
    assert big.loc[refused, "refusal_reason"].value_counts().idxmax() == "Outside of Remit"


def test_about_thirty_percent_of_complaints_are_corporate_and_exempt_services_always_are(big):
    complaints = big["representation_type"].isin(schema.COMPLAINT_TYPES)
    assert (big.loc[complaints, "procedure"] == schema.CORPORATE).mean() == pytest.approx(0.30, abs=0.03)
    exempt = big["service"].isin(schema.EXEMPT_SERVICES) & (big["procedure"] != "")
    assert exempt.sum() > 100
    assert (big.loc[exempt, "procedure"] == schema.CORPORATE).all()


def test_who_complains_follows_table_4(big):
    who = big.loc[statutory_complaints(big), "received_from"].value_counts(normalize=True)
    assert who["Parent"] == pytest.approx(REPORT_FROM["Parent"] / 33, abs=0.05)
    assert who[schema.YOUNG_PERSON] == pytest.approx(REPORT_FROM[schema.YOUNG_PERSON] / 33, abs=0.04)
    assert who["Grandparent"] == pytest.approx(REPORT_FROM["Grandparent"] / 33, abs=0.03)
    assert who["Foster Carer"] == pytest.approx(REPORT_FROM["Foster Carer"] / 33, abs=0.02)


def test_how_received_and_young_peoples_forms(big):
    rows = statutory_complaints(big)
    how = big.loc[rows, "how_received"].value_counts(normalize=True)
    assert how["E-mail"] == pytest.approx(REPORT_EMAIL, abs=0.05)
    form = big["how_received"] == "YP Complaint Form"
    assert (big.loc[form, "received_from"] == schema.YOUNG_PERSON).all()
    assert (big.loc[big["representation_type"] == "LGO", "how_received"] == "Via LGO").all()


def test_most_frequent_nature_service_and_outcomes_are_the_reports(big):
    rows = statutory_complaints(big)
    assert set(big.loc[rows, "nature"].value_counts().index[:2]) == {"Quality of Service", "Non Fulfilment of Duty"}
    assert big.loc[rows, "service"].value_counts().index[0] == "Child in Need"
    assert big.loc[rows, "outcome_sought"].value_counts().index[0] == "Request Fulfilled"
    answered = rows & big["s1_response_sent"].notna()
    assert big.loc[answered, "s1_actual_outcome"].value_counts().index[0] == "Meeting / Offer of a meeting"


def test_young_people_legal_status_and_advocates(big):
    young = statutory_complaints(big) & (big["received_from"] == schema.YOUNG_PERSON)
    status = big.loc[young, "child_legal_status"].value_counts(normalize=True)
    assert status["Child in Care"] == pytest.approx(REPORT_CHILD_IN_CARE, abs=0.06)
    assert (big.loc[young, "advocate"] == schema.YES).mean() == pytest.approx(REPORT_ADVOCATES, abs=0.05)
    assert big.loc[young, "service"].value_counts().index[0] == "Children Looked After"  # table 6b


def test_demographics_are_mostly_not_stated(big):
    for key in ("complainant_gender", "complainant_age_band", "complainant_ethnicity", "complainant_disability"):
        share = (big[key] == "Not Stated").mean()
        assert 0.75 < share < 0.97, key
        assert big[key].nunique() > 2, key


def test_learning_identified_for_a_few(big):
    answered = big["s1_response_sent"].notna() & big["representation_type"].isin(schema.COMPLAINT_TYPES)
    share = (big.loc[answered, "learning_identified"] == schema.YES).mean()
    assert 0.02 < share < 0.12  # report: 2 of 33


# --- the procedure: timeliness, stages, extensions, holds ---------------------------------


def test_stage_1_timeliness_follows_table_2_measured_with_the_calendar(big):
    calendar = Settings().calendar
    rows = statutory_complaints(big) & settled(big) & big["s1_response_sent"].notna() & big["on_hold_from"].isna()
    taken = calendar.count_array(days(big[rows], "date_received"), days(big[rows], "s1_response_sent"))
    within, extended, beyond = np.mean(taken <= 10), np.mean((taken > 10) & (taken <= 20)), np.mean(taken > 20)
    assert within == pytest.approx(REPORT_STAGE1[0], abs=0.04)
    assert extended == pytest.approx(REPORT_STAGE1[1], abs=0.04)
    assert beyond == pytest.approx(REPORT_STAGE1[2], abs=0.03)
    agreed = big.loc[rows, "s1_extended"].to_numpy() == schema.YES
    assert agreed[(taken > 10) & (taken <= 20)].mean() > 0.8  # the extension was agreed
    assert agreed[taken <= 10].mean() < 0.1


def test_acknowledgements_mostly_within_the_councils_days():
    for ack_days in (2, 5):
        settings = Settings(acknowledgement_days=ack_days)
        table = sample.generate_table(4000, seed=5, end=END, settings=settings)
        rows = (table["procedure"] == schema.STATUTORY) & table["s1_acknowledged"].notna() & table["representation_type"].isin(schema.COMPLAINT_TYPES)
        taken = settings.calendar.count_array(days(table[rows], "date_received"), days(table[rows], "s1_acknowledged"))
        assert 0.75 < np.mean(taken <= ack_days) < 0.95
        assert taken.max() > ack_days  # a few are late


def test_about_twelve_percent_go_to_stage_2_and_half_of_those_to_stage_3(big):
    complaints = big["representation_type"].isin(schema.COMPLAINT_TYPES) & settled(big)
    answered = complaints & big["s1_response_sent"].notna()
    assert big.loc[answered, "s2_requested"].notna().mean() == pytest.approx(0.12, abs=0.02)
    adjudicated = answered & big["s2_adjudication_sent"].notna() & (big["procedure"] == schema.STATUTORY)
    assert adjudicated.sum() > 200
    assert big.loc[adjudicated, "s3_requested"].notna().mean() == pytest.approx(0.5, abs=0.08)
    corporate = big["procedure"] == schema.CORPORATE
    assert big.loc[corporate, "s3_requested"].isna().all()  # the corporate code has two stages


def test_stage_2_requests_inside_the_window_a_few_late(big):
    calendar = Settings().calendar
    rows = big["s2_requested"].notna() & (big["procedure"] == schema.STATUTORY)
    taken = calendar.count_array(days(big[rows], "s1_response_sent"), days(big[rows], "s2_requested"))
    late = np.mean(taken > 20)
    assert 0.01 < late < 0.15
    assert (taken >= 1).all()


def test_stage_2_and_3_deadlines_are_spread_around_their_periods(big):
    calendar = Settings().calendar
    statutory = big["procedure"] == schema.STATUTORY
    rows = statutory & big["s2_adjudication_sent"].notna() & big["on_hold_from"].isna()
    taken = calendar.count_array(days(big[rows], "s2_accepted"), days(big[rows], "s2_adjudication_sent"))
    assert 0.2 < np.mean(taken <= 25) < 0.5 and np.mean(taken > 65) < 0.2 and np.mean(taken > 25) > 0.4
    assert (big.loc[rows, "s2_extended"] == schema.YES).mean() > 0.3
    rows = statutory & big["s3_panel_held"].notna()
    taken = calendar.count_array(days(big[rows], "s3_requested"), days(big[rows], "s3_panel_held"))
    assert 0.5 < np.mean(taken <= 30) < 0.95


def test_withdrawals_holds_and_ombudsman_referrals_happen(big):
    complaints = big["representation_type"].isin(schema.COMPLAINT_TYPES)
    assert big.loc[complaints, "withdrawn_date"].notna().mean() == pytest.approx(0.03, abs=0.01)
    held = big["on_hold_from"].notna()
    assert 0.01 < held[complaints].mean() < 0.08
    assert (big.loc[held, "hold_reason"] != "").all() and (big.loc[~held, "hold_reason"] == "").all()
    assert (held & big["on_hold_to"].isna()).sum() > 0  # some still on hold
    assert (big.loc[held, "procedure"] == schema.STATUTORY).all()  # the corporate code does not pause
    referred = big["lgsco_referred"].notna()
    assert referred.sum() > 50
    assert set(big.loc[referred, "lgsco_outcome"]) - {""} == set(schema.LGSCO_OUTCOMES)
    assert (big.loc[~referred, "lgsco_outcome"] == "").all()
    withdrawn_early = big["withdrawn_date"].notna() & big["s1_response_sent"].isna()
    assert (big.loc[withdrawn_early, "s1_actual_outcome"] == "Complaint Withdrawn").all()


def test_outcomes_only_with_their_responses(big):
    for date_key, outcome_key in (("s1_response_sent", "s1_outcome"), ("s2_adjudication_sent", "s2_outcome"), ("s3_response_sent", "s3_outcome")):
        assert (big.loc[big[date_key].isna(), outcome_key] == "").all()
        assert (big.loc[big[date_key].notna() & (big["representation_type"] != schema.CASE_CONCERN), outcome_key] != "").all()
    stage2 = big["s2_accepted"].notna() & (big["procedure"] == schema.STATUTORY)
    assert (big.loc[stage2, "investigating_officer"] != "").all() and (big.loc[stage2, "independent_person"] != "").all()


# --- dates make sense ------------------------------------------------------------------------

ORDER = (
    ("date_of_events", "date_received"),
    ("child_date_of_birth", "date_received"),
    ("date_received", "s1_acknowledged"),
    ("date_received", "s1_response_sent"),
    ("s1_acknowledged", "s1_response_sent"),
    ("s1_response_sent", "s2_requested"),
    ("s2_requested", "s2_accepted"),
    ("s2_accepted", "s2_statement_agreed"),
    ("s2_statement_agreed", "s2_adjudication_sent"),
    ("s2_adjudication_sent", "s3_requested"),
    ("s3_requested", "s3_panel_appointed"),
    ("s3_panel_appointed", "s3_panel_held"),
    ("s3_panel_held", "s3_panel_report_received"),
    ("s3_panel_report_received", "s3_response_sent"),
    ("date_received", "on_hold_from"),
    ("date_received", "withdrawn_date"),
    ("date_received", "lgsco_referred"),
)
STRICT = {("s1_response_sent", "s2_requested"), ("s2_adjudication_sent", "s3_requested"), ("child_date_of_birth", "date_received")}


def test_dates_follow_one_another(big):
    for earlier, later in ORDER:
        a, b = days(big, earlier), days(big, later)
        both = ~np.isnat(a) & ~np.isnat(b)
        assert both.sum() > 0, (earlier, later)
        bad = (a[both] >= b[both]) if (earlier, later) in STRICT else (a[both] > b[both])
        assert not bad.any(), f"{later} before {earlier} on {bad.sum()} rows"
    hold_from, hold_to = days(big, "on_hold_from"), days(big, "on_hold_to")
    both = ~np.isnat(hold_from) & ~np.isnat(hold_to)
    assert both.sum() > 0 and (hold_to[both] > hold_from[both]).all()
    assert np.isnat(hold_from[~np.isnat(hold_to)]).sum() == 0
    # A later step is never recorded without the one before it.
    for needs, present in (("s1_response_sent", "s2_requested"), ("s2_requested", "s2_accepted"), ("s2_adjudication_sent", "s3_requested"), ("s3_panel_held", "s3_panel_report_received")):
        assert big.loc[big[present].notna(), needs].notna().all(), (needs, present)


def test_nothing_happens_after_the_end_date_and_recent_complaints_are_open(big):
    planned = ("deferral_review_date", "persistent_complainant_review")  # review dates are set ahead (issue 11)
    for key in schema.DATE_KEYS:
        if key in planned:
            continue
        values = days(big, key)
        assert not (values[~np.isnat(values)] > END64).any(), key
    calendar = Settings().calendar
    recent = days(big, "date_received") >= calendar.add(END, -2)
    assert recent.sum() > 20
    assert big.loc[recent, "s1_response_sent"].isna().all()
    first = sample.reporting_period(END, 2)[0]
    assert big["date_received"].min() >= pd.Timestamp(first)
    assert big["date_received"].min() < pd.Timestamp(first + dt.timedelta(days=10))


def test_procedure_dates_fall_on_working_days_of_the_councils_region():
    settings = Settings(region="Scotland")
    table = sample.generate_table(3000, seed=9, end=END, settings=settings)
    calendar = settings.calendar
    for key in schema.DATE_KEYS:
        if key in ("date_received", "date_of_events", "child_date_of_birth"):
            continue
        values = days(table, key)
        values = values[~np.isnat(values)]
        assert (calendar.roll_forward_array(values) == values).all(), key
    st_andrews = np.datetime64("2024-12-02")  # St Andrew's Day (Saturday 30th) observed: Scotland only
    responses = days(table, "s1_response_sent")
    assert not (responses == st_andrews).any()


def test_the_status_engine_finds_nothing_wrong_and_shows_every_rag():
    table = sample.generate_table(5000, seed=2, end=END)
    assessed = status.assess(table, Settings(), END)
    assert (assessed["problems"] == "").all(), assessed.loc[assessed["problems"] != "", "problems"].head().tolist()
    assert {"Red", "Amber", "Green", "On hold", "Withdrawn", "Closed", "Met"} <= set(assessed["rag"])
    assert "Check" not in set(assessed["rag"])


# --- who may use the statutory route ---------------------------------------------------------


def _age(table: pd.DataFrame) -> np.ndarray:
    return (days(table, "date_received") - days(table, "child_date_of_birth")).astype(float) / 365.25


def test_statutory_complainants_may_use_the_statutory_route(big):
    rows = statutory_complaints(big) & (big["representation_type"] != schema.REFUSED)
    t = big[rows]
    who, age = t["received_from"], _age(t)
    own_right = who.isin((schema.YOUNG_PERSON, "Advocate") + schema.CARERS).to_numpy()
    parent_with_pr = (who.isin(schema.PARENTS) & (t["parental_responsibility"] == schema.YES)).to_numpy()
    consenting = ((t["child_consent"] == schema.YES).to_numpy()) & (age >= 12)
    assert (own_right | parent_with_pr | consenting).all()
    assert (t.loc[who.isin(schema.PARENTS), "parental_responsibility"] == schema.YES).all()
    assert not t["service"].isin(schema.EXEMPT_SERVICES).any()


def test_corporate_complaints_are_exempt_services_or_complainants_without_standing(big):
    rows = (big["procedure"] == schema.CORPORATE) & big["representation_type"].isin(schema.COMPLAINT_TYPES)
    t = big[rows]
    exempt = t["service"].isin(schema.EXEMPT_SERVICES)
    no_standing = ~t["received_from"].isin((schema.YOUNG_PERSON, "Advocate") + schema.CARERS) & (t["parental_responsibility"] != schema.YES) & (t["child_consent"] != schema.YES)
    assert (exempt | no_standing).all()
    assert exempt.mean() == pytest.approx(0.5, abs=0.05)


def test_childrens_ages_fit_their_legal_status(big):
    age = _age(big)
    status = big["child_legal_status"].to_numpy()
    leaver = status == "Care Leaver"
    assert leaver.sum() > 50
    assert ((age[leaver] >= 18) & (age[leaver] < 22)).all()
    child = (status != "Care Leaver") & (status != "")
    assert (age[child] < 18).all() and (age[child] >= 0).all()
    young = (big["received_from"] == schema.YOUNG_PERSON).to_numpy() & ~leaver
    assert (age[young] >= 8).all()
    assert (big.loc[big["received_from"] == schema.YOUNG_PERSON, "child_name"] == big.loc[big["received_from"] == schema.YOUNG_PERSON, "complainant_first_name"] + " " + big.loc[big["received_from"] == schema.YOUNG_PERSON, "complainant_last_name"]).all()
    assert ((big["child_name"] == "") == np.isnat(days(big, "child_date_of_birth"))).all()


# --- fictitious people with hard names --------------------------------------------------------


def test_hard_names_are_there(small_records):
    names = [r[h] or "" for r in small_records for h in ("Complainant first name", "Complainant last name", "Child name", "Responding manager")]
    text = " ".join(names)
    assert "'" in text  # O'Brien, D'Souza
    assert re.search(r"[éëèáíóúâŷ]", text, re.I)  # Zoë, José, Chloé, Llŷr
    assert re.search(r"\b(Siân|Gwenllian|Rhys|Llewellyn|ap Gwilym|Dafydd)\b", text)
    assert re.search(r"\bMa?c[A-Z]", text)  # McDonald, MacLeod
    assert re.search(r"\w-\w", text)  # Smith-Jones, Mary-Jane
    addresses = [r["Address line 1"] or "" for r in small_records]
    assert any("&" in a for a in addresses)


def test_contact_details_are_fictitious(big):
    emails = big.loc[big["email"] != "", "email"]
    assert emails.str.fullmatch(r"[a-z0-9.]+@example\.(com|org)").all()
    postcodes = big.loc[big["postcode"] != "", "postcode"]
    # The real format (AA9 9AA / AA99 9AA) in areas that do not exist: no real postcode area starts with X.
    assert postcodes.str.fullmatch(r"X[A-Z]\d{1,2} \d[ABD-HJLNP-UW-Z]{2}").all()
    assert not postcodes.str.startswith("XM").any()  # XM4 is Santa's


def test_references_are_unique_and_follow_receipt(big):
    refs = big["reference"]
    assert refs.is_unique
    parts = refs.str.extract(r"^CSC-(\d{4})-(\d{4,})$")
    assert parts.notna().all().all()
    assert (parts[0].astype(int) == big["date_received"].dt.year).all()
    numbers = parts[1].astype(int)
    for _, group in numbers.groupby(parts[0]):
        assert (group.to_numpy() == np.arange(1, len(group) + 1)).all()
    assert big["date_received"].is_monotonic_increasing
    assert (big.index == np.arange(2, len(big) + 2)).all()


def test_reporting_period_starts_in_april():
    assert sample.reporting_period(dt.date(2025, 11, 21), 2) == (dt.date(2024, 4, 1), dt.date(2025, 11, 21))
    assert sample.reporting_period(dt.date(2025, 2, 1), 1) == (dt.date(2024, 4, 1), dt.date(2025, 2, 1))
    assert sample.reporting_period(dt.date(2025, 2, 1), 1, year_start_month=1) == (dt.date(2025, 1, 1), dt.date(2025, 2, 1))
    with pytest.raises(ValueError):
        sample.reporting_period(END, 0)


# --- the .xlsx and the command --------------------------------------------------------------------


def test_written_xlsx_reads_back_with_no_errors(tmp_path, small_records):
    path = sample.write_xlsx(small_records, tmp_path / "register.xlsx")
    read = read_register(path)
    assert read.sheet == "Register"
    assert read.register.problems == []
    pd.testing.assert_frame_equal(read.register.table, from_records(small_records).table)

    sheet = openpyxl.load_workbook(path)["Register"]
    assert [c.value for c in sheet[1]] == [c.header for c in schema.INPUT_COLUMNS]
    assert sheet.freeze_panes == "A2"
    received = sheet.cell(row=2, column=2)
    assert received.is_date and received.number_format == "dd/mm/yyyy"
    assert received.value.date() == small_records[0]["Date received"]


def test_write_xlsx_takes_a_table_too(tmp_path):
    table = sample.generate_table(50, seed=4, end=END)
    read = read_register(sample.write_xlsx(table, tmp_path / "t.xlsx"))
    pd.testing.assert_frame_equal(read.register.table, table)


def test_sample_command_writes_the_register_and_prints_counts_not_names(tmp_path):
    out = tmp_path / "sample.xlsx"
    result = CliRunner().invoke(main, ["sample", "--rows", "120", "--years", "1", "--seed", "5", "--end", "21/11/2025", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists()
    assert "120 representations" in result.output and "stage 2" in result.output
    records = sample.generate(120, years=1, seed=5, end=END)
    names = {r[h] for r in records for h in ("Complainant last name", "Child name", "Email", "Postcode") if r[h]}
    assert not any(name in result.output for name in names)
    read = read_register(out)
    assert read.register.problems == [] and len(read.register.table) == 120
    pd.testing.assert_frame_equal(read.register.table, sample.generate_table(120, years=1, seed=5, end=END))


def test_sample_command_refuses_bad_input_plainly(tmp_path):
    result = CliRunner().invoke(main, ["sample", "--end", "31/02/2025", "--out", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2 and "not a real date" in result.output and "Traceback" not in result.output
    result = CliRunner().invoke(main, ["sample", "--rows", "5", "--out", str(tmp_path / "missing" / "x.xlsx")])
    assert result.exit_code == 1 and "Could not write" in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
