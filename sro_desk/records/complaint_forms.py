"""The blank complaint form, in the languages the district's families read.

Anyone in the school community may complain about the SRO program, in their own
language and, if they ask, without the SRO learning who they are. The form's fixed
text lives in ``resources/forms/complaint.<language>.json`` (every language has the
same keys); the district adds its name and where the form goes back to.
"""

from __future__ import annotations

from dataclasses import dataclass

from sro_desk.resources import form_languages, read_form_text

#: The languages the complaint form is printed in, in the order they are offered.
#: The languages the complaint form comes in: one file each in resources/forms, so a
#: district adds a language by adding a file.
LANGUAGES = tuple(form_languages("forms", "complaint"))


@dataclass(frozen=True)
class PrintableComplaintForm:
    """A blank complaint form: the district's name, where to return it, and the text."""

    district_name: str
    return_to: str
    text: dict


def form_text(language: str) -> dict:
    """The complaint form's text in ``language``; SroDeskError naming the languages there are."""
    return read_form_text("forms", "complaint", language, "complaint form")


def printable_complaint_form(
    district_name: str, language: str, return_to: str = ""
) -> PrintableComplaintForm:
    """A blank form in ``language``; an empty ``return_to`` prints lines to write it on."""
    return PrintableComplaintForm(
        district_name=district_name or "",
        return_to=return_to or "",
        text=form_text(language),
    )
