"""Parts of the Complaints page: the chosen complaint's panel, and the dialogs for the
passphrase, intake, a confidential identity added later, each workflow step, the yearly
notice and the blank form."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sro_desk.errors import ValidationError
from sro_desk.records import complaints
from sro_desk.records.complaints import Complaint, Identity
from sro_desk.resources import LANGUAGE_NAMES, language_name
from sro_desk.store import DataFile, crypto
from sro_desk.ui.enforcement_form import choice_combo, choose, wrapped_label
from sro_desk.ui.qt import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    plain,
    scrolling,
)
from sro_desk.ui.training_dialogs import FormDialog

#: Minutes without a key press or a click after which unlocked identities lock again.
IDLE_MINUTES = 15
NOT_A_SCHOOL = "(not a single school)"
LOCKED_IDENTITY = "Unlock with the district passphrase to record a confidential identity"
NO_PASSPHRASE_YET = "No district passphrase is set yet; set one to record a confidential identity"
GAVE_NONE = "The complainant gave no name or contact"
NO_RECOVERY = (
    "Write the passphrase down and keep it somewhere safe. A lost passphrase cannot be "
    "recovered: no one, not even SRO Desk's makers, can read confidential identities without it."
)
COMMUNICATION_METHODS = ("Letter", "Phone call", "Meeting", "Email")


def editable_combo(name: str, choices=()) -> QComboBox:
    """A combo offering ``choices`` in which anything else can be typed."""
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.addItems(list(choices))
    combo.lineEdit().setAccessibleName(name)
    return combo


def language_combo(name: str, current: str = "en") -> QComboBox:
    """An editable combo of the usual languages; another is typed in."""
    combo = editable_combo(name, LANGUAGE_NAMES.values())
    combo.lineEdit().setPlaceholderText("or type another language")
    combo.setCurrentText(language_name(current))
    return combo


def date_edit(text: str | None = None) -> QLineEdit:
    """A date typed as YYYY-MM-DD, today unless ``text`` is given."""
    edit = QLineEdit(date.today().isoformat() if text is None else text)
    edit.setPlaceholderText("YYYY-MM-DD")
    return edit


def add_row(form: QFormLayout, text: str, widget: QWidget, accessible: str) -> None:
    label = QLabel(text)
    label.setBuddy(widget)
    widget.setAccessibleName(accessible)
    form.addRow(label, widget)


def text_box(placeholder: str, height: int) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setPlaceholderText(placeholder)
    box.setMinimumHeight(height)
    box.setMaximumHeight(height * 2)
    return box


# -- the chosen complaint -----------------------------------------------------------------


def _shown(choices: dict[str, str], key: str) -> str:
    """A choice's label, escaped for a rich-text label (an unknown key as stored)."""
    return plain(choices.get(key, key))


def _identity_lines(identity: Identity) -> list[str]:
    return [f"{what}: {text}" for what, text in
            (("Name", identity.name), ("Contact", identity.contact), ("Details", identity.details)) if text]


class ComplaintPanel(QWidget):
    """The chosen complaint: what it is about, its timeline, the complainant, the next step.

    The buttons sit in a fixed place above what grows (the details, the description and
    the timeline scroll beneath them), so a button never moves under the pointer. The
    identity is shown in a plain-text label; other typed text is escaped.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # One line that never wraps, so the buttons below it stay where they are.
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setAccessibleName("Complaint")
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = wrapped_label("Complaint details")
        self.description = wrapped_label("Description", rich=False)
        self.timeline = wrapped_label("Timeline")
        self.identity_text = wrapped_label("Complainant's identity", rich=False)
        self.reveal_button = QPushButton("Re&veal Identity")
        self.identity_button = QPushButton("Add Iden&tity…")
        self.acknowledge_button = QPushButton("&Acknowledge…")
        self.review_button = QPushButton("Start Revie&w…")
        self.finding_button = QPushButton("Record F&inding…")
        self.communication_button = QPushButton("Record &Communication…")
        self.close_button = QPushButton("Clo&se…")
        self.void_button = QPushButton("V&oid…")
        #: Beside the workflow, at any step: a complaint about an officer passed to the police
        #: department, whose head must act on it (555 CMR 1.01(1)). Shown for those alone.
        self.pass_button = QPushButton("&Record Passed to Department…")
        #: The workflow, in the order its steps must be taken.
        self.step_buttons = [self.acknowledge_button, self.review_button, self.finding_button,
                             self.communication_button, self.close_button]
        for button in (self.reveal_button, self.identity_button, *self.step_buttons, self.void_button,
                       self.pass_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
        steps_box = QGroupBox("Next step")
        steps = QGridLayout(steps_box)
        for index, button in enumerate([*self.step_buttons, self.void_button]):
            steps.addWidget(button, index // 2, index % 2)
        steps.addWidget(self.pass_button, 3, 0, 1, 2)
        identity_box = QGroupBox("Complainant")
        identity_layout = QVBoxLayout(identity_box)
        identity_buttons = QHBoxLayout()
        identity_buttons.addWidget(self.reveal_button)
        identity_buttons.addWidget(self.identity_button)
        identity_buttons.addStretch(1)
        identity_layout.addLayout(identity_buttons)
        identity_layout.addWidget(self.identity_text)
        timeline_box = QGroupBox("Timeline")
        QVBoxLayout(timeline_box).addWidget(self.timeline)
        growing = QWidget()
        growing_layout = QVBoxLayout(growing)
        growing_layout.setContentsMargins(0, 0, 4, 0)
        for widget in (self.details, self.description, timeline_box):
            growing_layout.addWidget(widget)
        growing_layout.addStretch(1)
        self.scroll = scrolling(growing)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.heading, steps_box, identity_box):
            layout.addWidget(widget)
        layout.addWidget(self.scroll, 1)
        self.setTabOrder(self.close_button, self.void_button)
        self.setTabOrder(self.void_button, self.pass_button)
        self.setTabOrder(self.pass_button, self.reveal_button)
        self.setTabOrder(self.reveal_button, self.identity_button)

    def show_complaint(self, complaint: Complaint | None, *, schools: list[tuple[int, str]], late: str = "",
                       revealed: Identity | None = None, unlocked: bool = False, empty: str = "",
                       pass_by: str = "") -> None:
        """Show ``complaint`` (``empty`` when there is none); ``revealed`` is its identity if just
        revealed; ``pass_by`` the date a complaint about an officer is to be passed on by."""
        if complaint is None:
            self.heading.setText("<b>No complaint chosen</b>")
            self.details.setText(plain(empty))
            for label in (self.description, self.timeline, self.identity_text):
                label.setText("")
            self.reveal_button.hide()
            self.identity_button.hide()
            return
        status = "voided" if complaint.voided else complaint.status
        self.heading.setText(f"<b>Complaint {complaint.id}</b> · {plain(status)}")
        school = next((name for sid, name in schools if sid == complaint.school_id), "not a single school")
        lines = [
            f"{_shown(complaints.TRACKS, complaint.track)}, received {plain(complaint.received_on)} "
            f"({_shown(complaints.CHANNELS, complaint.channel).lower()}).",
            f"From: {_shown(complaints.ROLES, complaint.complainant_role)}; "
            f"prefers {plain(language_name(complaint.preferred_language))}"
            f"{'; needs an interpreter' if complaint.interpreter else ''}.",
            f"About: {_shown(complaints.SUBJECTS, complaint.subject)} · "
            f"{_shown(complaints.CATEGORIES, complaint.category)} · School: {plain(school)}"
            + (f" · Happened {plain(complaint.incident_on)}" if complaint.incident_on else ""),
        ]
        if complaint.never_minor:
            lines.append(f"<b>{plain(complaints.NEVER_MINOR[0].upper() + complaints.NEVER_MINOR[1:])}:</b> it alleges "
                         f"{_shown(complaints.CATEGORIES, complaint.category).lower()}, so the police department "
                         "cannot treat it as a minor matter to resolve internally.")
        if complaint.about_an_officer:
            if complaint.passed_on:
                to = f" ({plain(complaint.passed_to)})" if complaint.passed_to else ""
                lines.append(f"Passed to the police department on {plain(complaint.passed_on)}{to}.")
            elif complaint.communicated_on or complaint.voided:
                lines.append("Not recorded as passed to the police department.")
            else:
                by = f" by {plain(pass_by)}" if pass_by else ""
                lines.append(f"Not yet recorded as passed to the police department: pass it on{by}; the department "
                             "must act on it within two days of receiving it (555 CMR 1.01(1)).")
        if complaint.voided:
            lines.append(f"<b>Voided:</b> {plain(complaint.void_reason)}")
        if late:
            lines.append(f"<b style='color:#b00020'>Late:</b> {plain(late)}")
        self.details.setText("<br>".join(lines))
        self.description.setText(complaint.description)
        self.timeline.setText("<br>".join(f"{plain(day)} — {plain(what)}" for day, what in complaint.timeline()))
        self._show_identity(complaint, revealed, unlocked)

    def _show_identity(self, complaint: Complaint, revealed: Identity | None, unlocked: bool) -> None:
        self.reveal_button.setVisible(complaint.confidential)
        self.identity_button.setVisible(complaint.confidential)
        if not complaint.confidential:
            lines = _identity_lines(complaint.identity) if complaint.identity else []
            self.identity_text.setText("\n".join(lines) or "No name or contact was recorded.")
            return
        later = ("Use Add Identity… if they give one later." if unlocked else
                 "Unlock with the district passphrase to add one if they give it later.")
        if revealed is not None and not revealed.empty():
            self.identity_text.setText(
                "\n".join(["Confidential complainant, shown to you (the reveal is logged):",
                           *_identity_lines(revealed)]))
        elif complaint.has_sealed_identity and revealed is None:
            hint = ("Each reveal is logged: who, when, which complaint." if unlocked else
                    "Unlock with the district passphrase to reveal the identity; each reveal is logged.")
            self.identity_text.setText(f"Confidential complainant\n{hint}")
        elif complaint.identity_withheld:
            self.identity_text.setText(
                f"Confidential complainant; they gave no name or contact (as recorded at intake). {later}")
        else:
            self.identity_text.setText(f"Confidential complainant; no name or contact was recorded. {later}")

    def enable(self, complaint: Complaint | None, *, editable: bool, can_reveal: bool,
               unlocked: bool = False) -> None:
        """Only the next step of the workflow; Void until voided; Reveal when it may be; the
        identity added or corrected while unlocked."""
        active = editable and complaint is not None and not complaint.voided
        next_step = -1
        if complaint is not None:
            done = [complaint.acknowledged_on, complaint.review_started_on, complaint.finding_on,
                    complaint.communicated_on, complaint.closed_on]
            next_step = next((i for i, when in enumerate(done) if not when), len(done))
        for index, button in enumerate(self.step_buttons):
            button.setEnabled(active and index == next_step)
        self.void_button.setEnabled(active)
        about_an_officer = complaint is not None and complaint.about_an_officer
        self.pass_button.setVisible(about_an_officer)
        self.pass_button.setEnabled(active and about_an_officer and not complaint.passed_on)
        self.reveal_button.setEnabled(
            can_reveal and complaint is not None and complaint.confidential and complaint.has_sealed_identity)
        correct = complaint is not None and complaint.has_sealed_identity
        self.identity_button.setText("Correct Iden&tity…" if correct else "Add Iden&tity…")
        self.identity_button.setAccessibleName("Correct Identity" if correct else "Add Identity")
        self.identity_button.setEnabled(active and unlocked and complaint.confidential)


# -- the passphrase ----------------------------------------------------------------------


def password_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class PassphraseDialog(FormDialog):
    """Set the district passphrase (or change it, when unlocked), typed twice."""

    def __init__(self, data_file: DataFile, current: crypto.IdentityKey | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("Change the District Passphrase" if current else "Set the District Passphrase", parent)
        self.data_file = data_file
        self.current = current
        self.key: crypto.IdentityKey | None = None
        self.warning = wrapped_label("Warning", rich=False)
        self.warning.setText(NO_RECOVERY)
        self.warning.setStyleSheet("font-weight: bold;")
        self.form.insertRow(0, self.warning)
        self.explain = wrapped_label("What the passphrase does", rich=False)
        self.explain.setText(
            "It seals every confidential complainant's identity in this file; everyone who may see "
            "identities (the superintendent, say) uses the same one. "
            f"Use at least {crypto.MIN_PASSPHRASE} characters, e.g. four unrelated words."
            + (" Changing it re-seals every identity with the new one." if current else "")
        )
        self.form.insertRow(1, self.explain)
        self.passphrase = password_edit()
        self.again = password_edit()
        self.row("New &passphrase:", self.passphrase, "New passphrase")
        self.row("Type it a&gain:", self.again, "New passphrase again")
        self.setMinimumWidth(480)

    def save(self):
        if self.passphrase.text() != self.again.text():
            raise ValidationError("The two passphrases differ; type the same one in both boxes.")
        crypto.check_passphrase_strength(self.passphrase.text())
        self.key = complaints.set_passphrase(self.data_file, self.passphrase.text(), current=self.current)
        self.passphrase.clear()
        self.again.clear()
        return None


class UnlockDialog(FormDialog):
    """Unlock confidential identities for this session with the district passphrase."""

    def __init__(self, data_file: DataFile, parent: QWidget | None = None) -> None:
        super().__init__("Unlock Confidential Identities", parent)
        self.data_file = data_file
        self.key: crypto.IdentityKey | None = None
        note = wrapped_label("About unlocking", rich=False)
        note.setText(
            f"Identities stay unlocked on this computer only, until you lock them, open another "
            f"file, or leave SRO Desk untouched for {IDLE_MINUTES} minutes."
        )
        self.form.insertRow(0, note)
        self.passphrase = password_edit()
        self.row("District &passphrase:", self.passphrase, "District passphrase")
        self.setMinimumWidth(420)

    def save(self):
        try:
            self.key = complaints.unlock(self.data_file, self.passphrase.text())
        except Exception:
            self.passphrase.selectAll()
            self.passphrase.setFocus()
            raise
        self.passphrase.clear()
        return None


def ask_for_key(data_file: DataFile, parent: QWidget) -> tuple[crypto.IdentityKey, bool] | None:
    """Set the district passphrase when none is set yet, else unlock with it.

    The one way to the identity key, from the page's lock bar and from inside the New
    Complaint dialog: (the key, whether the passphrase was just set), or None if cancelled.
    """
    setting = not complaints.passphrase_is_set(data_file)
    dialog = PassphraseDialog(data_file, None, parent) if setting else UnlockDialog(data_file, parent)
    accepted = dialog.exec()
    key = dialog.key
    dialog.deleteLater()
    return (key, setting) if accepted and key is not None else None


# -- intake ------------------------------------------------------------------------------


class IntakeDialog(FormDialog):
    """Record a new complaint, or an officer's concern, as it came in."""

    def __init__(self, data_file: DataFile, schools: list[tuple[int, str]],
                 key: Callable[[], crypto.IdentityKey | None], parent: QWidget | None = None, *,
                 open_identities: Callable[[QWidget], crypto.IdentityKey | None] | None = None) -> None:
        """``key`` gives the unlocked key (or None); ``open_identities(dialog)`` sets or
        unlocks the passphrase the page's way and gives the key (``ask_for_key`` without one)."""
        super().__init__("New Complaint", parent)
        self.data_file = data_file
        self._page_key = key
        self._open_identities = open_identities
        #: The key got here when no page lends its own.
        self._own_key: crypto.IdentityKey | None = None
        self.track = choice_combo(complaints.TRACKS, None)
        self.track.setMinimumContentsLength(30)  # the two tracks differ only at their ends
        self.subject = QComboBox()
        self.received = date_edit()
        self.channel = choice_combo(complaints.CHANNELS, None)
        self.school = QComboBox()
        self.school.addItem(NOT_A_SCHOOL, None)
        for school_id, name in schools:
            self.school.addItem(name, school_id)
        self.incident = date_edit("")
        self.incident.setPlaceholderText("YYYY-MM-DD, if known")
        self.category = choice_combo(complaints.CATEGORIES, None)
        self.role = choice_combo(complaints.ROLES, None)
        choose(self.role, "parent")
        self.language = language_combo("Preferred language")
        self.interpreter = QCheckBox("Needs an &interpreter")
        self.interpreter.setAccessibleName("Needs an interpreter")
        self.confidential = QCheckBox("&Confidential: keep the identity from the SRO")
        self.confidential.setAccessibleName("Confidential")
        self.locked_note = wrapped_label("Confidential identity locked", rich=False)
        self.locked_note.setText(LOCKED_IDENTITY)
        self.locked_note.setStyleSheet("color: #8a4b00;")
        self.open_button = QPushButton("Set &Passphrase…")
        self.open_button.setAccessibleName("Set Passphrase")
        self.no_identity = QCheckBox("The complainant ga&ve no name or contact")
        self.no_identity.setAccessibleName(GAVE_NONE)
        self.name = QLineEdit()
        self.contact = QLineEdit()
        self.contact.setPlaceholderText("Phone, email or address")
        self.details = QLineEdit()
        self.details.setPlaceholderText("Anything else that identifies the complainant")
        self.description = text_box("What happened, in the complainant's words where possible.", 90)

        complaint_box = QGroupBox("The complaint")
        left = QFormLayout(complaint_box)
        add_row(left, "&Track:", self.track, "Track")
        add_row(left, "A&bout:", self.subject, "Who the complaint is about")
        add_row(left, "&Received on:", self.received, "Date received")
        add_row(left, "C&hannel:", self.channel, "How it came in")
        add_row(left, "&School:", self.school, "School")
        add_row(left, "Happened &on:", self.incident, "Date it happened")
        add_row(left, "Cate&gory:", self.category, "Kind of complaint")
        person_box = QGroupBox("The complainant")
        right = QFormLayout(person_box)
        add_row(right, "Rol&e:", self.role, "Complainant's role")
        add_row(right, "Preferred &language:", self.language, "Preferred language")
        right.addRow(self.interpreter)
        right.addRow(self.confidential)  # the whole row: its text is long
        locked_row = QHBoxLayout()
        locked_row.addWidget(self.locked_note, 1)
        locked_row.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignTop)
        right.addRow(locked_row)
        right.addRow(self.no_identity)
        add_row(right, "Na&me:", self.name, "Complainant's name")
        add_row(right, "Cont&act:", self.contact, "Complainant's contact")
        add_row(right, "I&dentifying details:", self.details, "Identifying details")
        columns = QHBoxLayout()
        columns.addWidget(complaint_box, 1)
        columns.addWidget(person_box, 1)
        self.extra.addLayout(columns)
        description = QFormLayout()
        add_row(description, "Descriptio&n:", self.description, "Description")
        self.extra.addLayout(description)
        self.setMinimumWidth(820)

        self.track.currentIndexChanged.connect(self._track_changed)
        self.confidential.toggled.connect(lambda _on: self.update_identity())
        self.open_button.clicked.connect(self.open_identities)
        self._track_changed()
        self.update_identity()

    def _track_changed(self, *_args) -> None:
        track = self.track.currentData()
        keep = self.subject.currentData()
        self.subject.clear()
        for key, label in complaints.SUBJECTS.items():
            if key in complaints.TRACK_SUBJECTS[track]:
                self.subject.addItem(label, key)
        choose(self.subject, keep)
        if track == "sro_concern":
            choose(self.role, "officer")

    def key(self) -> crypto.IdentityKey | None:
        return self._page_key() or self._own_key

    def update_identity(self) -> None:
        """A confidential identity can only be typed when it can be sealed: until then the
        dialog offers to set or unlock the passphrase, or to record that none was given."""
        confidential = self.confidential.isChecked()
        if confidential:
            self._was_confidential = True
        locked = confidential and self.key() is None
        for field in (self.name, self.contact, self.details):
            field.setEnabled(not locked)
        is_set = not locked or complaints.passphrase_is_set(self.data_file)
        self.locked_note.setText(LOCKED_IDENTITY if is_set else NO_PASSPHRASE_YET)
        self.locked_note.setVisible(locked)
        self.open_button.setText("&Unlock…" if is_set else "Set &Passphrase…")
        self.open_button.setAccessibleName("Unlock" if is_set else "Set Passphrase")
        self.open_button.setVisible(locked)
        self.no_identity.setVisible(confidential)

    def open_identities(self) -> None:
        """Set or unlock the passphrase here; what is typed stays, and Name and Contact open."""
        if self._open_identities is not None:
            key = self._open_identities(self)
        else:
            got = ask_for_key(self.data_file, self)
            key = got[0] if got else None
            self._own_key = key or self._own_key
        self.update_identity()
        if key is not None:
            self.error.hide()
            self.name.setFocus()

    def _needs_identity(self) -> str:
        """What to do when a confidential complaint has no identity and none was said to be given."""
        tick = f'tick "{GAVE_NONE}"; nothing was saved.'
        if self.key() is not None:
            return f"Type the complainant's name or contact, or {tick}"
        press = "Unlock…" if complaints.passphrase_is_set(self.data_file) else "Set Passphrase…"
        return f"Press {press} and type the complainant's name or contact, or {tick}"

    def save(self):
        # The key may have gone (idle) since Name and Contact opened: offer Unlock again.
        self.update_identity()
        complaint = Complaint(
            received_on=self.received.text(), channel=self.channel.currentData(),
            subject=self.subject.currentData() or "", category=self.category.currentData(),
            description=self.description.toPlainText(), track=self.track.currentData(),
            complainant_role=self.role.currentData(), preferred_language=language_name(self.language.currentText()),
            interpreter=self.interpreter.isChecked(), confidential=self.confidential.isChecked(),
            school_id=self.school.currentData(), incident_on=self.incident.text().strip(),
            identity_withheld=self.confidential.isChecked() and self.no_identity.isChecked(),
        )
        identity = Identity(self.name.text().strip(), self.contact.text().strip(), self.details.text().strip())
        if complaint.confidential and complaint.identity_withheld and not identity.empty():
            raise ValidationError(f'Clear the name, contact and details, or untick "{GAVE_NONE}".')
        if complaint.confidential and not complaint.identity_withheld and identity.empty():
            raise ValidationError(self._needs_identity())
        if not complaint.confidential and getattr(self, "_was_confidential", False) and not identity.empty():
            # Typed as confidential, then unticked (perhaps because the page was locked):
            # never save that identity in the open without the person saying so.
            answer = QMessageBox.question(
                self, "SRO Desk",
                "Save this complainant's identity without protection, so that the SRO and "
                "anyone opening the file can read it?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                raise ValidationError(
                    "Nothing was saved; tick Confidential and unlock with the district passphrase "
                    "to protect the identity."
                )
        return complaints.save_complaint(self.data_file, complaint, identity, key=self.key())


class IdentityDialog(FormDialog):
    """Add a confidential complainant's identity after intake, or correct it; sealed with
    the district passphrase when saved, and the change logged without the identity."""

    def __init__(self, data_file: DataFile, complaint: Complaint, key: Callable[[], crypto.IdentityKey | None],
                 current: Identity | None = None, parent: QWidget | None = None) -> None:
        correcting = complaint.has_sealed_identity
        super().__init__(f"{'Correct' if correcting else 'Add'} the Complainant's Identity: "
                         f"Complaint {complaint.id}", parent)
        self.data_file, self.complaint, self.key = data_file, complaint, key
        note = wrapped_label("About the identity", rich=False)
        note.setText("The identity is sealed with the district passphrase. The change log records that it was "
                     "added or corrected, and by whom, never what it is.")
        self.form.addRow(note)
        current = current or Identity()
        self.name = QLineEdit(current.name)
        self.contact = QLineEdit(current.contact)
        self.contact.setPlaceholderText("Phone, email or address")
        self.details = QLineEdit(current.details)
        self.details.setPlaceholderText("Anything else that identifies the complainant")
        self.row("&Name:", self.name, "Complainant's name")
        self.row("Cont&act:", self.contact, "Complainant's contact")
        self.row("I&dentifying details:", self.details, "Identifying details")
        self.setMinimumWidth(460)

    def save(self):
        identity = Identity(self.name.text(), self.contact.text(), self.details.text())
        complaints.save_identity(self.data_file, self.complaint, identity, key=self.key())


# -- the workflow ------------------------------------------------------------------------


class StepDialog(FormDialog):
    """One step of a complaint's workflow: a date and what the step needs."""

    def __init__(self, title: str, date_label: str, date_name: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.on = date_edit()
        self.row(date_label, self.on, date_name)
        self.setMinimumWidth(420)


class AcknowledgeDialog(StepDialog):
    def __init__(self, data_file: DataFile, complaint: Complaint, parent: QWidget | None = None) -> None:
        super().__init__(f"Acknowledge Complaint {complaint.id}", "&Acknowledged on:", "Date acknowledged", parent)
        self.data_file, self.complaint = data_file, complaint

    def save(self):
        complaints.acknowledge(self.data_file, self.complaint, self.on.text())


class ReviewDialog(StepDialog):
    def __init__(self, data_file: DataFile, complaint: Complaint, parent: QWidget | None = None) -> None:
        super().__init__(f"Start the Review of Complaint {complaint.id}", "Review &started on:",
                         "Date the review started", parent)
        self.data_file, self.complaint = data_file, complaint
        self.reviewer = QLineEdit()
        self.reviewer.setPlaceholderText("e.g. Assistant Superintendent")
        self.row("&Reviewer:", self.reviewer, "Reviewer")
        self.police = QCheckBox("The police department reviews it under its own &process too")
        self.police.setAccessibleName("Police department process")
        self.form.addRow("", self.police)

    def save(self):
        complaints.start_review(self.data_file, self.complaint, self.on.text(), self.reviewer.text(),
                                police_process=self.police.isChecked())


class FindingDialog(StepDialog):
    def __init__(self, data_file: DataFile, complaint: Complaint, parent: QWidget | None = None) -> None:
        super().__init__(f"Finding on Complaint {complaint.id}", "Finding &made on:", "Date of the finding", parent)
        self.data_file, self.complaint = data_file, complaint
        self.finding = choice_combo(complaints.FINDINGS, "Choose…")
        self.row("&Finding:", self.finding, "Finding")

    def save(self):
        complaints.record_finding(self.data_file, self.complaint, self.finding.currentData(), self.on.text())


class CommunicationDialog(StepDialog):
    def __init__(self, data_file: DataFile, complaint: Complaint, parent: QWidget | None = None) -> None:
        super().__init__(f"Resolution Told: Complaint {complaint.id}", "&Told on:",
                         "Date the complainant was told", parent)
        self.data_file, self.complaint = data_file, complaint
        self.method = editable_combo("How the complainant was told", COMMUNICATION_METHODS)
        self.language = language_combo("Language used", complaint.preferred_language)
        self.row("&How:", self.method, "How the complainant was told")
        self.row("In &language:", self.language, "Language used")

    def save(self):
        complaints.record_communication(self.data_file, self.complaint, self.on.text(),
                                        self.method.currentText(), language_name(self.language.currentText()))


class CloseDialog(StepDialog):
    def __init__(self, data_file: DataFile, complaint: Complaint, parent: QWidget | None = None) -> None:
        super().__init__(f"Close Complaint {complaint.id}", "&Closed on:", "Date closed", parent)
        self.data_file, self.complaint = data_file, complaint

    def save(self):
        complaints.close(self.data_file, self.complaint, self.on.text())


class PassedDialog(StepDialog):
    """When (and to whom) a complaint about an officer was passed to the police department."""

    def __init__(self, data_file: DataFile, complaint: Complaint, parent: QWidget | None = None) -> None:
        super().__init__(f"Passed to the Police Department: Complaint {complaint.id}", "&Passed on:",
                         "Date passed to the police department", parent)
        self.data_file, self.complaint = data_file, complaint
        self.passed_to = QLineEdit()
        self.passed_to.setPlaceholderText("e.g. Chief of Police (a title is enough)")
        self.row("&To whom:", self.passed_to, "Passed to whom")
        self.note = note = wrapped_label("About passing it on", rich=False)
        never = (f" This complaint alleges {complaints.CATEGORIES[complaint.category].lower()}: "
                 f"{complaints.NEVER_MINOR}, so the department cannot resolve it internally as a minor matter."
                 if complaint.never_minor else "")
        confidential = (" The complainant asked that their identity be kept from the SRO: pass on the complaint "
                        "without it unless they agree." if complaint.confidential else "")
        note.setText(
            "POST's rules give the head of the police department two days from receiving a complaint about one "
            "of its officers to act on it (555 CMR 1.01(1); POST's guidance says two business days). Acting on "
            "it is the department's duty; the district's part is to pass it on promptly and record when."
            + never + confidential
        )
        self.form.insertRow(0, note)
        self.setMinimumWidth(480)

    def save(self):
        complaints.record_passed_to_department(self.data_file, self.complaint, self.on.text(), self.passed_to.text())


class VoidDialog(FormDialog):
    """Void a complaint entered by mistake; it stays in the record."""

    def __init__(self, data_file: DataFile, complaint: Complaint, parent: QWidget | None = None) -> None:
        super().__init__(f"Void Complaint {complaint.id}", parent)
        self.data_file, self.complaint = data_file, complaint
        self.warning = wrapped_label("Warning", rich=False)
        self.warning.setText(
            "Void only a complaint entered by mistake (a duplicate, say). It is never deleted: it stays "
            "in the record and the audit log, marked voided with your reason, and stops moving on."
        )
        self.warning.setStyleSheet("font-weight: bold;")
        self.form.addRow(self.warning)
        self.reason = text_box("Why this complaint is voided, in a sentence.", 70)
        self.row("&Reason:", self.reason, "Reason for voiding")
        self.setMinimumWidth(460)

    def save(self):
        complaints.void(self.data_file, self.complaint, self.reason.toPlainText())


# -- the yearly notice and printing ------------------------------------------------------


class NoticeDialog(FormDialog):
    """When and how students, families or staff were told about the complaint system."""

    def __init__(self, data_file: DataFile, school_year: str, parent: QWidget | None = None) -> None:
        super().__init__(f"Notice of the Complaint System, {school_year}", parent)
        self.data_file, self.school_year = data_file, school_year
        self.given_on = date_edit()
        self.method = choice_combo(complaints.NOTICE_METHODS, "Choose…")
        self.audience = choice_combo(complaints.AUDIENCES, "Choose…")
        self.notes = QLineEdit()
        self.notes.setPlaceholderText("e.g. page 14 of the handbook")
        self.row("&Given on:", self.given_on, "Date of the notice")
        self.row("&How:", self.method, "How the notice was given")
        self.row("&To whom:", self.audience, "Who was told")
        self.row("&Notes:", self.notes, "Notes")
        self.setMinimumWidth(420)

    def save(self):
        return complaints.record_notice(self.data_file, self.school_year, self.given_on.text(),
                                        self.method.currentData(), self.audience.currentData(), self.notes.text())


class FormLanguageDialog(FormDialog):
    """Choose the language of a blank complaint form."""

    def __init__(self, languages: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__("Blank Complaint Form", parent)
        self.language = QComboBox()
        for code, label in languages:
            self.language.addItem(label, code)
        self.row("&Language:", self.language, "Language of the form")
        note = wrapped_label("About the form", rich=False)
        note.setText("The form tells people they may complain in their own language and keep their "
                     "name from the SRO; hand it out, or leave copies in each school's office.")
        self.form.addRow(note)
        self.setMinimumWidth(420)

    def save(self):
        return self.language.currentData()
