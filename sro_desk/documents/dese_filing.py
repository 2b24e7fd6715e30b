"""The yearly DESE filing as a PDF: cover, DESE's components, the agreement and operating
procedures, the costs and their shares, the mental-health staffing budget, the
superintendent's request for an SRO, and the legal sources the filing relies on.

A fact nobody recorded prints as "not recorded", never as an empty cell that could pass
for a filled one. Every piece of user text goes through ``escape``.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.lib.units import inch
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Spacer
from reportlab.platypus import Paragraph as PdfParagraph

from sro_desk.documents.agreement import (
    COSTS_TITLE,
    FILING_TITLE,
    agreement_story,
    department_names,
    facts_table,
    watermark,
)
from sro_desk.documents.common import Styles, data_table, escape, heading, make_styles, write_pdf
from sro_desk.records import agreement_blanks
from sro_desk.records.agreements import STATUSES, CostSummary, money
from sro_desk.records.dese_filing import NOT_RECORDED, LawSource, PrintableFiling

COMPONENTS_TITLE = "DESE's required components and where the agreement covers them"
MENTAL_HEALTH_TITLE = "Mental-health staffing budget"
REQUEST_TITLE = "The superintendent's request for a school resource officer"
SOURCES_TITLE = "Sources"
#: How a missing fact prints: greyed, so it cannot pass for a value.
MISSING = f'<font color="#6b6b6b"><i>{NOT_RECORDED}</i></font>'


def build_filing_pdf(filing: PrintableFiling, out: Path | BinaryIO) -> None:
    """Print the whole DESE filing to ``out``."""
    styles = make_styles()
    agreement = filing.agreement
    story: list[Flowable] = [*_cover(filing, styles), PageBreak()]
    story += _components(filing, styles)
    story.append(PageBreak())
    story += agreement_story(agreement, styles)
    story.append(PageBreak())
    story += _costs(filing.costs, filing.school_year, styles)
    story += _mental_health(filing, styles)
    story += _request(filing, styles)
    story.append(PageBreak())
    story += _sources(filing, styles)
    year = f"School year {agreement.school_year}"
    write_pdf(
        out,
        story,
        title=f"DESE filing: {agreement.title} ({year.lower()})",
        author=agreement.district_name,
        subject=FILING_TITLE,
        watermark=watermark(agreement),
        footer_left=("ALTERED AFTER SIGNING \u2014 " if agreement.altered else "")
        + f"DESE filing \u2014 {agreement.district_name} \u2014 {year}",
    )


def _value(text: str) -> str:
    """User text as a cell's markup, or "not recorded"."""
    return escape(text) if text.strip() else MISSING


def _cover(filing: PrintableFiling, styles: Styles) -> list[Flowable]:
    """Who files, for which year, whom DESE can ask, and what is enclosed."""
    agreement, facts = filing.agreement, filing.facts
    rows = [
        ("School district", _value(agreement.district_name)),
        ("DESE district code", _value(facts.org_code)),
        ("Police department(s)", "<br/>".join(escape(n) for n in department_names(agreement))),
        ("School year", _value(agreement.school_year)),
        ("Contact person", _value(facts.contact_name)),
        ("Contact's title", _value(facts.contact_title)),
        ("Contact's email", _value(facts.contact_email)),
        ("Contact's phone", _value(facts.contact_phone)),
        ("Date prepared", _value(filing.prepared_on)),
        ("Agreement", escape(STATUSES.get(agreement.status, agreement.status))),
        ("Clause library version", _value(agreement.library_version)),
    ]
    enclosed = [COMPONENTS_TITLE, *(part.title for part in agreement.parts), "Signatures of the parties",
                f"{COSTS_TITLE}, school year {agreement.school_year}", MENTAL_HEALTH_TITLE, REQUEST_TITLE,
                SOURCES_TITLE]
    story: list[Flowable] = [
        Spacer(1, 0.4 * inch),
        heading(FILING_TITLE, styles.title, level=0),
        PdfParagraph(
            "School resource officer agreement and operating procedures, the district's costs, and the "
            "mental-health staffing budget (G.L. c. 71, \u00a7 37P)",
            styles.subtitle,
        ),
        Spacer(1, 0.25 * inch),
        facts_table(rows, styles),
        Spacer(1, 0.25 * inch),
        PdfParagraph("Enclosed", styles.subheading),
    ]
    story += [PdfParagraph(escape(item), styles.bullet, bulletText=f"{n}.") for n, item in enumerate(enclosed, 1)]
    return story


def _components(filing: PrintableFiling, styles: Styles) -> list[Flowable]:
    """Each of DESE's components beside the sections that cover it, or "not covered"."""
    rows: list[list] = [[PdfParagraph(text, styles.cell_head) for text in ("", "What DESE asks for", "Covered by")]]
    for row in filing.components:
        covered = "<br/>".join(escape(s) for s in row.sections) if row.sections else "<b>not covered</b>"
        rows.append([
            PdfParagraph(f"<b>{escape(row.code)}</b>", styles.cell),
            PdfParagraph(escape(row.label), styles.cell),
            PdfParagraph(covered, styles.cell),
        ])
    missing = sum(not row.sections for row in filing.components)
    summary = (
        f"All {len(filing.components)} components are covered." if not missing
        else f"{missing} of {len(filing.components)} components are not covered by any section."
    )
    return [
        heading(COMPONENTS_TITLE, styles.heading, level=0),
        PdfParagraph(
            "DESE lists what the memorandum of understanding (M1 to M8) and the operating procedures (O1 to O7) "
            "must cover. Sections are numbered as printed below: MOU for the memorandum of understanding, OP "
            f"for the operating procedures. {summary}",
            styles.body,
        ),
        data_table(rows, [0.5, 3.1, 3.1]),
    ]


def _costs(costs: CostSummary, school_year: str, styles: Styles) -> list[Flowable]:
    """The district's costs by category with their total, then each party's share of the
    salary and benefits."""
    rows: list[list] = [[
        PdfParagraph("Item", styles.cell_head), PdfParagraph("<b>Amount</b>", styles.cell_right),
        PdfParagraph("Note", styles.cell_head),
    ]]
    for line in costs.lines:
        rows.append([
            PdfParagraph(escape(line.label), styles.cell),
            PdfParagraph(money(line.cents) if line.cents is not None else MISSING, styles.cell_right),
            PdfParagraph(escape(line.note), styles.cell),
        ])
    total_label = "Total cost to the district" + (" (of the costs recorded)" if costs.not_recorded else "")
    rows.append([
        PdfParagraph(f"<b>{escape(total_label)}</b>", styles.cell),
        PdfParagraph(f"<b>{money(costs.total_cents)}</b>", styles.cell_right), "",
    ])
    table = data_table(rows, [2.9, 1.3, 2.5], ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black))
    story: list[Flowable] = [
        heading(COSTS_TITLE, styles.heading, level=0),
        PdfParagraph(
            f"What assigning school resource officers cost the district in school year {escape(school_year)}, "
            "as the district recorded it.", styles.body),
        table,
        PdfParagraph("Salary and benefits: each party's share", styles.subheading),
    ]
    split = costs.split

    def share(who: str) -> str:
        return f"{split[who]}%" if split else MISSING

    def amount(cents: int | None, worked_out: bool = False) -> str:
        if cents is None:
            return MISSING
        return money(cents) + (" (worked out)" if worked_out else "")

    shares = [
        [PdfParagraph(t, styles.cell_head) for t in ("Party", "Share", "Amount")],
        [PdfParagraph("The district", styles.cell), PdfParagraph(share("district"), styles.cell),
         PdfParagraph(amount(costs.district_salary_cents), styles.cell)],
        [PdfParagraph("The police department(s)", styles.cell), PdfParagraph(share("department"), styles.cell),
         PdfParagraph(amount(costs.department_salary_cents, True), styles.cell)],
        [PdfParagraph("<b>Salary and benefits in all</b>", styles.cell),
         PdfParagraph("100%" if split else MISSING, styles.cell),
         PdfParagraph(amount(costs.whole_salary_cents, True), styles.cell)],
    ]
    story.append(data_table(shares, [2.9, 1.3, 2.5], ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black)))
    story.append(PdfParagraph(
        "The shares are the agreement's split of the SRO's salary and benefits; the department's share is "
        "worked out from the district's share and that split.", styles.note))
    story += [PdfParagraph(escape(note), styles.note) for note in costs.notes]
    return story


def _footnote(source: LawSource | None, mark: int, styles: Styles) -> list[Flowable]:
    """Where a duty comes from and how sure SRO Desk is of it, under the section."""
    if source is None:
        return []
    text = f"<super>{mark}</super> {escape(source.citation)}: {escape(source.requires)}"
    if source.unconfirmed:
        text += f" {escape(source.unconfirmed)}"
    return [PdfParagraph(text, styles.note)]


def _mental_health(filing: PrintableFiling, styles: Styles) -> list[Flowable]:
    """The proposed budget for mental, social and emotional health staff this year."""
    cents = filing.mental_health_budget
    return [
        CondPageBreak(2.2 * inch),
        PdfParagraph(f"{escape(MENTAL_HEALTH_TITLE)}<super>1</super>", styles.subheading),
        facts_table(
            [(f"Proposed budget for mental, social and emotional health support staff, school year "
              f"{filing.school_year}", money(cents) if cents is not None else MISSING)],
            styles, label_width=4.2,
        ),
        Spacer(1, 0.05 * inch),
        *_footnote(filing.source("c71-37p-mental-health"), 1, styles),
    ]


def _request(filing: PrintableFiling, styles: Styles) -> list[Flowable]:
    """The request the SRO's assignment rests on: its date, who made it, what it asked."""
    facts = filing.facts
    made_on = agreement_blanks.printed("date", facts.request_on) if facts.request_on else ""
    story: list[Flowable] = [
        CondPageBreak(2.2 * inch),
        PdfParagraph(f"{escape(REQUEST_TITLE)}<super>2</super>", styles.subheading),
        facts_table(
            [("Date of the request", _value(made_on)), ("Made by", _value(facts.request_by)),
             ("What it asked", _value(facts.request_text))],
            styles,
        ),
        Spacer(1, 0.05 * inch),
    ]
    if not facts.request_on or not facts.request_by:
        story.append(PdfParagraph(
            "Since 2020 a district need not have a school resource officer: a chief assigns one only at the "
            "superintendent's request, so the assignment rests on that request. Record its date and who made "
            "it in SRO Desk (Agreement page, Costs tab, Filing Details).", styles.body))
    story += _footnote(filing.source("c71-37p-assign"), 2, styles)
    return story


def _sources(filing: PrintableFiling, styles: Styles) -> list[Flowable]:
    """The legal sources the filing relies on, each with how SRO Desk read it."""
    checked = agreement_blanks.printed("date", filing.sources_checked_on) if filing.sources_checked_on else ""
    rows: list[list] = [[PdfParagraph(t, styles.cell_head)
                         for t in ("Source", "What it requires", "How it was checked", "Checked on")]]
    for source in filing.sources:
        how = escape(source.how_checked) or NOT_RECORDED
        if source.unconfirmed:
            how += f"<br/><i>Not confirmed: {escape(source.unconfirmed)}</i>"
        rows.append([
            PdfParagraph(escape(source.citation), styles.cell),
            PdfParagraph(escape(source.requires), styles.cell),
            PdfParagraph(how, styles.cell),
            PdfParagraph(_value(checked), styles.cell),
        ])
    return [
        heading(SOURCES_TITLE, styles.heading, level=0),
        PdfParagraph(
            "The legal sources this filing relies on, in SRO Desk's own words. Not legal advice: check the "
            "current law before relying on them. DESE gives the filing's due date in its yearly instructions; "
            "no law sets it.", styles.body),
        data_table(rows, [1.4, 2.25, 1.95, 1.1]),
    ]
