"""Filing Details: the yearly DESE filing's own facts, reached from the Agreement page's
Costs tab (contact person, district code, the superintendent's request for an SRO, the
mental-health staffing budget and DESE's due date this year)."""

from __future__ import annotations

from datetime import date

from sro_desk.errors import ValidationError
from sro_desk.records import agreement_blanks
from sro_desk.records.agreements import money
from sro_desk.records.dese_filing import FilingFacts, due_text, load_facts, save_facts
from sro_desk.store import DataFile
from sro_desk.ui.qt import QLabel, QLineEdit, QPlainTextEdit, Qt, QWidget
from sro_desk.ui.training_dialogs import FormDialog


def _note(text: str) -> QLabel:
    """A short grey explanation under a group of fields."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555;")
    return label


def _section(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class FilingDialog(FormDialog):
    """The DESE filing's facts for ``school_year``; OK checks and stores them."""

    def __init__(self, data_file: DataFile, school_year: str, parent: QWidget | None = None,
                 *, today: date | None = None) -> None:
        super().__init__(f"Filing details for DESE, {school_year}", parent)
        self.data_file = data_file
        self.school_year = school_year
        self.today = today
        facts = load_facts(data_file)
        self.facts: FilingFacts = facts

        self.contact_name = QLineEdit(facts.contact_name)
        self.contact_title = QLineEdit(facts.contact_title)
        self.contact_title.setPlaceholderText("e.g. Director of Student Services")
        self.contact_email = QLineEdit(facts.contact_email)
        self.contact_email.setPlaceholderText("name@district.org")
        self.contact_phone = QLineEdit(facts.contact_phone)
        self.contact_phone.setPlaceholderText("e.g. 508-555-0142")
        self.org_code = QLineEdit(facts.org_code)
        self.org_code.setPlaceholderText("8 digits, e.g. 02740000")
        self.org_code.setMaxLength(20)  # room for spaces typed between the digits
        self.due = QLineEdit(facts.due)
        self.due.setPlaceholderText(f"MM-DD (empty: SRO Desk assumes {due_text(FilingFacts())})")
        self.request_on = QLineEdit(facts.request_on)
        self.request_on.setPlaceholderText("YYYY-MM-DD, e.g. 2021-06-01")
        self.request_by = QLineEdit(facts.request_by)
        self.request_by.setPlaceholderText("Name and title, e.g. Dr. Maria Santos, Superintendent")
        self.request_text = QPlainTextEdit(facts.request_text)
        self.request_text.setTabChangesFocus(True)
        self.request_text.setMaximumHeight(70)
        self.request_text.setPlaceholderText("Optional: what the request asked for")
        budget = facts.mental_health_budget(school_year)
        self.mental_health_budget = QLineEdit(f"{budget / 100:,.2f}" if budget is not None else "")
        self.mental_health_budget.setPlaceholderText("0.00")

        self.form.addRow(_section("Contact person for DESE"))
        self.row("&Name:", self.contact_name, "Contact person's name")
        self.row("T&itle:", self.contact_title, "Contact person's title")
        self.row("&Email:", self.contact_email, "Contact person's email")
        self.row("&Phone:", self.contact_phone, "Contact person's phone")
        self.form.addRow(_section("The district at DESE"))
        self.row("District &code:", self.org_code, "DESE district code")
        self.row("DESE's d&ue date this year:", self.due, "DESE's due date this year")
        self.form.addRow(_note(
            "DESE gives the due date in its yearly instructions to superintendents, sent in the summer; no law "
            f"sets it. Enter this year's date from those instructions; until then SRO Desk assumes "
            f"{due_text(FilingFacts())} for the dashboard's reminder."))
        self.form.addRow(_section("The superintendent's request for an SRO"))
        self.row("&Date of the request:", self.request_on, "Date of the superintendent's request")
        self.row("Made &by:", self.request_by, "Who made the request")
        self.row("&What it asked:", self.request_text, "What the request asked")
        self.form.addRow(_note(
            "Since 2020 a district need not have an SRO: a chief assigns one only at the superintendent's "
            "request (G.L. c. 71, \u00a7 37P as summarised by others; SRO Desk has not read the statute's own "
            "words). The filing prints the request, or says it is not recorded."))
        self.form.addRow(_section(f"Mental-health staffing budget, {school_year}"))
        self.row("&Mental-health budget:", self.mental_health_budget,
                 f"Proposed mental-health staffing budget for {school_year}")
        self.form.addRow(_note(
            "Every district, with an SRO or not, files with DESE each year its proposed budget for mental, "
            "social and emotional health support staff (G.L. c. 71, \u00a7 37P, as DESE describes it)."))
        self.resize(560, self.sizeHint().height())

    def fields(self) -> dict[str, QWidget]:
        """Each fact's input by the name ``save_facts`` gives it."""
        return {
            "contact_name": self.contact_name, "contact_title": self.contact_title,
            "contact_email": self.contact_email, "contact_phone": self.contact_phone,
            "org_code": self.org_code, "due": self.due, "request_on": self.request_on,
            "request_by": self.request_by, "request_text": self.request_text,
            "mental_health_budget": self.mental_health_budget,
        }

    def entered(self) -> dict[str, str]:
        return {
            name: widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()
            for name, widget in self.fields().items()
        }

    def save(self) -> FilingFacts:
        try:
            self.facts = save_facts(self.data_file, school_year=self.school_year, today=self.today,
                                    **self.entered())
        except ValidationError as exc:
            widget = self.fields().get(exc.field or "")
            if widget is not None:
                widget.setFocus()  # the person is taken to what needs changing
            raise
        return self.facts


def facts_summary(facts: FilingFacts, school_year: str) -> str:
    """One line per fact group for the Costs tab, "not recorded" where nothing is."""
    missing = "not recorded"
    contact = ", ".join(t for t in (facts.contact_name, facts.contact_title) if t) or missing
    if facts.request_on or facts.request_by:
        made_on = agreement_blanks.printed("date", facts.request_on) if facts.request_on else "date not recorded"
        request = f"{made_on}, by {facts.request_by or 'someone not recorded'}"
    else:
        request = missing
    budget = facts.mental_health_budget(school_year)
    return "\n".join((
        f"DESE contact: {contact}",
        f"DESE district code: {facts.org_code or missing}",
        f"Superintendent's request for an SRO: {request}",
        f"Mental-health staffing budget, {school_year}: "
        + (money(budget) if budget is not None else missing),
        f"DESE's due date this year: {due_text(facts)}" + ("" if facts.due else " (assumed; check DESE's instructions)"),
    ))
