"""Dialogs of the Meetings page: a meeting with its people and action items, marking an
action item done, the months the monthly meeting counts in, and a meeting's documents."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from sro_desk.errors import ConflictError, SroDeskError, ValidationError
from sro_desk.records import meetings as mt
from sro_desk.records.attachments import attachment_data, read_document
from sro_desk.records.meetings import ActionItem, Attendee, Meeting
from sro_desk.records.settings import MONTHS
from sro_desk.store import DataFile
from sro_desk.ui.complaints_dialogs import add_row, date_edit, text_box
from sro_desk.ui.conflict import ConflictDialog
from sro_desk.ui.district_form import RowsEditor
from sro_desk.ui.enforcement_form import choice_combo, choose, wrapped_label
from sro_desk.ui.qt import (
    open_in_viewer,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QStyledItemDelegate,
    Qt,
    QVBoxLayout,
    QWidget,
    error_label,
    error_sentence,
    plain_sentence,
)
from sro_desk.ui.training_dialogs import FormDialog

#: Roles offered in the attendee list; anything else can be typed.
ROLES = ("SRO", "Chief", "Superintendent", "Principal", "Teacher", "Parent", "Student", "Administrator")
#: The roles a new meeting of each kind starts with, from who usually attends it.
SUGGESTED_ROLES: dict[str, tuple[str, ...]] = mt.USUAL_ROLES
ACTION_COLUMNS = ["Action", "Owner", "Due (YYYY-MM-DD)", "Done (YYYY-MM-DD)"]
_ID = Qt.ItemDataRole.UserRole


class RoleDelegate(QStyledItemDelegate):
    """Edits a role cell with the usual roles offered and any other typed in."""

    def createEditor(self, parent, option, index):  # noqa: N802 (Qt's name)
        combo = QComboBox(parent)
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.addItems(list(ROLES))
        combo.setAccessibleName("Role")
        combo.lineEdit().setAccessibleName("Role")
        return combo

    def setEditorData(self, editor, index):  # noqa: N802 (Qt's name)
        editor.setCurrentText(index.data() or "")

    def setModelData(self, editor, model, index):  # noqa: N802 (Qt's name)
        model.setData(index, editor.currentText().strip())


def enter_presses_focused_buttons(page: QWidget) -> None:
    """Make Enter press whichever of a page's buttons has the focus, as Space does, and
    none of them a default that would take Enter from another. (Outside a dialog a Qt
    button ignores Enter unless it is an auto-default button; none is ever the default.)"""
    for button in page.findChildren(QPushButton):
        button.setDefault(False)
        button.setAutoDefault(True)


def _rows_editor(headers: list[str], noun: str, name: str, add_text: str, remove_text: str) -> RowsEditor:
    editor = RowsEditor(headers, noun=noun, accessible_name=name)
    editor.add_button.setText(add_text)
    # A new row opens for typing at once (clicked's own argument would say otherwise).
    editor.add_button.clicked.disconnect()
    editor.add_button.clicked.connect(lambda: editor.add_row())
    editor.remove_button.setText(remove_text)
    rows = editor.table.fontMetrics().height() + 10
    editor.table.verticalHeader().setDefaultSectionSize(rows)
    editor.table.setMinimumHeight(rows * 5)
    return editor


def edit_conflict(parent: QWidget, conflict: ConflictError) -> int:
    """Show both versions; returns the person's choice (0 for keep editing)."""
    dialog = ConflictDialog(conflict, parent)
    dialog.exec()
    dialog.deleteLater()
    return dialog.choice


class MeetingDialog(FormDialog):
    """Record or correct a meeting: kind, date, schools, who came, notes and action items.

    A refusal names the field to fix, moves there and keeps everything typed; a save
    that meets someone else's shows both versions and lets the person choose."""

    def __init__(self, data_file: DataFile, schools: list[tuple[int, str]], meeting: Meeting | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("Edit Meeting" if meeting and meeting.id else "New Meeting", parent)
        self.data_file = data_file
        self.meeting = meeting or Meeting("sro_principal", date.today().isoformat())
        self.kind = choice_combo(mt.MEETING_KINDS, None)
        self.held_on = date_edit(self.meeting.held_on)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("Optional; the kind of meeting is shown when left empty")
        self.location = QLineEdit()
        self.location.setPlaceholderText("e.g. Principal's office")
        self.schools = QListWidget()
        self.schools.setMaximumHeight(self.schools.fontMetrics().height() * 6)
        for school_id, name in schools:
            item = QListWidgetItem(name)
            item.setData(_ID, school_id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.schools.addItem(item)
        self.schools_label = QLabel("&Schools:")
        self.usual = wrapped_label("Who usually attends", rich=False)
        self.usual.setStyleSheet("color: palette(mid);")
        self.attendees = _rows_editor(["Name", "Role"], "attendee", "Attendees",
                                      "Add Atte&ndee", "Remo&ve Attendee")
        self.attendees.table.setItemDelegateForColumn(1, RoleDelegate(self.attendees.table))
        self.agenda = text_box("What the meeting was to cover.", 60)
        self.minutes = text_box("What was said, briefly.", 90)
        self.decisions = text_box("What was agreed.", 60)
        self.actions = _rows_editor(ACTION_COLUMNS, "action item", "Action items",
                                    "Add Act&ion", "&Remove Action")
        header = self.actions.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        wide = self.fontMetrics().horizontalAdvance("Done (YYYY-MM-DD)") + 24
        for column, width in ((1, wide + 30), (2, wide), (3, wide)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.actions.table.setColumnWidth(column, width)

        details = QFormLayout()
        add_row(details, "&Kind:", self.kind, "Kind of meeting")
        add_row(details, "&Date:", self.held_on, "Date of the meeting")
        add_row(details, "&Title:", self.title_edit, "Title")
        add_row(details, "&Place:", self.location, "Place")
        self.schools_label.setBuddy(self.schools)
        self.schools.setAccessibleName("Schools")
        details.addRow(self.schools_label, self.schools)
        people = QVBoxLayout()
        people.addWidget(self.attendees)
        people.addWidget(self.usual)
        people_label = QLabel("&Who attended:")
        people_label.setBuddy(self.attendees.table)
        details.addRow(people_label, people)
        notes = QFormLayout()
        add_row(notes, "&Agenda:", self.agenda, "Agenda")
        add_row(notes, "&Minutes:", self.minutes, "Minutes")
        add_row(notes, "D&ecisions:", self.decisions, "Decisions")
        columns = QHBoxLayout()
        columns.addLayout(details, 1)
        columns.addLayout(notes, 1)
        self.extra.addLayout(columns)
        actions_form = QFormLayout()
        actions_label = QLabel("Follow-&up actions:")
        actions_label.setBuddy(self.actions.table)
        actions_form.addRow(actions_label, self.actions)
        self.extra.addLayout(actions_form)
        self.setMinimumWidth(900)

        chain = [self.kind, self.held_on, self.title_edit, self.location, self.schools, self.attendees.table,
                 self.attendees.add_button, self.attendees.remove_button, self.agenda, self.minutes,
                 self.decisions, self.actions.table, self.actions.add_button, self.actions.remove_button,
                 *self.buttons.buttons()]
        for before, after in zip(chain, chain[1:]):
            QWidget.setTabOrder(before, after)

        #: The attendees last suggested, as (name, role): replaced by the next suggestion
        #: while the list still holds them as suggested.
        self._suggested: list[tuple[str, str]] | None = None
        self._fill(self.meeting)
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.schools.itemChanged.connect(lambda _item: self._suggest())
        self.held_on.editingFinished.connect(self._suggest)
        self._kind_changed(suggest=self.meeting.id is None and not self.meeting.attendees)

    # -- the form -----------------------------------------------------------------------

    def _fill(self, meeting: Meeting) -> None:
        choose(self.kind, meeting.kind)
        self.held_on.setText(meeting.held_on)
        self.title_edit.setText(meeting.title)
        self.location.setText(meeting.location)
        for row in range(self.schools.count()):
            item = self.schools.item(row)
            chosen = item.data(_ID) in meeting.school_ids
            item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
        self.attendees.clear()
        for person in meeting.attendees:
            self.attendees.add_row([person.name, person.role], edit=False)
        self.agenda.setPlainText(meeting.agenda)
        self.minutes.setPlainText(meeting.minutes)
        self.decisions.setPlainText(meeting.decisions)
        self.actions.clear()
        for item in meeting.actions:
            self.actions.add_row([item.description, item.owner, item.due_on, item.done_on],
                                 row_id=item.id, version=item.version, edit=False)

    def _kind_changed(self, *, suggest: bool = True) -> None:
        kind = self.kind.currentData()
        usual = mt.USUAL_ATTENDEES.get(kind, "")
        self.usual.setText(f"Usually: {usual[0].lower()}{usual[1:]}." if usual else "")
        self.usual.setVisible(bool(usual))
        required = kind == "sro_principal"
        self.schools_label.setText("&Schools (required):" if required else "&Schools:")
        if suggest:
            self._suggest()

    def _suggest(self) -> None:
        """Put in who usually attends this kind of meeting at the schools ticked, named
        from the file (the SRO, the principal, the chiefs, the superintendent), into an
        empty list or over the last suggestion; never over a name someone typed."""
        self.attendees.commit_edits()
        shown = [(texts[0].strip(), texts[1].strip()) for texts, *_ in self.attendees.rows()]
        if shown != self._suggested and any(name for name, _role in shown):
            return
        suggested = [(a.name, a.role) for a in mt.usual_attendees(
            self.data_file, self.kind.currentData(), self.checked_schools(), self.held_on.text())]
        if suggested == shown:
            return
        self.attendees.clear()
        for name, role in suggested:
            self.attendees.add_row([name, role], edit=False)
        self._suggested = suggested

    def checked_schools(self) -> list[int]:
        return [self.schools.item(r).data(_ID) for r in range(self.schools.count())
                if self.schools.item(r).checkState() == Qt.CheckState.Checked]

    def current(self) -> Meeting:
        """The meeting as the form shows it, with the ids and versions it was opened at."""
        for editor in (self.attendees, self.actions):
            editor.commit_edits()
        attendees = [Attendee(texts[0], texts[1]) for texts, *_ in self.attendees.rows()]
        actions = [ActionItem(texts[0], texts[1], texts[2].strip(), texts[3].strip(), row_id, version,
                              self.meeting.id)
                   for texts, row_id, version, _loaded in self.actions.rows()]
        return replace(
            self.meeting, kind=self.kind.currentData(), held_on=self.held_on.text(),
            school_ids=self.checked_schools(), title=self.title_edit.text(), location=self.location.text(),
            agenda=self.agenda.toPlainText(), minutes=self.minutes.toPlainText(),
            decisions=self.decisions.toPlainText(), attendees=attendees, actions=actions,
        )

    # -- saving -------------------------------------------------------------------------

    def save(self):
        return self._save(self.current())

    def _save(self, meeting: Meeting):
        try:
            return mt.save_meeting(self.data_file, meeting)
        except ValidationError as exc:
            self.focus_field(exc.field)
            raise
        except ConflictError as conflict:
            return self._resolve(conflict, meeting)

    def _resolve(self, conflict: ConflictError, mine: Meeting):
        choice = edit_conflict(self, conflict)
        latest = mt.load_meeting(self.data_file, mine.id)  # SroDeskError when it was removed
        if choice == ConflictDialog.KEEP_MINE:
            return self._save(_rebase(mine, latest))
        if choice == ConflictDialog.TAKE_THEIRS:
            self.meeting = latest
            self._fill(latest)
            raise SroDeskError("The meeting as saved by the other person is shown now; nothing of yours was saved.")
        raise conflict  # keep editing: the sentence is shown and the typing kept

    def focus_field(self, name: str | None) -> None:
        """Move to the field a refusal names (for a list, to its first incomplete row)."""
        widgets = {
            "kind": self.kind, "held_on": self.held_on, "school_ids": self.schools, "title": self.title_edit,
            "location": self.location, "agenda": self.agenda, "minutes": self.minutes,
            "decisions": self.decisions, "attendees": self.attendees.table, "actions": self.actions.table,
        }
        widget = widgets.get(name or "")
        if widget is None:
            return
        widget.setFocus()
        if name == "attendees":
            _go_to_gap(self.attendees, lambda texts: bool(texts[1].strip()) and not texts[0].strip())
        elif name == "actions":
            _go_to_gap(self.actions, _action_has_problem)
        elif isinstance(widget, QLineEdit):
            widget.selectAll()


def _action_has_problem(texts: list[str]) -> bool:
    """Whether an action row lacks a description or holds a date that is not a date."""
    if any(t.strip() for t in texts[1:]) and not texts[0].strip():
        return True
    for text in texts[2:]:
        if text.strip():
            try:
                date.fromisoformat(text.strip())
            except ValueError:
                return True
    return False


def _go_to_gap(editor: RowsEditor, wrong) -> None:
    for row, (texts, *_rest) in enumerate(editor.rows()):
        if wrong(texts):
            editor.table.setCurrentCell(row, 0)
            return


def _rebase(mine: Meeting, latest: Meeting) -> Meeting:
    """Mine, stamped with the latest versions, so saving puts mine over theirs; an action
    item someone else removed is added again."""
    versions = {a.id: a.version for a in latest.actions}
    return replace(
        mine, version=latest.version,
        actions=[replace(a, version=versions[a.id]) if a.id in versions else replace(a, id=None, version=0)
                 for a in mine.actions],
    )


class DoneDialog(FormDialog):
    """Record the day an action item was done (today unless changed)."""

    def __init__(self, data_file: DataFile, item: ActionItem, parent: QWidget | None = None) -> None:
        super().__init__("Mark Action Item Done", parent)
        self.data_file, self.item = data_file, item
        what = wrapped_label("Action item", rich=False)
        what.setText(item.description + (f" ({item.owner})" if item.owner else ""))
        self.form.addRow(what)
        self.done_on = date_edit()
        self.row("&Done on:", self.done_on, "Date done")
        self.setMinimumWidth(420)

    def save(self):
        try:
            mt.mark_action_done(self.data_file, self.item, self.done_on.text())
        except ConflictError as conflict:
            choice = edit_conflict(self, conflict)
            if choice != ConflictDialog.KEEP_MINE:
                raise
            latest = self.data_file.query("SELECT version FROM meeting_action WHERE id = ?", (self.item.id,))
            if not latest:
                raise SroDeskError("That action item is no longer in the file; reload the page.") from None
            self.item = replace(self.item, version=latest[0]["version"])
            mt.mark_action_done(self.data_file, self.item, self.done_on.text())
        except ValidationError:
            self.done_on.setFocus()
            self.done_on.selectAll()
            raise


class MonthsDialog(FormDialog):
    """Choose the months in which the SRO and each principal are expected to meet."""

    def __init__(self, data_file: DataFile, starts_month: int, parent: QWidget | None = None) -> None:
        super().__init__("Meeting Months", parent)
        self.data_file = data_file
        note = wrapped_label("About the months", rich=False)
        note.setText("The agreement asks the SRO and each principal to meet at least monthly. Tick the "
                     "months that count; a month left unticked (the summer, say) is never shown as missed.")
        self.form.addRow(note)
        chosen = set(mt.meeting_months(data_file))
        grid = QGridLayout()
        self.months: list[QCheckBox] = []
        order = [(starts_month - 1 + i) % 12 + 1 for i in range(12)]  # in school-year order
        for index, month in enumerate(order):
            box = QCheckBox(MONTHS[month - 1])
            box.setAccessibleName(MONTHS[month - 1])
            box.setChecked(month in chosen)
            box.setProperty("month", month)
            self.months.append(box)
            grid.addWidget(box, index % 6, index // 6)
        self.extra.addLayout(grid)
        self.setMinimumWidth(420)

    def chosen(self) -> list[int]:
        return [int(box.property("month")) for box in self.months if box.isChecked()]

    def save(self):
        mt.set_meeting_months(self.data_file, self.chosen())


class DocumentsDialog(QDialog):
    """A meeting's scanned documents: attach, open, save a copy, remove."""

    FILTER = "PDF or image (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)"

    def __init__(self, data_file: DataFile, meeting: Meeting, *, editable: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Documents: {meeting.display_title}, {meeting.held_on}")
        self.data_file, self.meeting, self.editable = data_file, meeting, editable
        #: Whether anything was attached or removed, so the page reloads.
        self.changed = False
        self.list = QListWidget()
        self.list.setAccessibleName("Documents of the meeting")
        list_label = QLabel("&Documents:")
        list_label.setBuddy(self.list)
        self.attach_button = QPushButton("&Attach…")
        self.open_button = QPushButton("&Open")
        self.save_button = QPushButton("&Save a Copy…")
        self.remove_button = QPushButton("&Remove…")
        for button in (self.attach_button, self.open_button, self.save_button, self.remove_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
        self.error = error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        self.buttons.rejected.connect(self.reject)
        side = QVBoxLayout()
        for button in (self.attach_button, self.open_button, self.save_button, self.remove_button):
            side.addWidget(button)
        side.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.list, 1)
        body.addLayout(side)
        layout = QVBoxLayout(self)
        note = wrapped_label("About documents", rich=False)
        note.setText("Sign-in sheets, handouts or signed minutes, kept inside the data file so every "
                     "copy and backup carries them.")
        layout.addWidget(note)
        layout.addWidget(list_label)
        layout.addLayout(body)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(560, 320)
        self.list.itemSelectionChanged.connect(self._update)
        self.list.itemActivated.connect(lambda _item: self.open_document())
        self.attach_button.clicked.connect(self.attach)
        self.open_button.clicked.connect(self.open_document)
        self.save_button.clicked.connect(self.save_copy)
        self.remove_button.clicked.connect(self.remove)
        self._fill(self.meeting.attachments)

    def _fill(self, attachments: list[dict]) -> None:
        self.list.clear()
        for attachment in attachments:
            size = attachment.get("size") or 0
            shown = f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{max(1, round(size / 1024))} KB"
            item = QListWidgetItem(f"{attachment['file_name']} ({shown})")
            item.setData(_ID, attachment["id"])
            self.list.addItem(item)
        if attachments:
            self.list.setCurrentRow(0)
        self._update()

    def _update(self) -> None:
        chosen = self.chosen() is not None
        self.attach_button.setEnabled(self.editable)
        self.remove_button.setEnabled(self.editable and chosen)
        self.open_button.setEnabled(chosen)
        self.save_button.setEnabled(chosen)

    def chosen(self) -> int | None:
        item = self.list.currentItem()
        return item.data(_ID) if item is not None and item.isSelected() else None

    def _reload(self) -> None:
        try:
            self.meeting = mt.load_meeting(self.data_file, self.meeting.id)
        except SroDeskError as exc:
            self._fail(exc)
            return
        self._fill(self.meeting.attachments)

    def _fail(self, exc: BaseException) -> None:
        self.error.setText(error_sentence(exc))
        self.error.show()

    def attach(self) -> None:
        if not self.editable:
            return
        name, _ = QFileDialog.getOpenFileName(self, "Attach a document", "", self.FILTER)
        if not name:
            return
        self.error.hide()
        try:
            mt.add_document(self.data_file, self.meeting, read_document(Path(name), what="the document"))
        except Exception as exc:
            self._fail(exc)
            return
        self.changed = True
        self._reload()
        self.list.setCurrentRow(self.list.count() - 1)

    def _data(self) -> tuple[str, str, bytes] | None:
        chosen = self.chosen()
        if chosen is None:
            return None
        self.error.hide()
        try:
            return attachment_data(self.data_file, chosen)
        except Exception as exc:
            self._fail(exc)
            return None

    def open_document(self) -> None:
        """Open a copy in the computer's own viewer (the copy is in a private temporary folder)."""
        found, chosen = self._data(), self.chosen()
        if found is None or chosen is None:
            return
        try:
            open_in_viewer(chosen, *found)
        except Exception as exc:
            self._fail(exc)

    def save_copy(self) -> None:
        found = self._data()
        if found is None:
            return
        name, _media, data = found
        target, _ = QFileDialog.getSaveFileName(self, "Save a copy of the document", name)
        if not target:
            return
        try:
            Path(target).write_bytes(data)
        except OSError as exc:
            self._fail(SroDeskError(f"{Path(target).name} cannot be written ({exc.strerror or exc}); "
                                    "choose another folder."))
            return
        QMessageBox.information(self, "SRO Desk", plain_sentence(f"Saved {target}."))

    def remove(self) -> None:
        chosen = self.chosen()
        if chosen is None or not self.editable:
            return
        name = self.list.currentItem().text()
        answer = QMessageBox.question(
            self, "SRO Desk", plain_sentence(f"Remove {name} from this meeting? The audit log keeps its name."))
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.error.hide()
        try:
            mt.remove_document(self.data_file, chosen)
        except Exception as exc:
            self._fail(exc)
            return
        self.changed = True
        self._reload()


__all__ = ["ROLES", "SUGGESTED_ROLES", "MeetingDialog", "DoneDialog", "MonthsDialog", "DocumentsDialog",
           "enter_presses_focused_buttons"]
