"""The live preview of an agreement: the printable data as simple, escaped HTML."""

from __future__ import annotations

import html

from sro_desk.records.agreement_text import Paragraph, PrintableAgreement

_LINE = "_" * 18


def _paragraph(paragraph: Paragraph, statutory: bool) -> str:
    parts = []
    for run in paragraph.runs:
        if run.blank is not None and not run.text:
            text = f'<span style="color:#8a6d00">{_LINE}</span>'
        elif run.blank is not None:
            text = f'<span style="background:#eef4ff">{html.escape(run.text)}</span>'
        else:
            text = html.escape(run.text)
        if run.bold or statutory:
            text = f"<b>{text}</b>"
        parts.append(text)
    body = "".join(parts)
    return f"<li>{body}</li>" if paragraph.bullet else f"<p>{body}</p>"


def preview_html(agreement: PrintableAgreement) -> str:
    """The whole agreement as HTML for a QTextBrowser; every piece of user text escaped."""
    out = [
        f"<h2>{html.escape(agreement.title)}</h2>",
        f"<p><b>School year:</b> {html.escape(agreement.school_year)}<br>"
        f"<b>Parties:</b> {html.escape(agreement.district_name)}; "
        f"{html.escape('; '.join(agreement.department_names))}</p>",
        "<p><i>Bold provisions are required by a statute or regulation (Help &gt; Law and Sources "
        "lists them); the rest follow the state's model agreement or are local choices.</i></p>",
    ]
    if not agreement.signed:
        out.insert(0, '<p style="color:#b00020"><b>DRAFT</b></p>')
    for part in agreement.parts:
        out.append(f"<h3>{html.escape(part.title)}</h3>")
        for clause in part.clauses:
            out.append(f"<h4>{html.escape(clause.number)}. {html.escape(clause.title)}</h4>")
            in_list = False
            for paragraph in clause.paragraphs:
                if paragraph.bullet and not in_list:
                    out.append("<ul>")
                    in_list = True
                elif not paragraph.bullet and in_list:
                    out.append("</ul>")
                    in_list = False
                out.append(_paragraph(paragraph, clause.statutory))
            if in_list:
                out.append("</ul>")
    out.append("<h3>Signatures</h3>")
    for person in agreement.signatories:
        signed = f", signed {html.escape(person.signed_on)}" if person.signed_on else ""
        out.append(
            f"<p>{html.escape(person.name) or _LINE}<br>{html.escape(person.title)}, "
            f"{html.escape(person.organisation)}{signed}</p>"
        )
    return "\n".join(out)
