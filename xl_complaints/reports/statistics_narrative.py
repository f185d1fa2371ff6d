"""The annual report's words around the tables: the sections of a statutory report.

The model (a full 2016/17 statutory report) has an introduction with the legal
basis, the procedure and its scope, publicity, the data, advocacy, learning,
effectiveness, recommendations, a glossary and the process. Each section here
carries the toolkit's own text (the law, the process, from the council's
rulebook), the figures it needs (sentences from `statistics`, so a hidden number
is never written out) and a prompt for the council's own words, which the Word
draft highlights for an officer to replace. Nothing here names any other council.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import statistics
from ..core.settings import Settings
from ..core.dates import long_date
from .statistics import Statistics

# Definitions for the glossary, by representation type (table 1a's rows). Written
# from the statutory guidance and the model report's appendix, in general terms.
GLOSSARY = {
    "Complaint": "An expression of dissatisfaction or disquiet about an individual child or young person that "
    "requires a response (Getting the Best from Complaints, 2006). It is considered under the statutory procedure.",
    "Pre-complaint": "A representation that could become a formal complaint, or where the complaints team needs "
    "the person to say more before it can be answered.",
    "Area initiated complaint": "A complaint handled by a local team that the complaints team knows of and may "
    "help with.",
    "Refused": "A representation that cannot be considered under the statutory procedure (table 1b gives the "
    "reasons, such as no parental responsibility or court proceedings).",
    "Professional to Professional Complaint": "A concern raised by one professional about another agency's or "
    "team's work, answered between professionals.",
    "LSCB": "A representation about the safeguarding partnership's own processes, such as a child protection "
    "conference, which has its own procedure.",
    "LGO": "An enquiry from the Local Government and Social Care Ombudsman that came to the council first from "
    "the Ombudsman.",
    "Case Concern": "A current, 'here and now' matter that needs a manager's response or quicker action than the "
    "complaints procedure allows. The manager answers it in the most suitable way and the complaints team "
    "acknowledges it and explains what to do if the person is still unhappy.",
    "Miscellaneous": "A representation that fits none of the other types.",
    "Compliment": "Praise or thanks for a service or a member of staff.",
    "Hantsdirect handoff": "A representation passed to the complaints team by the council's contact centre.",
    "Request for info": "A request for information rather than a complaint.",
    "Ad Hoc": "A query or contact answered without opening a complaint.",
}


@dataclass
class Section:
    number: str
    title: str
    text: list[str] = field(default_factory=list)  # the toolkit's own words (law, process)
    figures: list[str] = field(default_factory=list)  # sentences with numbers, from the statistics
    prompt: str = ""  # what the council writes here (highlighted in the draft)
    tables: tuple[str, ...] = ()  # the tables set in this section, by id
    items: list[tuple[str, str]] = field(default_factory=list)  # (term, meaning) lists: the glossary, the process
    form: tuple[str, ...] = ()  # an empty table for the council to fill in: its column headings


def sections(stats: Statistics, settings: Settings | None = None) -> list[Section]:
    """The report's sections in order, with their figures and the places for the council's words."""
    settings = settings or Settings(council_name=stats.council, department=stats.department)
    words = statistics.sentences(stats)
    rules = statistics._Rules(settings)
    label, council = stats.period.label, stats.council
    period = f"{long_date(stats.period.start)} to {long_date(stats.period.end)}"
    excluded = [n for n in stats.notes if "under the corporate procedure" in n and "not counted" in n]
    shown_types = [r.label for r in stats.table("1a").rows if r.role == statistics.ITEM]
    placed = {"advocacy", "learning"}  # set in their own sections, as the model report does
    data_tables = tuple(t.id for t in stats.tables if t.id not in placed)
    out = [
        Section(
            "1", "Introduction",
            text=[
                "The Children Act 1989 Representations Procedure (England) Regulations 2006 require the council to "
                "operate and maintain a procedure for considering representations, including complaints, made by or "
                "for children and young people about its social care services for them.",
                "The statutory guidance, Getting the Best from Complaints (Department for Education and Skills, 2006), "
                "sets out the procedure, which the Complaints Manager oversees, and asks for an annual report. This "
                f"report is a public document: it tells {council} how its complaints procedure worked and what was "
                f"learnt from complaints in the year {period}.",
            ],
            prompt="Add anything the council wants to say about the year, such as changes in the team or in how complaints are recorded.",
        ),
        Section(
            "2", "The procedure and its scope",
            text=[
                "This report covers social care (statutory) complaints from or about children and young people, "
                "managed through the three-stage statutory procedure. Complaints about other services are answered "
                "under the council's corporate complaints procedure and are not included.",
            ],
            figures=excluded,
            prompt="Say who handles statutory complaints in the council, and any other procedures the team takes part in (for example about child protection conferences).",
        ),
        Section(
            "3", "Publicity and information",
            text=["Children, young people and their families need to know how to complain and that help is available to do so."],
            figures=words.get("3a", [])[:1],
            prompt="Describe how people find out about the procedure: the website, leaflets for children and for adults, how staff share them, and any changes this year.",
        ),
        Section(
            "4", "Data and analysis",
            text=[
                f"The tables below count the representations received in {label} ({period}). Every figure is as at "
                f"{long_date(stats.at)}. Appendix 1 explains each type of representation and Appendix 3 how each "
                "figure is counted."
            ],
            tables=data_tables,
        ),
        Section(
            "5", "Advocacy",
            text=[
                "Children and young people who make a complaint are told they can have an advocate to help them"
                + (f": {settings.advocacy_service}." if settings.advocacy_service else ".")
            ],
            tables=("advocacy",),
            prompt="Describe the advocacy service this year and how advocates helped young people through their complaints.",
        ),
        Section(
            "6", "Learning from complaints and service improvements",
            text=["Complaints show where services can improve and where practice was right. The investigating manager records whether a complaint showed learning."],
            tables=("learning",),
            prompt="For each type of learning, say what was learnt and what was done (without anything that could identify a child or family).",
            form=("Type of learning", "What was learnt", "What was done", "By when / done"),
        ),
        Section(
            "7", "Effectiveness of the complaints procedure",
            figures=words.get("2", []) + words.get("acknowledgement", []) + words.get("outcomes", []) + words.get("ombudsman", []),
            prompt="Say how well the procedure worked: timeliness, what slowed complaints down, how many went on to stage 2, stage 3 and the Ombudsman, and why.",
        ),
        Section(
            "8", "Recommendations",
            prompt="",
        ),
        Section(
            "8.1", f"Progress on the recommendations of {stats.previous_period.label}",
            prompt="List last year's recommendations and the progress made on each.",
            form=("Recommendation", "Progress"),
        ),
        Section(
            "8.2", f"Recommendations for {statistics.reporting_period(stats.period.year + 1, stats.period.start.month).label}",
            prompt="List what the team or the department will do in the coming year, drawing on the figures above.",
            form=("Recommendation", "Who", "By when"),
        ),
        Section(
            "Appendix 1", "Glossary: types of representation",
            items=[(t, GLOSSARY.get(t.removesuffix(" (to statutory Stage 1 complaint)"), "")) for t in shown_types],
            prompt="Check the definitions match how the council records each type.",
        ),
        Section(
            "Appendix 2", "The complaints process",
            items=process(rules),
        ),
        Section("Appendix 3", "How the figures are counted", items=[("", n) for n in stats.notes]),
    ]
    return out


def process(rules) -> list[tuple[str, str]]:
    """The three stages and the Ombudsman, with the timescales of the council's rulebook."""
    return [
        ("Stage 1 - Local resolution",
         f"Local teams answer most complaints, with the complaints team's help. The response is due within {rules.s1} "
         f"working days, or up to {rules.s1_extended} working days where the complaint is complex and an extension is "
         "agreed. Complaints are usually made within 12 months of the matter complained about."),
        ("Stage 2 - Investigation",
         "If the complainant is still dissatisfied they can ask for an investigation by an Investigating Officer and an "
         "Independent Person, who are independent of the service. The adjudicating officer responds within "
         f"{rules.s2} working days, or at most {rules.s2_extended} working days."),
        ("Stage 3 - Review panel",
         "If the complainant is still dissatisfied they can ask for an independent review panel of three people, who "
         "consider how the complaint was handled. The panel's report is answered by the Director of Children's "
         f"Services; the whole stage takes {rules.s3} working days."),
        ("The Ombudsman",
         "When the procedure is finished, the complainant can ask the Local Government and Social Care Ombudsman to "
         "look at the complaint, usually within 12 months of the council's final response."),
    ]
