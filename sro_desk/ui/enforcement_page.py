"""Enforcement Data page: fast entry of actions checked against the rules, the year's
entries and flags, the SRO's activity, enrolment and the privacy threshold, exports."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sro_desk.records import enforcement as enf
from sro_desk.records import enforcement_reports, listing, obligations
from sro_desk.records.district import load_district
from sro_desk.records.enforcement import Action, Activity
from sro_desk.records.settings import current_school_year
from sro_desk.records.calendar import years_to_offer
from sro_desk.store import DataFile, one_snapshot
from sro_desk.ui.page import Page, fill_years, stacked, year_bar
from sro_desk.ui.qt import (
    QCheckBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Qt,
    error_sentence,
    plain,
    plain_sentence,
    scrolling,
    year_chooser,
)
from sro_desk.ui.work import BackgroundTask, run_task

from sro_desk.ui.enforcement_form import (
    ACTIVITY_COLUMNS,
    AcknowledgeDialog,
    ActivityDialog,
    ENTRY_COLUMNS,
    EnrolmentDialog,
    EntryForm,
    choose,
    entries_model,
    fill_table,
    name_control,
    read_only_table,
    read_only_view,
    wrapped_label,
)


def plural(count: int, one: str, many: str | None = None) -> str:
    """'1 student', '2 students', '0 students' (``many`` when adding an s will not do)."""
    return f"{count} {one if count == 1 else many or one + 's'}"


class EnforcementPage(Page):
    """One school year's enforcement data: enter, check, correct, acknowledge, export."""

    title = "Enforcement Data"
    reads = frozenset({
        "district", "enforcement_action", "enrolment", "officer", "police_department", "school", "setting",
        "sro_activity",
    })

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.schools: list[tuple[int, str]] = []
        #: how many entries the year holds (the list may show only the flagged ones)
        self.entry_count = 0
        self.activities: list[Activity] = []
        #: The year the SRO activity tab shows; None when it is to be read again (it is
        #: filled when the tab is shown, not when the page opens).
        self._activity_year: str | None = None
        #: The enrolment of the year shown, set in its label when its tab is in view (a
        #: wrapped label lays itself out again at every change, even on a hidden tab).
        self._enrolment_html = ""
        self._sized = False
        self.tasks: list[BackgroundTask] = []

        year_bar = self._build_year_bar()
        self.headline = wrapped_label("Headline measures")
        self.headline.setToolTip(enf.MEASURES_NOTE)
        entries = self._build_entries_tab()
        activity_tab = self._build_activity_tab()
        settings_tab = self._build_settings_tab()
        self.tabs = QTabWidget()
        self.tabs.addTab(entries, "Entries")
        self.tabs.addTab(activity_tab, "SRO activity")
        self.settings_tab = scrolling(settings_tab)
        self.tabs.addTab(self.settings_tab, "Enrolment and privacy")
        layout = QVBoxLayout(self)
        layout.addLayout(year_bar)
        layout.addWidget(self.headline)
        layout.addWidget(self.error)
        layout.addWidget(self.tabs, 1)
        self._name_and_order_controls()
        self._connect_signals()
        self._update_controls()

    # -- building the page ------------------------------------------------------------
    # (Called in __init__'s order: a widget joins the Tab chain when it is laid out.)

    def _build_year_bar(self) -> QHBoxLayout:
        """The school year and its exports."""
        self.year = year_chooser()
        self.export_button = QPushButton("E&xport CSV…")
        self.pdf_button = QPushButton("Report &PDF…")
        return year_bar(self.year, self.export_button, self.pdf_button)

    def _build_entries_tab(self) -> QSplitter:
        """Entries: the form above, the year's list below."""
        self.form = EntryForm()
        list_box = self._build_entry_list()
        self.entries_splitter = entries = QSplitter(Qt.Orientation.Vertical)
        entries.addWidget(scrolling(self.form))
        entries.addWidget(list_box)
        entries.setChildrenCollapsible(False)
        entries.setStretchFactor(0, 0)
        entries.setStretchFactor(1, 1)
        return entries

    def _build_entry_list(self) -> QWidget:
        """The year's entries, under the flagged-only switch and the buttons for the chosen one."""
        self.only_flagged = QCheckBox("Show only flagged entries")
        self.only_flagged.setAccessibleName("Show only flagged entries")
        self.model = entries_model(self)
        self.table = read_only_view(self.model, "Entries of the year")
        # Every column in view at any width (the Flags column above all); cut texts show in full as tooltips.
        header = self.table.horizontalHeader()
        for column, title in enumerate(ENTRY_COLUMNS):
            wide = title in ("School", "Kind", "Offense", "Place", "Flags")
            header.setSectionResizeMode(
                column, QHeaderView.ResizeMode.Stretch if wide else QHeaderView.ResizeMode.ResizeToContents
            )
        self.edit_button = QPushButton("&Edit Entry…")
        self.acknowledge_button = QPushButton("&Acknowledge Flag…")
        list_box = QWidget()
        list_layout = QVBoxLayout(list_box)
        list_layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.only_flagged)
        row.addStretch(1)
        row.addWidget(self.edit_button)
        row.addWidget(self.acknowledge_button)
        list_layout.addLayout(row)
        list_layout.addWidget(self.table, 1)
        return list_box

    def _build_activity_tab(self) -> QWidget:
        """The SRO's activity log of the year, with its totals."""
        self.activity_table = read_only_table(ACTIVITY_COLUMNS, "SRO activity log")
        self.log_button = QPushButton("&Log Activity…")
        self.edit_activity_button = QPushButton("Edi&t Activity…")
        self.activity_totals = wrapped_label("Activity totals")
        self.activity_tab = activity_tab = QWidget()
        a_layout = QVBoxLayout(activity_tab)
        row = QHBoxLayout()
        row.addWidget(self.log_button)
        row.addWidget(self.edit_activity_button)
        row.addStretch(1)
        a_layout.addLayout(row)
        a_layout.addWidget(self.activity_table, 1)
        a_layout.addWidget(self.activity_totals)
        return activity_tab

    def _build_settings_tab(self) -> QWidget:
        """Enrolment and the privacy threshold, one above the other."""
        return stacked(self._build_enrolment_box(), self._build_privacy_box())

    def _build_enrolment_box(self) -> QGroupBox:
        """Each school's enrolment of the year, for the shares in the headline."""
        self.enrolment_text = wrapped_label("Enrolment")
        self.enrolment_button = QPushButton("&Enrolment…")
        enrolment_box = QGroupBox("Enrolment (for the shares in the headline)")
        e_layout = QHBoxLayout(enrolment_box)
        e_layout.addWidget(self.enrolment_text, 1)
        e_layout.addWidget(self.enrolment_button, 0, Qt.AlignmentFlag.AlignTop)
        return enrolment_box

    def _build_privacy_box(self) -> QGroupBox:
        """The threshold below which a published count is not shown."""
        self.threshold = QSpinBox()
        self.threshold.setRange(1, 50)
        self.threshold.setValue(enf.SUPPRESSION_DEFAULT)
        name_control(self.threshold, "Suppression threshold")
        threshold_label = QLabel("Suppression &threshold:")
        threshold_label.setBuddy(self.threshold)
        self.threshold_button = QPushButton("Sa&ve Threshold")
        privacy_box = QGroupBox("Privacy of published counts")
        p_layout = QVBoxLayout(privacy_box)
        explain = QLabel(
            "In exports and printed reports, every count below the threshold (zero included) "
            "prints as \"not shown\", and so do enough other counts that nothing printed can "
            "reveal them (checked across the whole document). The state uses 6."
        )
        explain.setWordWrap(True)
        p_layout.addWidget(explain)
        row = QHBoxLayout()
        row.addWidget(threshold_label)
        row.addWidget(self.threshold)
        row.addWidget(self.threshold_button)
        row.addStretch(1)
        p_layout.addLayout(row)
        return privacy_box

    def _name_and_order_controls(self) -> None:
        """Every button named for screen readers as it reads; Tab from the year down."""
        for button in (
            self.export_button, self.pdf_button, self.edit_button, self.acknowledge_button,
            self.log_button, self.edit_activity_button, self.enrolment_button, self.threshold_button,
        ):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
        for before, after in (
            (self.year, self.export_button), (self.export_button, self.pdf_button),
            (self.pdf_button, self.tabs), (self.tabs, self.form.when),
            (self.form.clear_button, self.only_flagged), (self.only_flagged, self.edit_button),
            (self.edit_button, self.acknowledge_button), (self.acknowledge_button, self.table),
        ):
            QWidget.setTabOrder(before, after)

    def _connect_signals(self) -> None:
        self.year.activated.connect(lambda _i: self._show_year())
        self.tabs.currentChanged.connect(lambda _i: self._show_tab())
        self.form.save_button.clicked.connect(self.save)
        self.form.clear_button.clicked.connect(self.form.clear)
        self.form.changed.connect(self._update_controls)
        self.only_flagged.toggled.connect(lambda _on: self._fill_entries())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_controls())
        self.table.doubleClicked.connect(lambda _index: self.edit_entry())
        self.edit_button.clicked.connect(self.edit_entry)
        self.acknowledge_button.clicked.connect(self.acknowledge_flag)
        self.log_button.clicked.connect(lambda: self.log_activity(None))
        self.edit_activity_button.clicked.connect(lambda: self.log_activity(self.selected_activity()))
        self.activity_table.itemDoubleClicked.connect(lambda _item: self.log_activity(self.selected_activity()))
        self.activity_table.itemSelectionChanged.connect(self._update_controls)
        self.enrolment_button.clicked.connect(self.edit_enrolment)
        self.threshold_button.clicked.connect(self.save_threshold)
        self.export_button.clicked.connect(self.export_csv)
        self.pdf_button.clicked.connect(self.save_pdf)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if not self._sized:
            # The whole form when it fits, the rest for the list (never less than a few rows).
            self._sized = True
            total = sum(self.entries_splitter.sizes())
            # The form's height at the width it has (its rule check's height depends on it).
            width = self.entries_splitter.width()
            needed = self.form.heightForWidth(width) if width > 0 else -1
            needed = needed if needed > 0 else self.form.sizeHint().height()
            form = min(needed + 4, max(total - 160, total // 2))
            self.entries_splitter.setSizes([form, total - form])

    # -- the page protocol ------------------------------------------------------------

    @one_snapshot
    def refresh(self, data_file: DataFile, presence=None) -> None:
        """Show the file's data; typing in the form survives (another person's save, say)."""
        if self.data_file is not None and self.data_file.path != data_file.path:
            self.form.last_when = self.form.last_school = None
            self.form.clear()
        elif self.form.editing is None and not self.form.has_typing():
            self.form.clear()  # a fresh form shows the time now, not when the page was made
        if data_file is not self.data_file:
            self.model.set_data_file(data_file)
        self.data_file = data_file
        # The years and the year to show in one statement: the year kept (or this year)
        # is the one shown unless it has no entries any more (then its reads go unused).
        year = self.year.currentData() or current_school_year(data_file)
        data_file.prefetch([enf.years_read(), *self._year_reads(year)])
        district = load_district(data_file)
        self.schools = [(s.id, s.name) for s in district.schools] if district else []
        self.form.set_schools(self.schools)
        self.threshold.setValue(enf.suppression_threshold(data_file))
        self._fill_years()
        self._show_year()

    def _year_reads(self, year: str) -> list:
        """What showing ``year`` reads, to be read together in one statement."""
        reads = [listing.year_entry_counts_read(year), *enf.headline_reads(year), obligations.open_flag_years_read()]
        if self._activity_shown():
            reads.append(enf.activities_read(year))
        return reads

    def has_unsaved_changes(self) -> bool:
        return self.form.has_typing()

    def save(self) -> bool:
        """Save the form's entry (new, or a correction at the version it was loaded at)."""
        form = self.form
        if self.data_file is None or not self.editable:
            return False
        form.error.hide()
        action = form.action()
        try:
            action_id = enf.save_action(self.data_file, action)
        except Exception as exc:
            form.show_error(error_sentence(exc))
            return False
        if form.editing is None:
            form.last_when = form.when.text().strip()
            form.last_school = action.school_id
        form.clear()
        form.when.setFocus()
        form.when.selectAll()
        self._fill_years()
        moment = datetime.fromisoformat(action.occurred_at.strip())
        choose(self.year, current_school_year(self.data_file, today=moment.date()))
        self._show_year(select=action_id)
        self.saved.emit()
        return True

    def set_editable(self, editable: bool) -> None:
        super().set_editable(editable)
        self.form.set_editable(editable)
        self._update_controls()

    # -- showing ----------------------------------------------------------------------

    def _fill_years(self) -> None:
        this_year = current_school_year(self.data_file)
        fill_years(self.year, years_to_offer(this_year, enf.years_with_actions(self.data_file)),
                   self.year.currentData() or this_year)

    def school_year(self) -> str:
        return self.year.currentData() or ""

    def _school_name(self, school_id: int | None) -> str:
        return next((name for sid, name in self.schools if sid == school_id), "")

    def _show_year(self, select: int | None = None) -> None:
        self.error.hide()
        if self.data_file is None:
            return
        year = self.school_year()
        with self.data_file.reading():
            self.data_file.prefetch(self._year_reads(year))
            counts = listing.year_entry_counts(self.data_file, year)
            self.entry_count = counts["entries"]
            self._show_headline(year, counts["open_flags"])
            self._fill_entries(select, year=year)
            known = enf.enrolment(self.data_file, year)
            self._enrolment_html = "<br>".join(
                f"{plain(name)}: {known[sid] if sid in known else 'not set'}" for sid, name in self.schools
            ) or "Add the district's schools on the District page first."
            self._activity_year = None
            self._show_tab()
        self._update_controls()

    def _activity_shown(self) -> bool:
        return self.tabs.currentWidget() is self.activity_tab

    def _show_tab(self) -> None:
        """Fill the tab in view: the SRO activity when not read for this year yet (read
        when first shown, not when the page opens), the enrolment when it changed."""
        if self.tabs.currentWidget() is self.settings_tab and self.enrolment_text.text() != self._enrolment_html:
            self.enrolment_text.setText(self._enrolment_html)
        year = self.school_year()
        if self.data_file is None or not self._activity_shown() or self._activity_year == year:
            return
        self._activity_year = year
        self._fill_activity(year)
        self._update_controls()

    def _show_headline(self, year: str, open_flags: int) -> None:
        measures = enf.headline_measures(self.data_file, year)
        district, schools = measures[-1], measures[:-1]

        def shared(measure: enf.Headline, count: int) -> str:
            """' (0.1%)' of enrolment, or '': every share on the page comes from ``Headline.share``."""
            share = measure.share(count)
            return f" ({plain(share)})" if share else ""

        if not all(m.enrolled for m in schools):
            # A district share over some schools' enrolment would understate it.
            district.enrolled = None
        elsewhere = {y: n for y, n in obligations.open_flag_years(self.data_file).items() if y != year}
        lines = [
            f"<b>District, {plain(year)}: {plural(district.arrested, 'student')} arrested"
            f"{shared(district, district.arrested)} · {plural(district.referred, 'student')} with a non-arrest "
            f"referral{shared(district, district.referred)}</b>"
            + ("" if district.enrolled else " <i>(set every school's enrolment to see the district's shares)</i>")
            + (f" · <b>{plural(open_flags, 'entry has', 'entries have')} open flags</b>" if open_flags else ""),
            " · ".join(
                f"{plain(m.school_name)}: {m.arrested} arrested{shared(m, m.arrested)}, "
                f"{m.referred} referred{shared(m, m.referred)}"
                for m in schools
            ),
            ("<b>Open flags in other years:</b> "
             + ", ".join(f"{plain(y)} ({plural(n, 'entry', 'entries')})" for y, n in sorted(elsewhere.items()))
             + ". Choose the year above to see them.") if elsewhere else "",
        ]
        self.headline.setText("<br>".join(line for line in lines if line))

    def _fill_entries(self, select: int | None = None, *, year: str | None = None) -> None:
        """Read the year's entries again (only the flagged ones, if asked), keeping the choice."""
        entry = self.selected_entry()
        keep = select if select is not None else (entry.id if entry else None)
        flagged = listing.flagged_sql("e.") if self.only_flagged.isChecked() else None
        self.model.set_filters({
            "year": ("e.school_year = :year", {"year": year or self.school_year()}),
            "flagged": (flagged, None),
        })
        row = self.model.row_of(keep)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        self._update_controls()

    def _fill_activity(self, year: str) -> None:
        self.activities = enf.activities_for(self.data_file, year)
        fill_table(self.activity_table, [
            [a.occurred_on, enf.ACTIVITY_KINDS.get(a.kind, a.kind), a.count,
             self._school_name(a.school_id) or "District-wide", a.notes]
            for a in self.activities
        ])
        totals: dict[str, int] = {}
        for activity in self.activities:
            totals[activity.kind] = totals.get(activity.kind, 0) + activity.count
        self.activity_totals.setText(
            f"<b>Totals for {plain(year)}:</b> "
            + (" · ".join(f"{plain(enf.ACTIVITY_KINDS[k])}: {n}" for k, n in totals.items() if k in enf.ACTIVITY_KINDS)
               or "nothing logged yet.")
        )

    def selected_entry(self) -> Action | None:
        """The chosen entry, as read for the list."""
        rows = self.table.selectionModel().selectedRows()
        values = self.model.row_dict(rows[0].row()) if rows else None
        return listing.action_of(values) if values else None

    def selected_activity(self) -> Activity | None:
        rows = {i.row() for i in self.activity_table.selectedIndexes()}
        return self.activities[min(rows)] if rows and min(rows) < len(self.activities) else None

    def _update_controls(self) -> None:
        editable = self.editable and self.data_file is not None
        entry = self.selected_entry()
        self.edit_button.setEnabled(editable and entry is not None)
        self.acknowledge_button.setEnabled(editable and entry is not None and bool(entry.open_flags()))
        self.log_button.setEnabled(editable)
        self.edit_activity_button.setEnabled(editable and self.selected_activity() is not None)
        self.enrolment_button.setEnabled(editable and bool(self.schools))
        self.threshold.setEnabled(editable)
        self.threshold_button.setEnabled(editable)
        self.export_button.setEnabled(self.entry_count > 0)
        self.pdf_button.setEnabled(self.data_file is not None)

    # -- actions ----------------------------------------------------------------------

    def _fail(self, exc: BaseException) -> None:
        self.show_problem(exc)

    def _changed(self) -> None:
        self._fill_years()
        self._show_year()
        self.saved.emit()

    def edit_entry(self) -> None:
        """Load the selected entry into the form; Save then corrects it."""
        entry = self.selected_entry()
        if entry is None or not self.editable:
            return
        if self.form.has_typing():
            answer = QMessageBox.question(
                self, "SRO Desk", "The form has typing that is not saved. Discard it and load this entry?",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                return
        self.tabs.setCurrentIndex(0)
        self.form.load(entry)
        self.form.when.setFocus()

    def acknowledge_flag(self) -> None:
        entry = self.selected_entry()
        if entry is None or not self.editable:
            return
        if not entry.open_flags():
            QMessageBox.information(self, "SRO Desk", "This entry has no open flags.")
            return
        dialog = AcknowledgeDialog(self.data_file, entry, self)
        accepted = dialog.exec()
        dialog.deleteLater()
        if accepted:
            self._changed()

    def log_activity(self, activity: Activity | None) -> None:
        if self.data_file is None or not self.editable:
            return
        dialog = ActivityDialog(self.data_file, self.schools, activity, self)
        accepted = dialog.exec()
        dialog.deleteLater()
        if accepted:
            self._changed()

    def edit_enrolment(self) -> None:
        if self.data_file is None or not self.editable:
            return
        dialog = EnrolmentDialog(self.data_file, self.school_year(), self.schools, self)
        accepted = dialog.exec()
        dialog.deleteLater()
        if accepted:
            self._changed()

    def save_threshold(self) -> None:
        try:
            enf.set_suppression_threshold(self.data_file, self.threshold.value())
        except Exception as exc:
            self._fail(exc)
            return
        self._changed()

    def export_csv(self) -> None:
        year = self.school_year()
        name, _ = QFileDialog.getSaveFileName(
            self, "Export enforcement data", f"SRO enforcement {year}.csv", "CSV (*.csv)"
        )
        if not name:
            return
        out = Path(name) if Path(name).suffix else Path(name).with_suffix(".csv")
        data_file = self.data_file

        def done(paths: tuple[Path, Path]) -> None:
            entries, counts = paths
            QMessageBox.information(self, "SRO Desk", plain_sentence(
                f"Saved {entries.name} (one row per entry, codes and no names) and {counts.name} "
                f"(counts, with small counts hidden) in {entries.parent}."
            ))

        run_task(
            self.tasks, self, "Exporting the enforcement data…",
            lambda progress: enforcement_reports.export_year(data_file, year, out), done, self._fail,
        )

    def save_pdf(self) -> None:
        year = self.school_year()
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the enforcement report", f"SRO enforcement report {year}.pdf", "PDF (*.pdf)"
        )
        if not name:
            return
        # Imported here, on the GUI thread: PySide's import hook is not safe on a worker.
        from sro_desk.documents.enforcement import build_enforcement_pdf

        out = Path(name)
        data_file = self.data_file

        def work(progress) -> None:
            build_enforcement_pdf(enforcement_reports.printable_enforcement(data_file, year), out)

        run_task(
            self.tasks, self, "Building the enforcement report…", work,
            lambda _r: QMessageBox.information(self, "SRO Desk", plain_sentence(f"Saved {out}.")), self._fail,
        )
