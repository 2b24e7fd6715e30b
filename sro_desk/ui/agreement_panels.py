"""The Agreement page's side panels and dialogs: blanks, checklist, signing, costs,
comparing, and the clause library's updates to a draft."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sro_desk.records import agreement_blanks, agreements
from sro_desk.records.agreements import Agreement, Blank
from sro_desk.records.dese_filing import load_facts
from sro_desk.ui.filing_dialog import FilingDialog, facts_summary
from sro_desk.ui.page import Page
from sro_desk.records.library_updates import LibraryUpdate
from sro_desk.ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
    QMessageBox,
    Signal,
    Qt,
    error_label,
    error_sentence,
    plain,
    scrolling,
)


class BlankField(QWidget):
    """One typed blank: the right input for its kind, read back as raw text or a dict."""

    edited = Signal()

    def __init__(self, blank: Blank, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.blank = blank
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        kind = blank.type
        if kind == "split":
            self.district = QSpinBox()
            self.department = QSpinBox()
            for box, who in ((self.district, "District"), (self.department, "Department")):
                box.setRange(0, 100)
                box.setSuffix(" %")
                box.setAccessibleName(f"{blank.label}: {who} share")
                box.valueChanged.connect(self._split_changed)
            self.total = QLabel()
            # Two short rows rather than one long one: in the narrow Blanks tab a single
            # row squeezed the boxes until their numbers could not be read.
            grid = QGridLayout()
            for row, (who, box) in enumerate((("District", self.district), ("Department", self.department))):
                label = QLabel(who)
                label.setBuddy(box)
                box.setMinimumWidth(box.sizeHint().width())
                grid.addWidget(label, row, 0)
                grid.addWidget(box, row, 1)
            grid.addWidget(self.total, 2, 0, 1, 3)
            grid.setColumnStretch(2, 1)
            layout.addLayout(grid, 1)
            value = blank.value or {"district": 50, "department": 50}
            self.district.setValue(int(value.get("district", 0)))
            self.department.setValue(int(value.get("department", 0)))
            self._split_changed()
            self.input = self.district
        elif kind == "titles":
            self.input = QPlainTextEdit(agreement_blanks.entered(kind, blank.value))
            self.input.setPlaceholderText("One title per line (titles, never names)")
            self.input.setMaximumHeight(80)
            self.input.setTabChangesFocus(True)
            self.input.textChanged.connect(self.edited)
            layout.addWidget(self.input)
        elif kind == "party":
            self.input = QComboBox()
            self.input.setEditable(True)
            # As narrow as the tab: a long choice is read in the open list, not by
            # pushing the whole form past the edge.
            self.input.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            self.input.setMinimumContentsLength(12)
            self.input.addItems(blank.choices)
            self.input.setCurrentText(agreement_blanks.entered(kind, blank.value))
            self.input.currentTextChanged.connect(self.edited)
            layout.addWidget(self.input)
        else:
            self.input = QLineEdit(agreement_blanks.entered(kind, blank.value))
            if kind == "date":
                self.input.setPlaceholderText("YYYY-MM-DD, e.g. 2027-06-30")
            elif kind == "hours":
                self.input.setPlaceholderText("Whole hours, e.g. 12")
            self.input.textEdited.connect(self.edited)
            layout.addWidget(self.input)
        if kind != "split":
            self.input.setAccessibleName(blank.label)
        self.input.setToolTip(blank.help)

    def _split_changed(self) -> None:
        total = self.district.value() + self.department.value()
        self.total.setText("= 100 %" if total == 100 else f"= {total} % (must be 100 %)")
        self.edited.emit()

    def raw(self):
        kind = self.blank.type
        if kind == "split":
            return {"district": self.district.value(), "department": self.department.value()}
        if kind == "titles":
            return self.input.toPlainText()
        if kind == "party":
            return self.input.currentText()
        return self.input.text()


class BlanksPanel(QWidget):
    """Every blank the included clauses use, with Save; errors keep the typing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields: list[BlankField] = []
        self.dirty: set[str] = set()
        self.form_host = QWidget()
        self.form = QFormLayout(self.form_host)
        # Each label over its field: the panel is narrow, and side by side the labels
        # crowded into each other until the divider was dragged.
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        scroll = scrolling(self.form_host)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.error = error_label()
        self.save_button = QPushButton("Save Blan&ks")
        self.save_button.setAccessibleName("Save blanks")
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.save_button)
        layout.addLayout(row)

    def clear(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.fields = []
        self.dirty = set()
        self.error.hide()

    def load(self, agreement: Agreement) -> None:
        self.clear()
        for blank in agreements.used_blanks(agreement):
            field = BlankField(blank)
            label = QLabel(("* " if blank.required else "") + blank.label.replace("&", "&&") + ":")
            label.setBuddy(field.input)
            label.setWordWrap(True)
            label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)  # the row's width
            label.setToolTip(blank.help)
            field.edited.connect(lambda key=blank.key: self._edited(key))
            self.fields.append(field)
            self.form.addRow(label, field)
        self.save_button.setEnabled(False)

    def _edited(self, key: str) -> None:
        self.dirty.add(key)
        self.save_button.setEnabled(self.isEnabled())

    def changed_values(self) -> list[tuple[str, object]]:
        return [(f.blank.key, f.raw()) for f in self.fields if f.blank.key in self.dirty]

    def show_error(self, sentence: str) -> None:
        self.error.setText(sentence)
        self.error.show()


class ChecklistPanel(QWidget):
    """DESE's components ticked or flagged, and the required blanks left empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Completeness checklist")
        self.list.setWordWrap(True)  # a component's whole name, not cut at the edge
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)

    def clear(self) -> None:
        self.list.clear()
        self.summary.clear()

    def load(self, agreement: Agreement) -> None:
        self.list.clear()
        checks = agreements.checklist(agreement)
        for check in checks:
            mark = "✔" if check.covered else "✘ MISSING"
            where = f" — {', '.join(check.clauses)}" if check.clauses else ""
            item = QListWidgetItem(f"{mark}  {check.code} {check.label}{where}")
            if not check.covered:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.list.addItem(item)
        missing = agreements.missing_blanks(agreement)
        for blank in missing:
            item = QListWidgetItem(f"✘ EMPTY  {blank.label}")
            self.list.addItem(item)
        covered = sum(c.covered for c in checks)
        self.summary.setText(
            f"{covered} of {len(checks)} required components covered; "
            f"{len(missing)} required blank(s) empty."
            + (f"<br>Marked ready anyway because: {plain(agreement.ready_reason)}"
               if agreement.ready_reason else "")
        )


class SigningDialog(QDialog):
    """Each signatory's signing date, and the scanned wet-signed copy if there is one."""

    def __init__(self, agreement: Agreement, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Record signing")
        self.scan: Path | None = None
        self.dates: dict[int, QLineEdit] = {}
        form = QFormLayout()
        for signature in agreement.signatures:
            edit = QLineEdit(date.today().isoformat())
            edit.setPlaceholderText("YYYY-MM-DD")
            edit.setAccessibleName(f"Date {signature.name} signed")
            label = QLabel(f"{signature.name}, {signature.title}:".replace("&", "&&"))
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setBuddy(edit)
            form.addRow(label, edit)
            self.dates[signature.id] = edit
        self.scan_label = QLabel("No signed copy attached.")
        self.scan_label.setTextFormat(Qt.TextFormat.PlainText)
        attach = QPushButton("&Attach Signed Copy…")
        attach.setAccessibleName("Attach the scanned signed copy")
        attach.clicked.connect(self._choose_scan)
        self.error = error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("When did each person sign?"))
        layout.addLayout(form)
        row = QHBoxLayout()
        row.addWidget(attach)
        row.addWidget(self.scan_label, 1)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _choose_scan(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Signed copy", "", "PDF or image (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)"
        )
        if name:
            self.scan = Path(name)
            self.scan_label.setText(self.scan.name)

    def signed(self) -> dict[int, str]:
        return {sid: edit.text() for sid, edit in self.dates.items()}


class NewAgreementDialog(QDialog):
    """School year, where to start from, and who the SRO reports to."""

    def __init__(self, existing: list[dict], this_year: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New agreement")
        self.year = QLineEdit(_next_year(existing, this_year))
        self.year.setAccessibleName("School year")
        self.start = QComboBox()
        self.start.setAccessibleName("Start from")
        self.start.addItem("The SRO Desk clause library", None)
        for row in existing:
            self.start.addItem(f"A copy of the {row['school_year']} agreement ({row['title']})", row["id"])
        if existing:
            self.start.setCurrentIndex(1)
        self.supervision = QComboBox()
        self.supervision.setAccessibleName("Who the SRO reports to")
        for key, label in agreements.SUPERVISION.items():
            self.supervision.addItem(label, key)
        self.start.currentIndexChanged.connect(
            lambda: self.supervision.setEnabled(self.start.currentData() is None)
        )
        self.supervision.setEnabled(self.start.currentData() is None)
        self.error = error_label()
        form = QFormLayout()
        for text, widget in (
            ("&School year:", self.year),
            ("Start &from:", self.start),
            ("&The SRO:", self.supervision),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)


def _next_year(existing: list[dict], this_year: str) -> str:
    years = {row["school_year"] for row in existing}
    if this_year not in years:
        return this_year
    first = int(this_year[:4]) + 1
    return f"{first}-{first + 1}"


class CompareDialog(QDialog):
    """Two agreements clause by clause: added, removed and changed text."""

    def __init__(self, older: Agreement, newer: Agreement, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Compare {older.school_year} with {newer.school_year}")
        view = QTextBrowser()
        view.setAccessibleName("Differences between the agreements")
        changes = agreements.compare(older, newer)
        parts = [
            f"<h3>{plain(older.school_year)} → {plain(newer.school_year)}</h3>",
            f"<p>{sum(c.change == 'same' for c in changes)} clause(s) unchanged.</p>",
        ]
        colours = {"added": "#0a6b2b", "removed": "#b00020", "changed": "#1f4e79"}
        for change in changes:
            if change.change == "same":
                continue
            parts.append(
                f'<h4 style="color:{colours[change.change]}">{change.change.capitalize()}: '
                f"{plain(change.title)}</h4>"
            )
            lines = []
            for line in change.lines:
                colour = "#0a6b2b" if line.startswith("+") else "#b00020" if line.startswith("-") else "#444"
                lines.append(f'<span style="color:{colour}">{plain(line)}</span>')
            parts.append("<pre style='white-space:pre-wrap'>" + "\n".join(lines) + "</pre>")
        view.setHtml("\n".join(parts))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(view)
        layout.addWidget(buttons)
        self.resize(760, 560)


class LibraryUpdatesDialog(QDialog):
    """A draft's clauses that the newest clause library edition words differently, and the
    clauses new in it: the draft's text beside the library's, and Take New Text for each.

    ``take`` saves the library's text for the clauses named by key and returns the updates
    still open (the page does the saving and reloads itself)."""

    def __init__(
        self,
        agreement: Agreement,
        updates: list[LibraryUpdate],
        take: Callable[[list[str]], list[LibraryUpdate]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Clause library updates")
        self.agreement = agreement
        self.take = take
        self.updates: list[LibraryUpdate] = []
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Clauses with a library update")
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.what = QLabel()
        self.what.setWordWrap(True)
        self.current = QTextBrowser()
        self.current.setAccessibleName("The clause in this draft")
        self.library = QTextBrowser()
        self.library.setAccessibleName("The clause in the clause library")
        self.current_label = QLabel()
        self.library_label = QLabel()
        for label, view in ((self.current_label, self.current), (self.library_label, self.library)):
            label.setBuddy(view)
        for label in (self.heading, self.what, self.current_label, self.library_label):
            label.setTextFormat(Qt.TextFormat.PlainText)  # a draft's headings are typed text
        self.error = error_label()
        self.take_button = QPushButton("&Take New Text")
        self.take_button.setAccessibleName("Take the library's text for this clause")
        self.take_all_button = QPushButton("Take &All")
        self.take_all_button.setAccessibleName("Take the library's text for every clause listed")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        sides = QHBoxLayout()
        for label, view in ((self.current_label, self.current), (self.library_label, self.library)):
            column = QVBoxLayout()
            column.addWidget(label)
            column.addWidget(view, 1)
            sides.addLayout(column, 1)
        detail = QVBoxLayout()
        detail.addWidget(self.what)
        detail.addLayout(sides, 1)
        body = QHBoxLayout()
        body.addWidget(self.list, 1)
        body.addLayout(detail, 3)
        row = QHBoxLayout()
        row.addWidget(self.take_button)
        row.addWidget(self.take_all_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(body, 1)
        layout.addWidget(self.error)
        layout.addLayout(row)
        self.resize(1040, 640)

        self.list.currentRowChanged.connect(self._show_update)
        self.take_button.clicked.connect(self.take_selected)
        self.take_all_button.clicked.connect(self.take_all)
        self._fill(updates)

    def _fill(self, updates: list[LibraryUpdate], keep: str | None = None) -> None:
        self.updates = list(updates)
        self.list.blockSignals(True)
        self.list.clear()
        for update in self.updates:
            self.list.addItem(QListWidgetItem(f"{update.title} ({update.summary})"))
        self.list.blockSignals(False)
        self.take_button.setEnabled(bool(self.updates))
        self.take_all_button.setEnabled(bool(self.updates))
        drafted = self.agreement.library_version
        if not self.updates:
            self.heading.setText(
                "This draft has every change in the current clause library. It was drafted from "
                f"edition {drafted}; the changes taken are saved and in the change log."
            )
            self.what.clear()
            self.current.clear()
            self.library.clear()
            self.current_label.clear()
            self.library_label.clear()
            return
        edition = self.updates[0].edition
        changed = sum(u.change == "changed" for u in self.updates)
        new = len(self.updates) - changed
        self.heading.setText(
            f"This draft was drafted from clause library {drafted}. Edition {edition} words "
            f"{changed} of its clauses differently and adds {new} that apply to the district. "
            "Take New Text replaces the clause in this draft with the library's (a new clause is "
            "added); each is saved at once and recorded in the change log. Signed agreements "
            "never change."
        )
        keys = [u.key for u in self.updates]
        self.list.setCurrentRow(keys.index(keep) if keep in keys else 0)
        self._show_update(self.list.currentRow())

    def _show_update(self, row: int) -> None:
        if not 0 <= row < len(self.updates):
            return
        update = self.updates[row]
        facts = [f"{update.title}: {update.summary}."]
        if update.statutory and "required by law" not in update.summary:
            facts.append("In the library it is printed in bold: required by law.")
        if update.edited:
            facts.append("This draft's text was edited; taking the library's text replaces that edit.")
        if update.change == "new":
            facts.append("Taking it adds it after the clause it follows in the library.")
        self.what.setText(" ".join(facts))
        self.current_label.setText(
            f"In this draft ({update.current_title}):" if update.change == "changed" else "In this draft:"
        )
        self.library_label.setText(f"In clause library {update.edition}:")
        before, after = _side_by_side(update.current_text, update.text)
        self.current.setHtml(before if update.change == "changed" else "<p><i>Not in this draft.</i></p>")
        self.library.setHtml(after)
        self.error.hide()

    def take_selected(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.updates):
            following = self.updates[row + 1].key if row + 1 < len(self.updates) else None
            self._take([self.updates[row].key], keep=following)

    def take_all(self) -> None:
        edited = [u for u in self.updates if u.edited]
        if edited:
            answer = QMessageBox.question(
                self, "Take all",
                f"{len(edited)} of these clauses were edited in this draft; taking the library's "
                "text replaces those edits. Take the library's text for every clause listed?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._take([u.key for u in self.updates])

    def _take(self, keys: list[str], keep: str | None = None) -> None:
        try:
            updates = self.take(keys)
        except Exception as exc:
            self.error.setText(error_sentence(exc))
            self.error.show()
            return
        self._fill(updates, keep)


def _side_by_side(before: str, after: str) -> tuple[str, str]:
    """Two texts as HTML, line by line: the lines only the first has are marked red (struck
    through), those only the second has green; blank lines only space the paragraphs."""
    old = [line for line in before.splitlines() if line.strip()]
    new = [line for line in after.splitlines() if line.strip()]
    old_marks, new_marks = [""] * len(old), [""] * len(new)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag in ("replace", "delete"):
            old_marks[i1:i2] = ["removed"] * (i2 - i1)
        if tag in ("replace", "insert"):
            new_marks[j1:j2] = ["added"] * (j2 - j1)
    styles = {
        "": "",
        "removed": "background:#fde2e4; color:#8a0015; text-decoration:line-through;",
        "added": "background:#dcf3e3; color:#0a4b22;",
    }

    def html(lines: list[str], marks: list[str]) -> str:
        return "".join(
            f'<p style="margin:0 0 6px 0; {styles[mark]}">{plain(line)}</p>'
            for line, mark in zip(lines, marks)
        )

    return html(old, old_marks), html(new, new_marks)


class CostsPanel(QWidget):
    """The year's costs to the district beside the agreement's split, their total and
    shares, and the DESE filing's own facts (Filing Details…)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.amounts: dict[str, QLineEdit] = {}
        self.notes: dict[str, QLineEdit] = {}
        self.dirty = False
        self.agreement: Agreement | None = None
        #: The filing facts are read when the tab is shown, not with every agreement shown.
        self._facts_pending = False
        form = QFormLayout()
        # Each label over its amount and note: beside them, the narrow tab squeezed the
        # note to "N…" at 125%.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        for key, label in agreements.COST_CATEGORIES.items():
            amount = QLineEdit()
            amount.setPlaceholderText("0.00")
            amount.setAccessibleName(f"{label} amount")
            amount.setMinimumWidth(amount.fontMetrics().horizontalAdvance("000,000.00") + 16)
            note = QLineEdit()
            note.setPlaceholderText("Note (optional)")
            note.setAccessibleName(f"{label} note")
            note.setMinimumWidth(note.fontMetrics().horizontalAdvance("Note (optional)") + 16)
            row = QHBoxLayout()
            row.addWidget(amount)
            row.addWidget(note, 2)
            caption = QLabel(label.replace("&", "&&") + ":")
            caption.setBuddy(amount)
            form.addRow(caption, row)
            self.amounts[key] = amount
            self.notes[key] = note
            amount.textEdited.connect(self._edited)
            note.textEdited.connect(self._edited)
        self.split = QLabel()
        self.split.setWordWrap(True)
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        self.totals.setTextFormat(Qt.TextFormat.PlainText)
        self.totals.setAccessibleName("Total and shares")
        self.error = error_label()
        self.save_button = QPushButton("Save Costs")
        self.save_button.setAccessibleName("Save costs")
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.PlainText)  # names and titles as typed
        self.facts.setAccessibleName("DESE filing details")
        self.details_button = QPushButton("Filing Details\u2026")
        self.details_button.setAccessibleName("Filing details for DESE")
        self.details_button.setToolTip(
            "The DESE filing's contact person, district code, the superintendent's request for an SRO, "
            "the mental-health staffing budget and DESE's due date this year"
        )
        self.details_button.clicked.connect(self.edit_filing_details)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.split)
        layout.addLayout(form)
        layout.addWidget(self.totals)
        layout.addWidget(self.error)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        filing = QHBoxLayout()
        filing.addWidget(self.facts, 1)
        filing.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(filing)
        layout.addStretch(1)

    def _edited(self, *_args) -> None:
        self.dirty = True

    def clear(self) -> None:
        """No agreement shown: nothing of the last one stays in the fields."""
        self.dirty = False
        self.agreement = None
        self._facts_pending = False
        self.heading.clear()
        self.split.clear()
        self.totals.clear()
        self.facts.clear()
        for edit in (*self.amounts.values(), *self.notes.values()):
            edit.clear()
        self.error.hide()

    def load(self, agreement: Agreement) -> None:
        """Show the stored costs, unless the person has typed some not yet saved."""
        self.error.hide()
        self.agreement = agreement
        self._facts_pending = True
        if self.isVisible():
            self._show_facts()
        if self.dirty:
            return
        # The agreement's own year: a past agreement's costs are not "this year's".
        self.heading.setText(
            f"<b>What the program cost the district, {plain(agreement.school_year)}</b> "
            "(DESE asks each year for the district's cost of assigning SROs)"
        )
        costs = {c.category: c for c in agreement.costs}
        for key in agreements.COST_CATEGORIES:
            cost = costs.get(key)
            self.amounts[key].setText(f"{cost.amount_cents / 100:,.2f}" if cost else "")
            self.notes[key].setText(cost.note if cost else "")
        split = agreement.blank("salary_split")
        text = agreement_blanks.printed("split", split.value) if split and split.value else "not set"
        self.split.setText(f"The agreement splits salary and benefits: {plain(text)}.")
        self.totals.setText(costs_sentence(agreements.cost_summary(agreement)))

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self._facts_pending:
            self._show_facts()

    def _page(self) -> Page | None:
        """The page this panel is on: it holds the open file and says when it saved."""
        widget = self.parentWidget()
        while widget is not None and not isinstance(widget, Page):
            widget = widget.parentWidget()
        return widget

    def _show_facts(self) -> None:
        page = self._page()
        if self.agreement is None or page is None or page.data_file is None:
            return
        self._facts_pending = False
        try:
            facts = load_facts(page.data_file)
        except Exception as exc:
            self.facts.setText(error_sentence(exc))
            return
        self.facts.setText(facts_summary(facts, self.agreement.school_year))

    def edit_filing_details(self) -> None:
        """Open Filing Details for the shown agreement's year; on OK show what was saved and
        tell the window, so other pages (the dashboard's due date) read it again."""
        page = self._page()
        if self.agreement is None or page is None or page.data_file is None:
            return
        try:
            dialog = FilingDialog(page.data_file, self.agreement.school_year, self)
        except Exception as exc:
            self.error.setText(error_sentence(exc))
            self.error.show()
            return
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self._show_facts()
        page.saved.emit()

    def values(self) -> dict[str, tuple[int, str]]:
        """Category -> (cents, note) for every filled amount; ValidationError on a bad one."""
        result = {}
        for key, edit in self.amounts.items():
            if edit.text().strip():
                result[key] = (agreements.parse_amount(edit.text()), self.notes[key].text().strip())
        return result


def costs_sentence(costs: agreements.CostSummary) -> str:
    """The stored costs' total and each party's share of salary and benefits, in words."""
    if len(costs.not_recorded) == len(costs.lines):
        return "No costs recorded for this year yet."
    total = f"Total cost to the district: {agreements.money(costs.total_cents)}"
    if costs.not_recorded:
        total += f" ({len(costs.not_recorded)} of {len(costs.lines)} items not recorded)"
    lines = [total + "."]
    if costs.department_salary_cents is not None and costs.split is not None:
        lines.append(
            f"Salary and benefits: the district {costs.split['district']}% "
            f"({agreements.money(costs.district_salary_cents or 0)}), the department "
            f"{costs.split['department']}% ({agreements.money(costs.department_salary_cents)}, worked out), "
            f"in all {agreements.money(costs.whole_salary_cents or 0)}."
        )
    lines += costs.notes
    return "\n".join(lines)
