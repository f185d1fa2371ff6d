"""The shipped letter templates, written as data and built into Word files.

The .docx files in `letter_templates/` are what officers edit and what letters
are rendered from; this module is how the shipped set is made, so that the
wording can be reviewed in one place and the files rebuilt after a change. It
never overwrites a template that exists unless asked to (`force`), because an
officer may have edited it in Word.

Body mark-up: a string is a paragraph (**bold**, [[yellow text for the officer
to replace]]); ("h", text) a heading; ("ul", [...]) bullets; ("if", cond),
("elif", cond), ("else",), ("end",) docxtpl paragraph conditions; ("dates",
[(label, value)]) a key-dates box; ("table", headers, rows) a table;
("ombudsman",) the Ombudsman's contact details; ("slip", [...]) a tear-off slip.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt, RGBColor

from .letters import TEMPLATES_FOLDER

ACCENT = RGBColor(0x1F, 0x4E, 0x79)
GREY = RGBColor(0x59, 0x59, 0x59)
FONT = "Arial"


@dataclass(frozen=True)
class Spec:
    stem: str  # the file name without .docx
    subject: str
    body: tuple
    young_person: bool = False
    slip: tuple = field(default=())


# --- shared passages ---------------------------------------------------------------

CONTACT = "If you have any questions, please contact the {{ team_name }} on {{ phone }} or at {{ email }}, quoting reference {{ reference }}."
YP_CONTACT = (
    ("h", "Any questions?"),
    "Call us on {{ phone }} or email {{ email }}. Our reference for your complaint is {{ reference }}: it helps if you tell us this when you get in touch.",
)
WITHDRAW = (
    ("h", "If you want to withdraw your complaint"),
    "You can withdraw your complaint at any time, by telephone, email or letter. If you do, we will write to you to confirm that it has been closed.",
)
YP_ADVOCATE = (
    ("if", "has_advocate"),
    ("h", "Your advocate"),
    "Your advocate can help you with anything in this letter. They can also tell us what you think, if you would rather they did.",
    ("else",),
    ("h", "Someone on your side"),
    "You can have an advocate. An advocate is someone who does not work for us, who is on your side and can help you say what you want to say. It is free. You can contact {{ advocacy_service }}, or ask us and we will put you in touch.",
    ("end",),
)
YP_CHANGE_MIND = (
    ("h", "If you change your mind"),
    "You can stop your complaint at any time. Just tell us, or ask {{ an_advocate }}, your social worker or someone you trust to tell us. You will never get into trouble for complaining, or for stopping.",
)
CHILD_ADVOCACY = (
    ("if", "about_a_child and child_can_take_part"),
    "If {{ the_child }} would like to make a complaint of their own, they can, with free help from an independent advocate if they wish: {{ advocacy_service }}.",
    ("end",),
)
OMBUDSMAN = ("ombudsman",)
POINTS_TABLE = (
    "table",
    ("What you told us", "What I found", "Outcome"),
    (
        ("[[Concern 1, as the complainant put it]]", "[[What the records and staff show, and your conclusion]]", "[[Upheld / Partially upheld / Not upheld]]"),
        ("[[Concern 2]]", "[[What you found]]", "[[Outcome]]"),
        ("[[Concern 3: add or delete rows as needed]]", "[[What you found]]", "[[Outcome]]"),
    ),
)
WE_POINTS_TABLE = ("table", ("What you told us", "What we found", "Outcome"), POINTS_TABLE[2])
YP_POINTS_TABLE = (
    "table",
    ("What you told us", "What I found"),
    (("[[The first thing they were unhappy about, in their words]]", "[[What you found, in plain words]]"),
     ("[[The next thing]]", "[[What you found]]")),
)


# --- the statutory letters ---------------------------------------------------------

ACKNOWLEDGEMENT = Spec(
    "Acknowledgement",
    "Your complaint: reference {{ reference }}",
    (
        "Thank you for contacting us. I am writing to confirm that we received your complaint on {{ date_received }}. I am sorry that you have needed to complain, and I want to assure you that we will look into it carefully.",
        "We are dealing with your complaint under stage 1 of the children's social care complaints procedure, which is set out in the Children Act 1989 and its regulations.",
        ("dates", (("Your reference", "{{ reference }}"), ("Complaint received", "{{ date_received }}"), ("Our response is due by", "{{ stage1_due_date }}"))),
        ("h", "Who will respond, and by when"),
        "Your complaint has been passed to {{ responding_manager_and_job_title }}, who will look into the points you have raised and write to you with a full response by **{{ stage1_due_date }}**. They may contact you first to talk through your concerns and what you would like to happen, as this often helps to resolve things more quickly.",
        "{% if already_extended %}The regulations give us {{ stage1_days }} working days to respond, or up to {{ stage1_extended_days }} working days in all when a complaint is complex. Because [[say why the complaint is complex: for example, the number of points raised]], we have set the longer timescale from the start.{% else %}The regulations give us {{ stage1_days }} working days to respond. If your complaint is complex, we may need longer, up to {{ stage1_extended_days }} working days in all. If that happens, we will write to you to explain why and to give you a new date.{% endif %}",
        ("if", "needs_consent"),
        "Because you have made this complaint on behalf of {{ the_child }}, we need to check that they are happy for you to do so, and for us to share our response with you. {% if consent_via_social_worker %}Their social worker will ask them for us.{% elif consent_to_child %}We are writing to them separately to ask.{% else %}We will write to you separately, with a slip for them to sign.{% endif %}",
        ("end",),
        ("if", "child_can_take_part"),
        ("h", "Independent help for children and young people"),
        "Children and young people can have free, independent help from an advocate to make their views known, or to make a complaint of their own. If {{ the_child }} would like this support, please let us know, or contact {{ advocacy_service }}.",
        ("end",),
        *WITHDRAW,
        ("h", "Your information"),
        "We will use the information you have given us only to deal with your complaint, and we will share it only with the people who need it to respond to you.",
        CONTACT,
    ),
)

ACKNOWLEDGEMENT_YP = Spec(
    "Acknowledgement - young person",
    "We have got your complaint",
    (
        "Thank you for getting in touch with us. We got your complaint on {{ date_received }}. We are sorry you are unhappy, and we are taking what you have told us seriously.",
        ("h", "What happens now?"),
        "The person looking into your complaint is {{ responding_manager_and_job_title }}. They might want to talk to you or meet you, to make sure they understand what has gone wrong and what you would like to happen.",
        "They will write back to you by **{{ stage1_due_date }}**.",
        "{% if already_extended %}Your complaint has a lot in it, so we have given them a bit longer than usual to get it right.{% else %}If they need more time, we will let you know why, and tell you the new date.{% endif %}",
        *YP_ADVOCATE,
        *YP_CHANGE_MIND,
        *YP_CONTACT,
    ),
    young_person=True,
)

CONSENT_SLIP = (
    "Reference: {{ reference }}.  Please send this back by {{ consent_reply_by }}.",
    "\u2610  Yes: I am happy for {{ complainant_name }} to make this complaint for me, and for the council to talk to them about me and tell them what it finds.",
    "\u2610  No: I do not want {{ complainant_name }} to make this complaint for me.",
    "\u2610  I would like to talk to an advocate.",
    "Your name: ______________________________________________",
    "Signed: ____________________________     Date: ________________",
)

CONSENT_REQUEST = Spec(
    "Consent request",
    "A complaint made for you: can we go ahead?",
    (
        "{{ complainant_name }} got in touch with us on {{ date_received }} to make a complaint for you. They have told us they are unhappy about [[what the complaint is about, in a sentence or two of plain words]].",
        "Because the complaint is about you, we want to know what you think before we go any further.",
        ("h", "What we are asking you"),
        "Are you happy:",
        ("ul", (
            "for {{ complainant_name }} to make this complaint for you; and",
            "for us to talk to {{ complainant_name }} about you, and to tell them what we find out, which may include things from your records?",
        )),
        ("h", "What you can do"),
        ("ul", (
            "**Say yes.** {{ complainant_name }} can carry on with the complaint for you, and we will share our reply with them.",
            "**Say no.** We will not share information about you with {{ complainant_name }}.",
            "**Make your own complaint.** You can tell us yourself, in your own words, what you are unhappy about.",
        )),
        "Whatever you decide, you will not get into trouble, and it will not change the help you get from us.",
        ("h", "Please tell us by {{ consent_reply_by }}"),
        "Fill in the slip at the end of this letter and send it back to us, or call us on {{ phone }} or email {{ email }}{% if consent_via_social_worker %}, or tell your social worker, who gave you this letter{% endif %}. Our reference is {{ reference }}. If we have not heard from you by **{{ consent_reply_by }}**, {% if consent_via_social_worker %}your social worker will talk to you about it again{% else %}we will get in touch with you again{% endif %}.",
        *YP_ADVOCATE,
    ),
    young_person=True,
    slip=CONSENT_SLIP,
)

CONSENT_REQUEST_VIA_COMPLAINANT = Spec(
    "Consent request - via the complainant",
    "Your complaint for {{ child_first_name }}: their agreement (reference {{ reference }})",
    (
        "Thank you for your complaint, which we received on {{ date_received }}, about [[what the complaint is about, in a sentence]].",
        "Because you have made the complaint on behalf of {{ child_first_name }}, we need to know that {{ child_first_name }} is happy for you to do so, and for us to talk to you about them and share what we find, which may include information from their records.",
        ("h", "What we are asking you to do"),
        "Please show this letter to {{ child_first_name }}, and ask them to read the slip at the end, fill it in themselves and send it back to us by **{{ consent_reply_by }}**. {{ child_first_name }} can also tell us directly, by calling {{ phone }} or emailing {{ email }}, quoting reference {{ reference }}.",
        "{{ child_first_name }} does not have to agree. They can also make a complaint of their own, with free help from an independent advocate: {{ advocacy_service }}.",
        "Until we have their reply, we cannot go further with the complaint or share information about {{ child_first_name }} with you. If we have not heard by {{ consent_reply_by }}, we will [[say what you will do: for example, ask their social worker to talk to them]].",
    ),
    slip=CONSENT_SLIP,
)

PASSED = "{% if original_date_passed %} That date has now passed, and I am sorry that we did not write to you before it.{% endif %}"
WHY_MORE_TIME = "[[explain why more time is needed: for example, the number of issues raised, the staff who must be spoken to or the records to be checked]]"

EXTENSION = Spec(
    "Extension",
    "Your complaint: more time needed (reference {{ reference }})",
    (
        ("if", "extension_stage == 1"),
        "I am writing about your complaint, which we received on {{ date_received }}. We told you that you would receive our response by {{ original_due_date }}." + PASSED,
        "The manager looking into your complaint is {{ responding_manager_and_job_title }}. They need more time to respond to it properly, because " + WHY_MORE_TIME + ".",
        "The regulations allow us up to {{ stage1_extended_days }} working days in all for a stage 1 response when a complaint is complex. We now expect to send you our response by **{{ new_due_date }}**.",
        "I am sorry for the delay. If you have not received our response by then, you can ask for your complaint to be considered at stage 2 of the procedure.",
        ("else",),
        "I am writing about the stage 2 investigation of your complaint. We told you that the investigation would be completed by {{ original_due_date }}." + PASSED,
        "{{ investigating_officer }}, the investigating officer, needs more time to complete the investigation thoroughly, because " + WHY_MORE_TIME + ".",
        "The regulations allow a stage 2 investigation to take up to {{ stage2_extended_days }} working days when it is complex. We now expect to send you the investigation report and the council's response by **{{ new_due_date }}**.",
        "I am sorry for the delay. The investigating officer will keep you informed of progress.",
        ("end",),
        ("dates", (("Your reference", "{{ reference }}"), ("Date we gave before", "{{ original_due_date }}"), ("New date", "{{ new_due_date }}"))),
        CONTACT,
    ),
)

EXTENSION_YP = Spec(
    "Extension - young person",
    "We need a bit more time",
    (
        ("if", "extension_stage == 1"),
        "{{ responding_manager }} is still looking into your complaint. They want to get it right, so they need a bit more time. [[Say why, in plain words.]]",
        ("else",),
        "{{ investigating_officer }} is still looking into your complaint at stage 2. They want to make sure they look at everything properly, so they need more time. [[Say why, in plain words.]]",
        ("end",),
        "We said we would write to you by {{ original_due_date }}.{% if original_date_passed %} That day has gone, and we are sorry we did not tell you sooner.{% endif %} We will now write to you by **{{ new_due_date }}**.",
        "We are sorry you have to wait longer. If you have any questions, or you are worried about anything, please get in touch.",
        *YP_ADVOCATE,
        *YP_CONTACT,
    ),
    young_person=True,
)

STAGE_1_RESPONSE = Spec(
    "Stage 1 response",
    "Response to your complaint: reference {{ reference }}",
    (
        "Thank you for your complaint, which we received on {{ date_received }}. I am sorry that you have had cause to complain. I have now looked into the concerns you raised, and this letter is my response at stage 1 of the children's social care complaints procedure.",
        "To look into your complaint, I [[say what you did: for example, read the case records, spoke to the social worker and team manager, and met you on (date)]].",
        ("h", "Your concerns and what I found"),
        POINTS_TABLE,
        "Overall, I have **{{ stage1_decision }}** your complaint.",
        ("if", "stage1_upheld"),
        "I am sorry for the shortcomings I have found, and for the difference they have made to you.",
        ("end",),
        ("h", "What will happen now"),
        "[[Set out each action we will take, who will take it and by when, including any apology, any change to the service and anything we have learned.]]",
        ("h", "If you are not satisfied"),
        "If you are not satisfied with this response, you can ask for your complaint to be considered at stage 2 of the procedure. At stage 2, an investigating officer and an independent person, neither of whom has been involved in your case, will look into your complaint.",
        "To do this, please contact the {{ team_name }} by **{{ stage2_request_by }}**, which is {{ stage2_request_period }} from the date of this letter. You can telephone {{ phone }}, email {{ email }} or write to the address at the top of this letter. Please tell us which points you remain unhappy about, and why.",
        ("if", "about_a_child and child_can_take_part"),
        "An independent advocate can help {{ the_child }} to have their say at any stage: {{ advocacy_service }}.",
        ("end",),
        "Thank you for taking the time to raise your concerns with us.",
    ),
)

# The outcome and what happens next, in a young person's stage 1 reply (statutory and corporate alike).
YP_STAGE_1_OUTCOME = (
    "Overall, I have **{{ stage1_decision }}** your complaint.",
    ("if", "stage1_upheld"),
    "This means I agree that some or all of what you told us should have been done better. I am sorry.",
    ("else",),
    "This means I have not found that we did something wrong, but I am glad you told us how you feel.",
    ("end",),
    ("h", "What will happen now"),
    "[[Say what will change, who will do it and when.]]",
)

STAGE_1_RESPONSE_YP = Spec(
    "Stage 1 response - young person",
    "Our reply to your complaint",
    (
        "Thank you for telling us what you were unhappy about. I have now looked into your complaint, and this letter tells you what I found.",
        "[[Say how you looked into it, for example: I read your records and talked to your social worker.]]",
        ("h", "What you told us and what I found"),
        YP_POINTS_TABLE,
        *YP_STAGE_1_OUTCOME,
        ("h", "If you are still not happy"),
        "You can ask for other people to look at your complaint again. This is called stage 2. Just tell us by **{{ stage2_request_by }}**. You can phone, email or write to us, or ask {{ an_advocate }} or your social worker to tell us for you.",
        *YP_ADVOCATE,
        *YP_CONTACT,
    ),
    young_person=True,
)

STAGE_2_ACKNOWLEDGEMENT = Spec(
    "Stage 2 acknowledgement",
    "Your complaint at stage 2: reference {{ reference }}",
    (
        "Thank you for your request, which we received on {{ stage2_requested }}, for your complaint to be considered at stage 2 of the children's social care complaints procedure. I am writing to confirm that we have accepted it.",
        ("h", "Who will look into your complaint"),
        "At stage 2 your complaint will be looked into by two people who have not been involved in it before:",
        ("ul", (
            "**{{ investigating_officer }}**, the investigating officer, who will investigate your complaint and write a report of their findings; and",
            "**{{ independent_person }}**, the independent person, who does not work for the council and whose role is to make sure that the investigation is open, thorough and fair.",
        )),
        ("h", "Agreeing what will be investigated"),
        "{{ investigating_officer }} will contact you shortly to arrange to meet you. At the meeting you will agree a written statement of your complaint: the points to be investigated and the outcomes you are seeking. You are welcome to bring someone with you for support.",
        ("if", "about_a_child and child_can_take_part"),
        "{{ The_child }} can be supported by an independent advocate throughout: {{ advocacy_service }}.",
        ("end",),
        ("h", "When you will hear from us"),
        ("if", "stage2_clock_from_statement"),
        "The investigation and the council's response should be completed within {{ stage2_days }} working days of the statement of complaint being agreed. Until it is agreed we are working to **{{ stage2_due_date }}**, and we will confirm the date once the statement is agreed.",
        ("else",),
        "The regulations give us {{ stage2_days }} working days to complete the investigation and send you the council's response, so you should hear from us by **{{ stage2_due_date }}**. If the investigation is complex it can take longer, up to {{ stage2_extended_days }} working days; if so, we will explain why and tell you the new date.",
        ("end",),
        "When the investigation is finished, a senior manager, the adjudicating officer, will consider the reports and write to you with the council's response to each finding, enclosing both reports.",
        ("dates", (("Your reference", "{{ reference }}"), ("Stage 2 request received", "{{ stage2_requested }}"), ("Our response is due by", "{{ stage2_due_date }}"))),
        *WITHDRAW,
        CONTACT,
    ),
)

STAGE_2_ACKNOWLEDGEMENT_YP = Spec(
    "Stage 2 acknowledgement - young person",
    "Your complaint is going to stage 2",
    (
        "Thank you for letting us know on {{ stage2_requested }} that you are still unhappy. We have agreed that your complaint will now go to stage 2.",
        ("h", "Who will look at your complaint"),
        ("ul", (
            "**{{ investigating_officer }}** will find out what happened. They have not been involved in your complaint before.",
            "**{{ independent_person }}** does not work for the council. Their job is to make sure the investigation is fair and that you are listened to.",
        )),
        ("h", "Meeting you"),
        "{{ investigating_officer }} will get in touch to arrange to meet you. Together you will write down exactly what your complaint is about, and what you would like to happen. You can bring {{ an_advocate }} or someone you trust with you.",
        ("h", "When you will hear from us"),
        "We will write to you to tell you what they found by **{{ stage2_due_date }}**. If they need more time, we will tell you why.",
        *YP_ADVOCATE,
        *YP_CHANGE_MIND,
        *YP_CONTACT,
    ),
    young_person=True,
)

STAGE_2_ADJUDICATION = Spec(
    "Stage 2 adjudication",
    "The outcome of the stage 2 investigation: reference {{ reference }}",
    (
        "The stage 2 investigation of your complaint is now complete, and I enclose:",
        ("ul", (
            "the investigating officer's report, written by {{ investigating_officer }};",
            "the independent person's report, written by {{ independent_person }}; and",
            "the adjudication letter, in which a senior manager sets out the council's response to each of the findings and recommendations, and what we will do about them.",
        )),
        "Overall, the council has **{{ stage2_decision }}** your complaint. The reports contain personal information, so please keep them safe.",
        ("h", "If you are not satisfied: asking for a review panel"),
        "If you are not satisfied with the outcome, you can ask for your complaint to be considered by a review panel at stage 3. The panel is made up of three people who are independent of the council. It does not investigate your complaint again: it looks at whether the stage 2 investigation was thorough and fair, and whether its conclusions and the council's response were reasonable.",
        "To ask for a review panel, please write to the {{ team_name }}, by email (the address is given below) or by post to the address at the top of this letter, by **{{ stage3_request_by }}**, which is {{ stage3_request_period }} from the date of this letter. Please tell us why you remain unhappy and what you hope the panel will achieve.",
        "We would also be happy to meet you, to see whether your remaining concerns can be resolved without a panel.",
        ("if", "about_a_child and child_can_take_part"),
        "An independent advocate can {% if has_advocate %}continue to {% endif %}support {{ the_child }}: {{ advocacy_service }}.",
        ("end",),
        CONTACT,
    ),
)

STAGE_2_ADJUDICATION_YP = Spec(
    "Stage 2 adjudication - young person",
    "What we found at stage 2",
    (
        "The stage 2 investigation of your complaint has finished. With this letter you will find:",
        ("ul", (
            "the report by {{ investigating_officer }}, who looked into your complaint;",
            "the report by {{ independent_person }}, who made sure it was done fairly; and",
            "a letter from a senior manager saying what the council is going to do.",
        )),
        "Overall, we have **{{ stage2_decision }}** your complaint.",
        "If anything in the reports is hard to understand, we can go through them with you{% if has_advocate %}, or your advocate can help{% endif %}.",
        ("h", "If you are still not happy"),
        "You can ask for a review panel. This is a meeting with three people who do not work for the council. They will check whether your complaint was looked into properly and fairly.",
        "If you want a panel, tell us by **{{ stage3_request_by }}**. You can phone, email or write to us, or ask {{ an_advocate }} to tell us.",
        *YP_ADVOCATE,
        *YP_CONTACT,
    ),
    young_person=True,
)

STAGE_3_PANEL = Spec(
    "Stage 3 panel arrangements",
    "Your review panel: reference {{ reference }}",
    (
        "Thank you for your request, which we received on {{ stage3_requested }}, for your complaint to be considered by a review panel at stage 3 of the children's social care complaints procedure. I am writing to let you know the arrangements.",
        ("dates", (("Panel meeting", "{{ panel_date }}"), ("Time and place", "[[Time, and the address of the venue]]"), ("Papers sent to you by", "{{ papers_by }}"))),
        ("h", "The panel"),
        ("if", "panel_late"),
        "The regulations say that a panel should meet within {{ panel_days }} working days of the request, that is by {{ panel_due_date }}. I am sorry that yours will meet later than that: [[explain why, for example the dates you and the panel members could attend]].",
        ("end",),
        "The panel will meet on **{{ panel_date }}**. It has three members, all of them independent of the council: [[names of the chair and the two panel members]]. The investigating officer, the independent person and the adjudicating officer will also attend, to answer the panel's questions.",
        "The panel will not investigate your complaint again. It will consider whether the stage 2 investigation was thorough and fair, and whether the council's response to it was reasonable.",
        ("h", "The papers"),
        "We will send you the papers for the panel, which the panel members will also have, by **{{ papers_by }}**, at least 10 working days before the panel meets. If there is anything else you would like the panel to see, please send it to us as soon as you can so that it can go out with the papers.",
        ("h", "At the panel"),
        "You are welcome to attend and to tell the panel, in your own words, why you remain unhappy. You may bring someone with you for support, or an advocate may attend with you or on your behalf. If you would rather not attend, you can send the panel your views in writing. The panel is not a court, and there is no need to bring a lawyer.",
        ("if", "about_a_child and child_can_take_part"),
        "{{ The_child }} can also attend, with the support of an advocate if they wish: {{ advocacy_service }}.",
        ("end",),
        "Please let us know by {{ papers_by }} whether you will attend, and whether you need anything to help you take part, such as an interpreter or step-free access.",
        ("h", "After the panel"),
        "The panel chair will send you the panel's report within {{ panel_report_days }} working days of the meeting. The council will then write to you with its response within {{ stage3_days }} working days of receiving the report.",
        CONTACT,
    ),
)

STAGE_3_PANEL_YP = Spec(
    "Stage 3 panel arrangements - young person",
    "Your review panel",
    (
        "Thank you for asking for a review panel on {{ stage3_requested }}. We have arranged it for you.",
        ("dates", (("Panel meeting", "{{ panel_date }}"), ("Time and place", "[[Time and place]]"), ("Papers sent to you by", "{{ papers_by }}"))),
        ("if", "panel_late"),
        "The panel should have met within {{ panel_days }} working days of you asking, by {{ panel_due_date }}. We are sorry it is later than that. [[Say why, in plain words.]]",
        ("end",),
        ("h", "What is a review panel?"),
        "It is a meeting with three people who do not work for the council. They will check whether your complaint was looked into properly at stage 2, and whether the council should do anything else.",
        ("h", "Before the meeting"),
        "We will send you the papers for the meeting by **{{ papers_by }}**. The panel will read them too.",
        ("h", "At the meeting"),
        "You can come to the meeting and tell the panel what you think. You can bring {{ an_advocate }} or someone you trust. If you would rather not come, {{ an_advocate }} can go for you, or you can write down what you want the panel to know.",
        "Please tell us by {{ papers_by }} whether you will come, and if you need anything to help you take part.",
        ("h", "After the meeting"),
        "The panel will write to you within {{ panel_report_days }} working days to tell you what they think. The council will then write to you within {{ stage3_days }} working days of getting the panel's report.",
        *YP_ADVOCATE,
        *YP_CONTACT,
    ),
    young_person=True,
)

STAGE_3_RESPONSE = Spec(
    "Stage 3 final response",
    "The council's response to the review panel: reference {{ reference }}",
    (
        "The review panel met on {{ panel_date }} to consider your complaint, and I received the panel's report and recommendations on {{ panel_report_received }}. Thank you for taking part in the review. I have now considered the panel's report carefully, and I am writing to tell you what the council will do.",
        ("h", "The panel's recommendations and our response"),
        ("table", ("The panel's recommendation", "Our response", "What we will do, and by when"), (
            ("[[Recommendation 1]]", "[[Accepted / Not accepted, and why]]", "[[Action, who and by when]]"),
            ("[[Recommendation 2: add or delete rows as needed]]", "[[Response]]", "[[Action]]"),
        )),
        "[[Add anything further the council wants to say, including any apology.]]",
        ("h", "This is our final response"),
        "This letter is the council's final response to your complaint, and the end of the children's social care complaints procedure.",
        ("h", "The Local Government and Social Care Ombudsman"),
        "If you remain unhappy, you can ask the Local Government and Social Care Ombudsman to look into your complaint. The Ombudsman is independent of the council, and its service is free. You should normally contact the Ombudsman within {{ ombudsman_period }} of this letter, that is by **{{ ombudsman_by }}**.",
        OMBUDSMAN,
        CONTACT,
    ),
)

STAGE_3_RESPONSE_YP = Spec(
    "Stage 3 final response - young person",
    "What the council will do after your review panel",
    (
        "The review panel met on {{ panel_date }}. We have read what they said, and this letter tells you what the council is going to do.",
        ("table", ("What the panel said", "What we will do"), (
            ("[[The panel's first recommendation, in plain words]]", "[[What will happen, who will do it and when]]"),
            ("[[The next recommendation]]", "[[What will happen]]"),
        )),
        "This is the last stage of our complaints process.",
        ("h", "If you are still not happy"),
        "You can ask the Local Government and Social Care Ombudsman to look at your complaint. They do not work for the council, and it is free. You should contact them by **{{ ombudsman_by }}**.{% if has_advocate %} Your advocate can help you.{% endif %}",
        OMBUDSMAN,
        *YP_CONTACT,
    ),
    young_person=True,
)

WITHDRAWAL = Spec(
    "Withdrawal confirmation",
    "Your complaint has been withdrawn: reference {{ reference }}",
    (
        "Thank you for letting us know on {{ withdrawn_date }} that you would like to withdraw your complaint, which we received on {{ date_received }}. I confirm that your complaint has been withdrawn and that we have closed our file.",
        "If we have misunderstood, or you change your mind, please contact us as soon as possible. We can usually reopen a complaint, or consider a new one, if you contact us within {{ time_limit }} of the events it is about.",
        *CHILD_ADVOCACY,
        CONTACT,
    ),
)

WITHDRAWAL_YP = Spec(
    "Withdrawal confirmation - young person",
    "You have stopped your complaint",
    (
        "Thank you for letting us know on {{ withdrawn_date }} that you want to stop your complaint. We have now closed it.",
        "If you change your mind, or you want to complain about something else, just get in touch. You will never get into trouble for complaining.",
        *YP_ADVOCATE,
        *YP_CONTACT,
    ),
    young_person=True,
)

REFUSAL = Spec(
    "Refusal",
    "Your complaint: reference {{ reference }}",
    (
        "Thank you for contacting us on {{ date_received }}. I have considered carefully what you have told us, and I am sorry to tell you that we are not able to look into it under {{ procedure_name }}, for the reason explained below.",
        ("h", "Why we cannot consider your complaint"),
        ("if", "refused_out_of_time"),
        "Your complaint is about events that happened more than {{ time_limit }} before you contacted us. Complaints need to be made within {{ time_limit }}, so that they can be looked into fairly while records are available and people can remember what happened.",
        "We can accept a complaint made later if there was a good reason why it could not be made sooner, and it is still possible to look into it properly. If there was such a reason, please tell us and we will look at our decision again.",
        ("elif", "refused_outside_remit"),
        "The matters you have raised are not ones that {{ procedure_name }} can consider. [[Explain why, for example: the decision was made by a court, or the matter is the responsibility of a school, the NHS or the police; and say who can help.]]",
        ("elif", "refused_no_parental_responsibility"),
        "Under section 26(3) of the Children Act 1989, we can consider a complaint about a child's care from the child, from a parent or anyone else with parental responsibility for them, from a local authority foster carer, or from anyone else we consider has a sufficient interest in the child's welfare. Someone who complains for a child who is old enough to decide also needs the child's agreement.",
        "Our records show that you do not hold parental responsibility for {{ the_child }}{% if child_can_take_part %}, and we have not received their agreement to you making a complaint for them{% endif %}. We have also considered whether you have a sufficient interest in the welfare of {{ the_child }}, and we have decided that you do not, because [[explain why, with care]]. This means we cannot consider your complaint under this procedure, or share information about {{ the_child }} with you.",
        "{% if child_can_take_part %}If {{ the_child }} agrees to you making the complaint, or if{% else %}If{% endif %} your complaint is about how we have treated you yourself, please contact us: we may be able to consider it{% if statutory %}, under our corporate complaints procedure if necessary{% endif %}.",
        ("elif", "refused_court_proceedings"),
        "The matters you have raised are being considered in court or tribunal proceedings. We cannot look into a complaint about the same issues while the proceedings are under way, because our investigation could affect them. Once the proceedings have finished, please contact us if any of your concerns have not been resolved, and we will consider your complaint then.",
        ("elif", "refused_best_interests"),
        "We have thought carefully about whether looking into this complaint would be in the best interests of {{ the_child }}, and we have decided that it would not be. [[Explain the reasons with care, including the child's age and understanding where relevant.]]",
        ("end",),
        ("h", "If you disagree with our decision"),
        "If you disagree, please tell us why and we will look at our decision again. You can also ask the Local Government and Social Care Ombudsman to look at it. The Ombudsman is independent, and its service is free.",
        OMBUDSMAN,
        *CHILD_ADVOCACY,
        CONTACT,
    ),
)

REFUSAL_YP = Spec(
    "Refusal - young person",
    "About your complaint",
    (
        "Thank you for getting in touch with us on {{ date_received }}. We have thought carefully about what you told us. We are sorry, but we cannot look into it as a complaint, and this letter explains why.",
        ("if", "refused_out_of_time"),
        "What you told us about happened more than {{ time_limit }} before you got in touch. We can still look into it if there was a reason you could not tell us sooner, and it is still possible to find out what happened. If there was a reason, please tell us: we will think about it again.",
        ("elif", "refused_court_proceedings"),
        "A court is already looking at the same things. We cannot look into them at the same time, because that might get in the way of what the court is doing. When the court has finished, you can get in touch with us again if you are still unhappy.",
        ("elif", "refused_outside_remit"),
        "What you told us about is not something our complaints process can look into. [[Explain why in plain words, and who can help instead.]]",
        ("else",),
        "[[Explain the reason for the decision in plain words.]]",
        ("end",),
        ("h", "If you think we have got this wrong"),
        "Tell us, and we will look at it again. You can also ask the Local Government and Social Care Ombudsman to look at our decision. They do not work for the council, and it is free.",
        OMBUDSMAN,
        *YP_ADVOCATE,
        *YP_CONTACT,
    ),
    young_person=True,
)

CASE_CONCERN = Spec(
    "Case concern acknowledgement",
    "Your concern: reference {{ reference }}",
    (
        "Thank you for contacting us on {{ date_received }}. We have recorded what you told us as a concern, and we want to try to put things right quickly.",
        ("if", "responding_manager"),
        "We have passed your concern to {{ responding_manager_and_job_title }}, who will contact you within {{ concern_contact_days }} working days, by **{{ concern_contact_by }}**, to talk it through and agree what can be done.",
        ("else",),
        "We have passed your concern to the manager of the team involved, who will contact you within {{ concern_contact_days }} working days, by **{{ concern_contact_by }}**, to talk it through and agree what can be done.",
        ("end",),
        "Many concerns can be resolved in this way, without the need for a formal complaint. If you are not happy with how your concern is dealt with, you can ask for it to be treated as a formal complaint at any time: just let us know, quoting reference {{ reference }}.",
        ("h", "If you are worried about a child's safety"),
        "If you think a child is at risk of harm, please do not wait: call {{ department }} straight away on {{ front_door_phone }}, or on {{ out_of_hours_phone }} in the evening, at weekends and on bank holidays. In an emergency, call the police on 999.",
        CONTACT,
    ),
)

CLOSURE = Spec(
    "Closure after no reply",
    "Closing your complaint: reference {{ reference }}",
    (
        "I am writing about your complaint, which we received on {{ date_received }}.",
        ("if", "waiting_for_reply and awaiting_consent"),
        "To go ahead with your complaint, we needed the agreement of {{ the_child }}, and we asked for it on {{ hold_from }}. We have not had a reply since then.",
        ("elif", "waiting_for_reply"),
        "We wrote to you on {{ hold_from }} to ask [[what we asked you]], and we have not heard from you since then.",
        ("else",),
        "We have tried to contact you about your complaint, [[say when and how: for example, by letter on 3 March and by telephone on 10 March]], but we have not heard back from you.",
        ("end",),
        "As we have not been able to take your complaint forward, we have now closed it.",
        "This does not stop you raising your concerns again. If you would still like us to look into them, please contact us and we will be glad to help. We can usually consider a complaint made within {{ time_limit }} of the events it is about.",
        *CHILD_ADVOCACY,
        CONTACT,
    ),
)

CLOSURE_YP = Spec(
    "Closure after no reply - young person",
    "We have closed your complaint for now",
    (
        "You told us on {{ date_received }} that you were unhappy, and we have been trying to get in touch with you about it. We have not heard back from you, so we have closed your complaint for now.",
        "That is fine. If you still want us to look into it, or there is something else you are unhappy about, just get in touch at any time. You will never get into trouble for complaining.",
        *YP_ADVOCATE,
        *YP_CONTACT,
    ),
    young_person=True,
)

# --- the corporate letters ----------------------------------------------------------

CORPORATE_NEXT = (
    ("if", "can_ask_for_stage_3"),
    "If you are still not satisfied after stage 2, you can ask for a final review of your complaint at stage 3. Once our procedure has finished, you can ask the Local Government and Social Care Ombudsman to look at your complaint.",
    ("else",),
    "Stage 2 is the final stage of our complaints procedure. If you are still not satisfied after our stage 2 response, you can ask the Local Government and Social Care Ombudsman to look into your complaint; our response will tell you how.",
    ("end",),
)

ACKNOWLEDGEMENT_CORPORATE = Spec(
    "Acknowledgement - corporate",
    "Your complaint: reference {{ reference }}",
    (
        "Thank you for contacting us. I am writing to confirm that we received your complaint on {{ date_received }}. I am sorry that you have needed to complain, and I want to assure you that we will look into it carefully.",
        "We are dealing with your complaint under stage 1 of the council's corporate complaints procedure.",
        ("if", "complaint_handling_code"),
        "Our procedure follows the Complaint Handling Code published by the Local Government and Social Care Ombudsman.",
        ("end",),
        ("dates", (("Your reference", "{{ reference }}"), ("Complaint received", "{{ date_received }}"), ("Our response is due by", "{{ stage1_due_date }}"))),
        ("h", "Who will respond, and by when"),
        "Your complaint has been passed to {{ responding_manager_and_job_title }}, who will look into it and send you a written response by **{{ stage1_due_date }}**. They may contact you first, to make sure they understand your concerns and what you would like to happen.",
        ("if", "already_extended"),
        "We have allowed extra time to respond from the start{% if complaint_handling_code %}, as the Complaint Handling Code permits{% endif %}, because [[explain why more time is needed: for example, the number of issues raised or the records to be checked]].",
        "If you are unhappy about this, you can contact the Local Government and Social Care Ombudsman, who can consider whether the time we are taking is reasonable.",
        OMBUDSMAN,
        ("elif", "stage1_extra_days"),
        "If we need more time to respond properly, we will write to you to explain why and give you a new date, which will be no more than {{ stage1_extra_days }} working days later.",
        ("end",),
        ("h", "If you are not satisfied with our response"),
        "If you are not satisfied with our stage 1 response, you can ask for your complaint to be looked at again at stage 2, by a more senior manager; our response will explain how. If you are still unhappy once our complaints procedure has finished, you can ask the Local Government and Social Care Ombudsman to consider your complaint.",
        ("if", "about_a_child and child_can_take_part"),
        ("h", "Independent help for children and young people"),
        "If your complaint is about a child or young person, they can have free, independent help from an advocate to make their views known: {{ advocacy_service }}.",
        ("end",),
        *WITHDRAW,
        CONTACT,
    ),
)

ACKNOWLEDGEMENT_CORPORATE_YP = Spec(
    "Acknowledgement - corporate - young person",
    "We have got your complaint",
    (
        "Thank you for getting in touch with us. We got your complaint on {{ date_received }}. We are sorry you are unhappy, and we are taking what you have told us seriously.",
        ("h", "What happens now?"),
        "The person looking into your complaint is {{ responding_manager_and_job_title }}. They might want to talk to you, to make sure they understand what has gone wrong and what you would like to happen.",
        "They will write back to you by **{{ stage1_due_date }}**. If they need more time, we will tell you why and give you a new date.",
        "If you are still unhappy after they write to you, you can ask for someone more senior to look at your complaint again.",
        *YP_ADVOCATE,
        *YP_CHANGE_MIND,
        *YP_CONTACT,
    ),
    young_person=True,
)

EXTENSION_CORPORATE = Spec(
    "Extension - corporate",
    "Your complaint: more time needed (reference {{ reference }})",
    (
        ("if", "extension_stage == 1"),
        "I am writing about your complaint, which we received on {{ date_received }}. When we acknowledged it, we told you that you would receive our response by {{ original_due_date }}." + PASSED,
        "The manager looking into your complaint is {{ responding_manager_and_job_title }}. They need more time to respond to it properly, because " + WHY_MORE_TIME + ".",
        ("else",),
        "I am writing about the stage 2 review of your complaint. We told you that you would receive our stage 2 response by {{ original_due_date }}." + PASSED,
        "{{ investigating_officer }}, who is reviewing your complaint, needs more time to look into all of the issues you have raised, because " + WHY_MORE_TIME + ".",
        ("end",),
        "We now expect to send you our response by **{{ new_due_date }}**. I am sorry for the delay.",
        ("dates", (("Your reference", "{{ reference }}"), ("Date we gave before", "{{ original_due_date }}"), ("New date", "{{ new_due_date }}"))),
        ("h", "If you are unhappy about the delay"),
        "You can contact the Local Government and Social Care Ombudsman. The Ombudsman normally expects us to finish looking into a complaint first, but can consider whether a delay is reasonable.",
        OMBUDSMAN,
        CONTACT,
    ),
)

STAGE_1_RESPONSE_CORPORATE = Spec(
    "Stage 1 response - corporate",
    "Response to your complaint: reference {{ reference }}",
    (
        "Thank you for your complaint, which we received on {{ date_received }}. I am sorry that you have had cause to complain. I have now looked into the concerns you raised, and this letter is my response at stage 1 of the council's corporate complaints procedure.",
        "To look into your complaint, I [[say what you did: for example, read the records, spoke to the staff involved, and spoke to you on (date)]].",
        ("h", "Your concerns and what I found"),
        POINTS_TABLE,
        "Overall, I have **{{ stage1_decision }}** your complaint.",
        ("if", "stage1_upheld"),
        "I am sorry for the shortcomings I have found, and for the difference they have made to you.",
        ("end",),
        ("h", "What will happen now"),
        "[[Set out each action we will take, who will take it and by when, including any apology, any change to the service and anything we have learned.]]",
        ("h", "If you are not satisfied"),
        "If you are not satisfied with this response, you can ask for your complaint to be reviewed at stage 2 by a senior manager who has not been involved in it. To do this, please contact the {{ team_name }} by **{{ stage2_request_by }}**, which is {{ stage2_request_period }} from the date of this letter, by telephone on {{ phone }}, by email to {{ email }} or by post to the address at the top of this letter. Please tell us which points you remain unhappy about, and why.",
        "If you are still unhappy once our complaints procedure has finished, you can ask the Local Government and Social Care Ombudsman to look into your complaint.",
        "Thank you for taking the time to raise your concerns with us.",
    ),
)

STAGE_1_RESPONSE_CORPORATE_YP = Spec(
    "Stage 1 response - corporate - young person",
    "Our reply to your complaint",
    (
        "Thank you for telling us what you were unhappy about. I have now looked into your complaint, and this letter tells you what I found.",
        "[[Say how you looked into it, in plain words.]]",
        ("h", "What you told us and what I found"),
        YP_POINTS_TABLE,
        *YP_STAGE_1_OUTCOME,
        ("h", "If you are still not happy"),
        "You can ask for a more senior manager to look at your complaint again. This is called stage 2. Just tell us by **{{ stage2_request_by }}**. You can phone, email or write to us, or ask someone you trust to tell us for you.",
        *YP_ADVOCATE,
        *YP_CONTACT,
    ),
    young_person=True,
)

STAGE_2_ACKNOWLEDGEMENT_CORPORATE = Spec(
    "Stage 2 acknowledgement - corporate",
    "Your complaint at stage 2: reference {{ reference }}",
    (
        "Thank you for your request, which we received on {{ stage2_requested }}, for your complaint to be considered at stage 2 of our corporate complaints procedure. I am writing to confirm that we have accepted it.",
        "Your complaint will be reviewed by {{ investigating_officer }}, a senior manager who has not been involved in it before. They will look at your original complaint, our stage 1 response and the reasons you remain unhappy, and they may contact you to discuss them.",
        "We will send you our stage 2 response by **{{ stage2_due_date }}**. If we need more time, we will write to you to explain why and give you a new date.",
        ("dates", (("Your reference", "{{ reference }}"), ("Stage 2 request received", "{{ stage2_requested }}"), ("Our response is due by", "{{ stage2_due_date }}"))),
        *CORPORATE_NEXT,
        *WITHDRAW,
        CONTACT,
    ),
)

STAGE_2_ACKNOWLEDGEMENT_CORPORATE_YP = Spec(
    "Stage 2 acknowledgement - corporate - young person",
    "Your complaint is going to stage 2",
    (
        "Thank you for letting us know on {{ stage2_requested }} that you are still unhappy. We have agreed that your complaint will now go to stage 2.",
        "{{ investigating_officer }}, a senior manager who has not been involved before, will look at your complaint again. They might get in touch to talk to you about it.",
        "We will write to you to tell you what they found by **{{ stage2_due_date }}**.",
        *YP_ADVOCATE,
        *YP_CHANGE_MIND,
        *YP_CONTACT,
    ),
    young_person=True,
)

STAGE_2_RESPONSE_CORPORATE = Spec(
    "Stage 2 response - corporate",
    "Stage 2 response to your complaint: reference {{ reference }}",
    (
        "Thank you for asking us, on {{ stage2_requested }}, to look again at your complaint at stage 2 of our corporate complaints procedure. {{ investigating_officer }} has reviewed your complaint, our stage 1 response and the reasons you gave for remaining unhappy, and this letter sets out our stage 2 response.",
        "[[Say how the review was carried out: the records read, the people spoken to, and any meeting with you.]]",
        ("h", "Your concerns and what we found"),
        WE_POINTS_TABLE,
        "Overall, we have **{{ stage2_decision }}** your complaint.",
        ("if", "stage2_upheld"),
        "We are sorry for the failings we have found.",
        ("end",),
        ("h", "What we will do"),
        "[[Set out each action, who will take it and by when.]]",
        ("if", "can_ask_for_stage_3"),
        ("h", "If you are still not satisfied"),
        "If you are still not satisfied, you can ask for a final review of your complaint at stage 3. Please contact the {{ team_name }} by **{{ stage3_request_by }}**, telling us why you remain unhappy.",
        ("else",),
        ("h", "If you are still not satisfied: the Ombudsman"),
        "This is our final response, and the end of our complaints procedure. If you remain unhappy, you can ask the Local Government and Social Care Ombudsman to look into your complaint. The Ombudsman is independent, and its service is free. You should normally contact the Ombudsman within {{ ombudsman_period }} of this letter, that is by **{{ ombudsman_by }}**.",
        OMBUDSMAN,
        ("end",),
        CONTACT,
    ),
)

STAGE_2_RESPONSE_CORPORATE_YP = Spec(
    "Stage 2 response - corporate - young person",
    "What we found at stage 2",
    (
        "Thank you for asking us to look at your complaint again. {{ investigating_officer }} has done this, and this letter tells you what they found.",
        YP_POINTS_TABLE,
        "Overall, we have **{{ stage2_decision }}** your complaint.",
        ("h", "What will happen now"),
        "[[Say what will change, who will do it and when.]]",
        ("if", "can_ask_for_stage_3"),
        ("h", "If you are still not happy"),
        "You can ask for one last review of your complaint. Just tell us by **{{ stage3_request_by }}**.",
        ("else",),
        ("h", "If you are still not happy"),
        "This is the last stage of our complaints process. You can ask the Local Government and Social Care Ombudsman to look at your complaint. They do not work for the council, and it is free. You should contact them by **{{ ombudsman_by }}**.",
        OMBUDSMAN,
        ("end",),
        *YP_ADVOCATE,
        *YP_CONTACT,
    ),
    young_person=True,
)

STAGE_3_RESPONSE_CORPORATE = Spec(
    "Stage 3 final response - corporate",
    "Final response to your complaint: reference {{ reference }}",
    (
        "Thank you for asking us, on {{ stage3_requested }}, to review your complaint at stage 3, the final stage of our corporate complaints procedure. I have now reviewed your complaint, our responses at stages 1 and 2, and the reasons you remain unhappy.",
        ("h", "My review"),
        POINTS_TABLE,
        "[[Set out your conclusions and anything the council will do, who will do it and by when.]]",
        ("h", "This is our final response"),
        "This letter is the council's final response to your complaint. If you remain unhappy, you can ask the Local Government and Social Care Ombudsman to look into it. The Ombudsman is independent, and its service is free. You should normally contact the Ombudsman within {{ ombudsman_period }} of this letter, that is by **{{ ombudsman_by }}**.",
        OMBUDSMAN,
        CONTACT,
    ),
)

SPECS: tuple[Spec, ...] = (
    ACKNOWLEDGEMENT, ACKNOWLEDGEMENT_YP, CONSENT_REQUEST, CONSENT_REQUEST_VIA_COMPLAINANT, EXTENSION, EXTENSION_YP,
    STAGE_1_RESPONSE, STAGE_1_RESPONSE_YP, STAGE_2_ACKNOWLEDGEMENT, STAGE_2_ACKNOWLEDGEMENT_YP,
    STAGE_2_ADJUDICATION, STAGE_2_ADJUDICATION_YP, STAGE_3_PANEL, STAGE_3_PANEL_YP,
    STAGE_3_RESPONSE, STAGE_3_RESPONSE_YP, WITHDRAWAL, WITHDRAWAL_YP, REFUSAL, REFUSAL_YP,
    CASE_CONCERN, CLOSURE, CLOSURE_YP,
    ACKNOWLEDGEMENT_CORPORATE, ACKNOWLEDGEMENT_CORPORATE_YP, EXTENSION_CORPORATE,
    STAGE_1_RESPONSE_CORPORATE, STAGE_1_RESPONSE_CORPORATE_YP,
    STAGE_2_ACKNOWLEDGEMENT_CORPORATE, STAGE_2_ACKNOWLEDGEMENT_CORPORATE_YP,
    STAGE_2_RESPONSE_CORPORATE, STAGE_2_RESPONSE_CORPORATE_YP, STAGE_3_RESPONSE_CORPORATE,
)  # fmt: skip


# --- building a Word file -------------------------------------------------------------

_INLINE = re.compile(r"(\*\*.+?\*\*|\[\[.+?\]\])")


def _runs(paragraph, text: str, size: float | None = None, colour: RGBColor | None = None, bold: bool = False):
    for piece in _INLINE.split(text):
        if not piece:
            continue
        strong = piece.startswith("**") and piece.endswith("**")
        prompt = piece.startswith("[[") and piece.endswith("]]")
        run = paragraph.add_run(piece[2:-2] if strong or prompt else piece)
        run.bold = bold or strong or None
        if prompt:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        if size:
            run.font.size = Pt(size)
        if colour is not None:
            run.font.color.rgb = colour
    return paragraph


def _spacing(paragraph, before: float = 0, after: float = 6, keep: bool = False):
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if keep:
        fmt.keep_with_next = True
    return paragraph


def _cell_paragraph(cell, text: str, first: bool, **kw):
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    _runs(paragraph, text, **kw)
    return _spacing(paragraph, after=0)


def _shade(cell, fill: str):
    cell._tc.get_or_add_tcPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>'))


def _borders(table, colour: str = "BFBFBF", inner: bool = True):
    inside = f'<w:insideH w:val="single" w:sz="4" w:color="{colour}"/><w:insideV w:val="single" w:sz="4" w:color="{colour}"/>' if inner else ""
    xml = (
        f'<w:tblBorders {nsdecls("w")}>'
        f'<w:top w:val="single" w:sz="4" w:color="{colour}"/><w:left w:val="single" w:sz="4" w:color="{colour}"/>'
        f'<w:bottom w:val="single" w:sz="4" w:color="{colour}"/><w:right w:val="single" w:sz="4" w:color="{colour}"/>'
        f"{inside}</w:tblBorders>"
    )
    table._tbl.tblPr.append(parse_xml(xml))


def _widths(table, widths_cm):
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)


def _page_field(paragraph, instruction: str):
    paragraph._p.append(parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr="{instruction}"><w:r><w:rPr><w:sz w:val="16"/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>'
    ))


TEXT_WIDTH = 16.6  # cm: A4 less 2.2 cm margins
CELL_MARGIN = 108  # twips (0.19 cm): Word's default left and right cell margin


def build_document(spec: Spec):
    """One template as a python-docx Document."""
    doc = Document()
    size = 12 if spec.young_person else 11
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(size)
    normal.element.rPr.rFonts.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", FONT)
    normal.paragraph_format.space_after = Pt(5)
    normal.paragraph_format.line_spacing = 1.0
    bullet = doc.styles["List Bullet"]
    bullet.font.name, bullet.font.size = FONT, Pt(size)

    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(1.3), Cm(1.8)
    section.footer_distance = Cm(0.8)

    # Footer: the council, the reference and the page, on every page (how to get in touch is in the letter).
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _runs(footer, "{{ council_name }}  \u00b7  {{ team_name }}  \u00b7  {{ council_address_line }}", size=8, colour=GREY)
    second = section.footer.add_paragraph()
    second.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _runs(second, "Our reference {{ reference }}  \u00b7  Page ", size=8, colour=GREY)
    _page_field(second, "PAGE")
    _runs(second, " of ", size=8, colour=GREY)
    _page_field(second, "NUMPAGES")

    # Letterhead: the logo when the Settings name one, then the council across the page.
    doc.add_paragraph("{%p if logo %}")
    _spacing(_runs(doc.add_paragraph(), "{{ logo }}"), after=4)
    doc.add_paragraph("{%p endif %}")
    lines = (
        ("{{ council_name }}", dict(size=16, colour=ACCENT, bold=True)),
        ("{{ department }}  \u00b7  {{ team_name }}", dict(size=10, colour=ACCENT, bold=True)),
        ("{{ council_address_line }}  \u00b7  {{ website }}", dict(size=9, colour=GREY)),
    )
    for i, (text, kw) in enumerate(lines):
        _spacing(_runs(doc.add_paragraph(), text, **kw), after=0, keep=True)
    rule = _spacing(doc.add_paragraph(), after=8)
    rule._p.get_or_add_pPr().append(parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:top w:val="single" w:sz="8" w:space="1" w:color="1F4E79"/></w:pBdr>'
    ))

    # Recipient on the left; reference and date on the right.
    block = doc.add_table(rows=1, cols=2)
    _widths(block, (10.6, TEXT_WIDTH - 10.6))
    left = block.cell(0, 0)
    _cell_paragraph(left, "PRIVATE AND CONFIDENTIAL", True, size=8, bold=True, colour=GREY)
    _cell_paragraph(left, "{{ recipient_name }}", False)
    _cell_paragraph(left, "{{ recipient_address }}", False)
    left.add_paragraph("{%p if child_address_to_complete %}")
    _cell_paragraph(left, "[[The child's address: the register holds only the complainant's]]", False)
    left.add_paragraph("{%p endif %}")
    info = block.cell(0, 1)
    _cell_paragraph(info, "**Our reference:** {{ reference }}", True, size=9)
    _cell_paragraph(info, "**Date:** {{ letter_date }}", False, size=9)
    info.add_paragraph("{%p if reissued %}")
    _cell_paragraph(info, "**Copy sent:** {{ reissue_date }}", False, size=9)
    info.add_paragraph("{%p endif %}")
    _spacing(doc.add_paragraph(), after=4)

    _spacing(_runs(doc.add_paragraph(), "Dear {{ greeting_name }}"), after=10)
    _spacing(_runs(doc.add_paragraph(), spec.subject, bold=True, colour=ACCENT), after=10)
    doc.add_paragraph("{%p if reissued %}")
    _runs(doc.add_paragraph(), "This is a copy of our letter of {{ letter_date }}, sent again on {{ reissue_date }}. The dates in it are those of the original letter.", bold=True)
    doc.add_paragraph("{%p endif %}")

    _body(doc, spec.body, size)
    # The sign-off and the paragraph before it share one table row that cannot split, so a
    # signature never stands alone on a page (Word and LibreOffice both keep a row whole).
    texts = [p for p in doc.paragraphs if not p.text.startswith("{%p")]
    last = texts[-1]._p
    keep = doc.add_table(rows=1, cols=1)
    _widths(keep, (TEXT_WIDTH,))
    keep.rows[0]._tr.get_or_add_trPr().append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))
    cell = keep.cell(0, 0)
    if last.getnext() is keep._tbl:  # the letter's last words, not a condition's end: move them in
        cell._tc.insert(cell._tc.index(cell.paragraphs[0]._p), last)
        cell._tc.remove(cell.paragraphs[-1]._p)
    closing = "Best wishes" if spec.young_person else "Yours sincerely"
    signature = _spacing(cell.add_paragraph(), before=6, after=0)
    for i, line in enumerate((closing, "", "", "**{{ signatory }}**", "{{ signatory_title }}", "{{ council_name }}")):
        if i:
            signature.add_run().add_break()
        if line:
            _runs(signature, line)
    end = _spacing(doc.add_paragraph(), after=0)
    end.paragraph_format.line_spacing = Pt(1)  # Word needs a paragraph after a table: keep it tiny

    if spec.slip:
        _slip(doc, spec.slip)
    return doc


def _slip(doc, lines):
    """The tear-off slip: one box that never splits across pages, kept with its cut line."""
    cut = doc.add_paragraph()
    _spacing(cut, before=18, after=4, keep=True)
    cut._p.get_or_add_pPr().append(parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:top w:val="dashed" w:sz="6" w:space="6" w:color="7F7F7F"/></w:pBdr>'
    ))
    _runs(cut, "\u2702  Cut here", size=8, colour=GREY)
    table = doc.add_table(rows=1, cols=1)
    _borders(table, "9DB3CC", inner=False)
    _inside_margins(table)
    _widths(table, (TEXT_WIDTH,))
    row = table.rows[0]
    row._tr.get_or_add_trPr().append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))
    cell = row.cells[0]
    first = _cell_paragraph(cell, "Please send this slip back to the {{ team_name }}, {{ council_address_line }}", True, bold=True, size=10)
    _spacing(first, before=4, after=6)
    for line in lines:
        _spacing(_cell_paragraph(cell, line, False), after=8)


def _inside_margins(table):
    """Indent a bordered or shaded table by its cell margin, so its edges stand on the page margins, not 2 mm outside."""
    table._tbl.tblPr.append(parse_xml(f'<w:tblInd {nsdecls("w")} w:w="{CELL_MARGIN}" w:type="dxa"/>'))


def _body(doc, items, size):
    for item in items:
        if isinstance(item, str):
            _runs(doc.add_paragraph(), item)
            continue
        kind = item[0]
        if kind == "h":
            _spacing(_runs(doc.add_paragraph(), item[1], bold=True, colour=ACCENT), before=6, after=3, keep=True)
        elif kind == "ul":
            for i, text in enumerate(item[1]):
                _spacing(_runs(doc.add_paragraph(style="List Bullet"), text), after=6 if i == len(item[1]) - 1 else 2)
        elif kind in ("if", "elif"):
            doc.add_paragraph(f"{{%p {kind} {item[1]} %}}")
        elif kind == "else":
            doc.add_paragraph("{%p else %}")
        elif kind == "end":
            doc.add_paragraph("{%p endif %}")
        elif kind == "dates":
            _box(doc, item[1])
        elif kind == "table":
            _grid(doc, item[1], item[2], size)
        elif kind == "ombudsman":
            _box(doc, (
                ("Local Government and Social Care Ombudsman", ""),
                ("Website", "{{ ombudsman_website }}"),
                ("Telephone", "{{ ombudsman_phone }}"),
                ("Post", "{{ ombudsman_address }}"),
            ))
        else:  # pragma: no cover - a mistake in SPECS
            raise ValueError(f"unknown body item {item!r}")


def _box(doc, rows):
    """A light box of label/value lines: key dates, the Ombudsman's details."""
    table = doc.add_table(rows=len(rows), cols=2)
    _borders(table, "9DB3CC", inner=False)
    _inside_margins(table)
    _widths(table, (6.0, TEXT_WIDTH - 6.0))
    for r, (label, value) in enumerate(rows):
        left, right = table.cell(r, 0), table.cell(r, 1)
        _shade(left, "EAF1F8")
        _shade(right, "EAF1F8")
        if value:
            _cell_paragraph(left, label, True, bold=True, size=10)
            _cell_paragraph(right, value, True, size=10)
        else:
            merged = left.merge(right)
            _cell_paragraph(merged, label, True, bold=True, size=10)
    _spacing(doc.add_paragraph(), after=2)


def _grid(doc, headers, rows, size):
    table = doc.add_table(rows=1 + len(rows), cols=len(headers))
    _borders(table)
    _inside_margins(table)
    width = TEXT_WIDTH / len(headers)
    _widths(table, [width] * len(headers))
    for c, text in enumerate(headers):
        cell = table.cell(0, c)
        _shade(cell, "1F4E79")
        _cell_paragraph(cell, text, True, bold=True, size=size - 1, colour=RGBColor(0xFF, 0xFF, 0xFF))
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row):
            _cell_paragraph(table.cell(r, c), text, True, size=size - 1)
    _spacing(doc.add_paragraph(), after=2)


def build(folder: str | Path | None = None, force: bool = False, only: list[str] | None = None) -> tuple[list[Path], list[Path]]:
    """Write the shipped templates; (written, kept) paths. Existing files are kept unless force."""
    folder = Path(folder) if folder else TEMPLATES_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    written, kept = [], []
    for spec in SPECS:
        if only and spec.stem not in only:
            continue
        path = folder / f"{spec.stem}.docx"
        if path.exists() and not force:
            kept.append(path)
            continue
        doc = build_document(spec)
        doc.core_properties.title = spec.stem
        doc.core_properties.author = "xl-complaints"
        doc.save(path)
        written.append(path)
    return written, kept
