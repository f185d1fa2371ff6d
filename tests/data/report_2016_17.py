"""The 2016/17 statutory annual report's numbers, copied from the report (seed 002).

Labels are the report's own. Where the register's lists spell a value
differently, `SCHEMA_LABELS` maps the report's label to the register's; where the
report split or merged rows the register keeps as one, `MERGED` says how.
Reporting period: 1 April 2016 to 31 March 2017.
"""

YEAR = 2016  # the reporting year 2016/17

TABLE_1A = {
    "statutory": {
        "Complaint": 31,
        "Pre-complaint (to statutory Stage 1 complaint)": 0,
        "Area initiated complaint": 1,
        "Refused": 1,
    },
    "total_statutory": 33,
    "other": {
        "Professional to Professional Complaint": 0,
        "LSCB": 1,
        "LGO": 2,
        "Case Concern": 6,
        "Miscellaneous": 1,
        "Compliment": 0,
        "Hantsdirect handoff": 0,
        "Request for info": 0,
        "Ad Hoc": 16,
    },
    "total_other": 26,
    "total": 59,
}

TABLE_1B = {
    "Court Proceedings": 0,
    "No PR": 0,
    "Not in Best Interest/Age of Child/YP": 0,
    "Out of Time": 0,
    "Outside of Remit": 1,
    "Tribunal/Court Proceedings": 0,
    "Total statutory refusals": 1,
}

# Table 2: (number, percent as printed or None)
TABLE_2 = {
    1: {"total": 33, "bands": [(10, 30), (20, 61), (3, 9)], "average": 13.4},
    2: {"total": 4, "bands": [(0, None), (1, 25)], "awaiting": (3, 75), "average": 37},
    3: {"total": 2, "bands": [(1, 50), (1, 50), (0, None)], "average": 38},
}

# Table 3a: number and the printed percentage.
TABLE_3A = {
    "E-mail": (20, 61),
    "Letter": (4, 12),
    "Complaint Form": (2, 6),
    "E-Form": (2, 6),
    "Telephone (received by Hantsdirect)": (4, 12),
    "In Person": (0, 0),
    "Via LGO": (0, 0),
    "Text Message": (0, 0),
    "YP Complaint Form": (1, 3),
    "Total": (33, 100),
}
TABLE_3B = {
    "E-mail": (6, 67),
    "Letter": (1, 11),
    "Telephone": (1, 11),
    "YP Complaint Form": (1, 11),
    "Total": (9, 100),
}

# Table 4: group -> {row: (number, percent)}, subtotals as the report prints them.
TABLE_4 = {
    "Parent/Adopter": {"Parent": (20, 61), "Adopter": (0, 0), "Ex-Partner": (0, 0), "Partner": (0, 0), "Step-Parent": (0, 0)},
    "Non-Parent Relative": {"Grandparent": (3, 9), "Sibling": (0, 0), "Other Relative": (0, 0)},
    "Foster Carer/Prospective Foster Carer": {
        "Foster Carer": (1, 3),
        "Private Foster Carer": (0, 0),
        "Prospective Adopter/Foster Carer": (0, 0),
        "Prospective Foster Carer": (0, 0),
    },
    "Service user": {"Service user (adult)": (0, 0), "Service user (young person)": (9, 27)},
    "Professional": {"Head Teacher": (0, 0), "Health Staff": (0, 0), "Other Agency": (0, 0), "Other IWC Staff": (0, 0), "Other Professionals": (0, 0)},
    "Advocate": {"Advocate": (0, 0)},
    "Miscellaneous": {"Birth Parent of Adopted Child": (0, 0), "Friend/Neighbour": (0, 0), "Other": (0, 0)},
    "Unknown": {"Unknown": (0, 0)},
}
TABLE_4_SUBTOTALS = {
    "Parent/Adopter": (20, 61),
    "Non-Parent Relative": (3, 9),
    "Foster Carer/Prospective Foster Carer": (1, 3),
    "Service user": (9, 27),
    "Professional": (0, 0),
    "Miscellaneous": (0, 0),
}
TABLE_4_TOTAL = (33, 100)

TABLE_5A = {
    "Application of Policy": 0,
    "Assessment Outcome": 0,
    "Assessment Process": 2,
    "Change of Placement Decision": 2,
    "Change to Service": 0,
    "Delay in Provision of Service": 1,
    "Finance": 0,
    "Funding": 1,
    "Non Fulfilment of Duty": 9,
    "Policy": 0,
    "Poor Communication": 2,
    "Professional Conduct": 3,
    "Quality of Service": 9,
    "Refusal of Service": 2,
    "Safeguarding": 0,
    "Other": 2,
    "Unknown": 0,
    "Total": 33,
}
TABLE_5B = {
    "Change of Placement Decision": 2,
    "Non Fulfilment of Duty": 4,
    "Professional Conduct": 2,
    "Quality of Service": 1,
    "Total": 9,
}

TABLE_6A = {
    "Adoption/Permanence": 0,
    "Care Leavers": 2,
    "Child in Need": 14,
    "Children Looked After": 7,
    "Disabled Children's Team": 6,
    "Early Help Hub": 1,
    "Family Placement": 1,
    "Hantsdirect / Out of Hours": 0,
    "Independent Reviewing Service": 0,
    "Intensive Support Service (ISS)": 0,
    "MASH/CRT": 0,
    "Occupational Therapy": 0,
    "Not receiving a service": 1,
    "Reception & Assessment": 1,
    "Safeguarding": 0,
    "Specialist Residential Provision": 0,
    "YOT": 0,
    "Other/Unknown": 0,
    "Total": 33,
}
TABLE_6B = {"Care Leavers": 1, "Child in Need": 1, "Children Looked After": 6, "Early Help Hub": 1, "Total": 9}

TABLE_7A = {
    "Agreed Service Implemented": 0,
    "Apology": 0,
    "Apology & Explanation": 1,
    "Assessment / Review / Reassessment": 0,
    "Assurance of Non-Reoccurrence": 0,
    "Change Made to Contact Arrangements": 0,
    "Change of Social Worker / Worker": 3,
    "Compensation": 0,
    "Disciplinary Action Against Staff": 0,
    "Explanation": 0,
    "Financial Reimbursement": 0,
    "Improved Practise": 0,
    "Kept Informed by CS": 0,
    "Not Known/Specified": 9,
    "Other": 2,
    "Payment": 0,
    "Policy / Procedure Review": 0,
    "Remedial Action": 0,
    "Removal of Child Protection Plan": 0,
    "Request for Meeting": 0,
    "Request Fulfilled": 18,
    "Service Delivery": 0,
    "Training for Staff": 0,
    "Total": 33,
}
TABLE_7B = {"Not Known": 1, "Not Specified": 2, "Request Fulfilled": 6, "Total": 9}

TABLE_7C = {
    "Apology": 1,
    "Apology & Explanation": 4,
    "Assessment / Reassessment": 0,
    "Assurance of Non-Reoccurrence": 0,
    "Change of Social Worker / Worker": 1,
    "Complaint Refused": 0,
    "Complaint Withdrawn": 0,
    "Explanation": 7,
    "Financial Reimbursement": 1,
    "Meeting / Offer of a meeting": 16,
    "Other": 2,
    "Request Fulfilled": 1,
    "Not recorded": 0,
    "Total": 33,
}
TABLE_7D = {
    "Apology & Explanation": 1,
    "Change of Social Worker / Worker": 1,
    "Explanation": 2,
    "Financial Reimbursement": 1,
    "Meeting / Offer of a meeting": 3,
    "Request Fulfilled": 1,
    "Total": 9,
}

TABLE_8A = {"Not Stated": 32, "No": 1, "Yes": 0, "Total": 33}
TABLE_8C = {"Not Stated": 33, "Male": 0, "Female": 0, "Male & Female": 0, "Total": 33}
TABLE_8E = {"0 - 16": 0, "16 - 19": 0, "20 - 24": 0, "25 - 59": 0, "60 - 64": 0, "65 and over": 0, "Not Stated": 33, "Total": 33}
TABLE_8G = {
    "Not Stated": 33,
    "Not Asked": 0,
    "White British": 0,
    "Other White": 0,
    "Asian/Asian British": 0,
    "Black/Black British": 0,
    "Mixed": 0,
    "Other Ethnic Group": 0,
    "Total": 33,
}
TABLE_8B = {"Unknown": 8, "No": 1, "Total": 9}
TABLE_8D = {"Not Stated": 9, "Total": 9}
TABLE_8F = {"Not Stated": 9, "Total": 9}
TABLE_8H = {"Not Stated": 9, "Total": 9}

TABLE_9A = {"Under 10yrs": 1, "11-16yrs": 5, "17-18yrs": 3, "Total": 9}
TABLE_9B = {"Child in Care": 6, "Child in Need": 2, "Care Leaver": 1, "Total": 9}

# From the text: 6 of the 9 young people's complaints with a NYAS advocate (6.1);
# learning identified in 2 of the 33 (7.1); triage took 5.1 days on average against
# a 3 working day target (4.4.11); none of the year's complaints went to the LGO,
# one from the previous year was investigated (4.10.1).
ADVOCACY = {"with": 6, "young_people": 9}
LEARNING = {"identified": 2, "of": 33}
ACKNOWLEDGEMENT = {"average": 5.1, "target": 3}
OMBUDSMAN_INVESTIGATED = 1

# The report's labels that the register spells differently.
SCHEMA_LABELS = {
    # The model council's own names, made general in the register's default lists.
    "LSCB": "Safeguarding partnership",
    "Hantsdirect handoff": "Contact centre handoff",
    "Hantsdirect / Out of Hours": "Contact centre / Out of Hours",
    "Telephone (received by Hantsdirect)": "Telephone",
    "Other IWC Staff": "Other Council Staff",
    "Improved Practise": "Improved Practice",
}
# Labels that differ in one table only.
TABLE_LABELS = {
    "8b": {"Unknown": "Not Stated"},  # the register's disability list says 'Not Stated'
    "9a": {"11-16yrs": "10-16yrs"},  # the report's bands leave age 10 out
}
# Table 7b's 'Not Known' and 'Not Specified' are one value in the register.
MERGED = {"7b": {"Not Known/Specified": ("Not Known", "Not Specified")}}
