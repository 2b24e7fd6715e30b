"""The command line: parses, calls the library, prints. No Qt is imported here.

Errors are one plain sentence on stderr and exit status 2, with no traceback and
nothing changed; ``check`` exits 1 when it finds problems in a file it could open.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sro_desk import APP_NAME, __version__, paths
from sro_desk.errors import DamagedFile, SroDeskError
from sro_desk.logs import setup_logging

log = logging.getLogger(__name__)

EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one sentence, not a usage dump
        self.exit(EXIT_ERROR, f"sro-desk: {message}; run 'sro-desk --help' to see the commands.\n")


def build_parser() -> argparse.ArgumentParser:
    """The whole command-line contract, as in DESIGN.md."""
    parser = _Parser(
        prog="sro-desk",
        description=f"{APP_NAME}: keep a School Resource Officer program in one file.",
    )
    parser.add_argument("--version", action="version", version=f"sro-desk {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH",
        type=Path,
        help="the data file to use (default: sro-desk.db in your own data folder)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.add_parser("gui", help="open the window (the default)")
    commands.add_parser(
        "demo",
        help="create a realistic sample district (without --db, in a separate demo file)",
    )
    commands.add_parser(
        "check", help="check a file: exit 0 healthy, 1 problems found, 2 cannot open"
    )
    backup = commands.add_parser("backup", help="make a checked backup and print its path")
    backup.add_argument("--to", metavar="DIR", type=Path, help="write the backup into DIR only")
    restore = commands.add_parser(
        "restore", help="replace the file's contents with a backup (backs up the file first)"
    )
    restore.add_argument("backup", metavar="BACKUP", type=Path, help="the backup file to restore")

    export = commands.add_parser("export", help="export data for the state, as CSV")
    export_what = export.add_subparsers(dest="export_kind", metavar="WHAT", parser_class=_Parser)
    export_what.required = True
    export_enf = export_what.add_parser(
        "enforcement", help="one row per action (codes, never names), and suppressed totals beside it"
    )
    export_enf.add_argument("year", metavar="YEAR", help="the school year, like 2025-2026")
    export_enf.add_argument("-o", "--output", metavar="OUT.csv", type=Path, required=True)

    mou = commands.add_parser("mou", help="agreements: import a document, list them")
    mou_commands = mou.add_subparsers(dest="mou_command", metavar="ACTION", parser_class=_Parser)
    mou_commands.required = True
    mou_import = mou_commands.add_parser(
        "import", help="make a draft from a .txt, .md or .docx agreement"
    )
    mou_import.add_argument("file", metavar="FILE", type=Path)
    mou_import.add_argument(
        "--year", metavar="YEAR", help="the school year, like 2026-2027 (default: this one)"
    )
    mou_import.add_argument("--json", action="store_true", help="print the draft as JSON")
    mou_list = mou_commands.add_parser("list", help="list the agreements in the file")
    mou_list.add_argument("--json", action="store_true", help="print a JSON list")

    printing = commands.add_parser("print", help="print a document to PDF")
    what = printing.add_subparsers(dest="document", metavar="DOCUMENT", parser_class=_Parser)
    what.required = True
    agreement = what.add_parser("agreement", help="an agreement and its operating procedures")
    agreement.add_argument("agreement_id", metavar="ID", type=_record_id)
    agreement.add_argument("-o", "--output", metavar="OUT.pdf", type=Path, required=True)
    agreement.add_argument(
        "--dese",
        action="store_true",
        help="the yearly DESE filing: cover, DESE's components, the agreement and procedures, costs and shares, "
        "the mental-health budget, the superintendent's request and the sources",
    )
    review = what.add_parser(
        "review", help="the end-of-year review of the SRO program, one named copy per attendee if asked"
    )
    review.add_argument("year", metavar="YEAR", help="the school year, like 2025-2026")
    review.add_argument("-o", "--output", metavar="OUT.pdf", type=Path, required=True)
    copies = review.add_mutually_exclusive_group()
    copies.add_argument("--copy-for", metavar="NAME", help="name the copy for this attendee of the review")
    copies.add_argument("--all-copies", action="store_true",
                        help="one named copy for every attendee, each numbered on its own, in one PDF")
    review.add_argument("--public", action="store_true",
                        help="the version to publish: small counts hidden, as in the packet")
    form = what.add_parser("form", help="a blank form to hand out, in a language")
    form.add_argument("kind", metavar="KIND", choices=["complaint", "selection-input"],
                      help="complaint: the blank complaint form; selection-input: a group's input on choosing the SRO")
    form.add_argument("--lang", metavar="LANG", default="en", help="the form's language (default: en)")
    form.add_argument("--group", metavar="GROUP", default="parent",
                      help="who fills it in: principal, teacher, parent, student, superintendent, community")
    form.add_argument("--round", metavar="ID", type=_record_id, dest="round_id",
                      help="the selection round whose candidates and criteria to print")
    form.add_argument("-o", "--output", metavar="OUT.pdf", type=Path, required=True)
    packet = what.add_parser("packet", help="the school-committee packet for a school year")
    packet.add_argument("year", metavar="YEAR", help="the school year, like 2025-2026")
    packet.add_argument("-o", "--output", metavar="OUT.pdf", type=Path, required=True)
    packet.add_argument("--sections", metavar="LIST",
                        help="comma-separated sections (default: all): cover, agenda, contents, summary, "
                             "agreement, selection, training, complaints, enforcement, review, minutes")
    packet.add_argument("--agenda", metavar="FILE", type=Path, help="a text file, one agenda item per line")
    packet.add_argument("--logo", metavar="FILE", type=Path, help="the district's logo for the cover (PNG or JPEG)")
    packet.add_argument("--meeting-on", metavar="DATE", default="", help="the committee meeting's date, like 2027-06-14")
    status = what.add_parser("status", help="the one-page compliance status for a school year")
    status.add_argument("year", metavar="YEAR", nargs="?", help="the school year (default: the current one)")
    status.add_argument("-o", "--output", metavar="OUT.pdf", type=Path, required=True)
    return parser


def _record_id(text: str) -> int:
    """A record's number as the file can hold it (SQLite's ids stop at 2**63 - 1)."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text[:20]}' is not a record number; give one like 1") from None
    if not 1 <= number < 2 ** 63:
        raise argparse.ArgumentTypeError(f"there is no record number {text[:24]}; "
                                         "'sro-desk mou list' shows the agreements' numbers")
    return number


def _database(args: argparse.Namespace) -> Path:
    return (args.db or paths.default_database()).expanduser().absolute()


def cmd_gui(args: argparse.Namespace) -> int:
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM")
    ):
        raise SroDeskError(
            "There is no screen here to open the window on; run SRO Desk on a desktop, "
            "or use the commands listed by 'sro-desk --help'."
        )
    try:
        from sro_desk.ui.app import run
    except ImportError as exc:
        log.exception("the window could not be loaded")
        raise SroDeskError(
            f"The window could not be loaded ({exc}); reinstall SRO Desk, or use the "
            "commands listed by 'sro-desk --help'."
        ) from None
    return run(args.db)


def cmd_demo(args: argparse.Namespace) -> int:
    from sro_desk.records.demo import create_demo
    from sro_desk.store import DataFile, OpenOptions

    path = _database(args) if args.db else paths.demo_database()
    if not args.db:
        path.parent.mkdir(parents=True, exist_ok=True)
    with DataFile.open(path, OpenOptions(create=True)) as data_file:
        if data_file.read_only:
            raise SroDeskError(f"No sample was added: {data_file.read_only_reason}")
        print(create_demo(data_file))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from sro_desk.store.check import check_file

    try:
        report = check_file(_database(args))
    except DamagedFile as exc:
        print(exc.message, file=sys.stderr)
        return EXIT_PROBLEMS
    for fact in report.facts:
        print(fact)
    if report.healthy:
        print("The file is healthy.")
        return EXIT_OK
    for problem in report.problems:
        print(f"Problem: {problem}", file=sys.stderr)
    return EXIT_PROBLEMS


def cmd_backup(args: argparse.Namespace) -> int:
    from sro_desk.store.backup import make_backup

    print(make_backup(_database(args), to=args.to.expanduser().absolute() if args.to else None))
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from sro_desk.store.backup import refuse_restoring_itself, restore
    from sro_desk.store.lease import Lease

    database = _database(args)
    refuse_restoring_itself(database, args.backup.expanduser().absolute())
    lease = Lease(database)
    if database.parent.exists():
        lease.acquire()
    try:
        kept = restore(database, args.backup.expanduser().absolute())
    finally:
        lease.release()
    print(f"Restored {database} from {args.backup}.")
    if kept is not None:
        print(f"What it replaced was kept as {kept}.")
    return EXIT_OK


def cmd_mou(args: argparse.Namespace) -> int:
    import json

    from sro_desk.records import agreements
    from sro_desk.records.settings import current_school_year
    from sro_desk.store import DataFile, OpenOptions

    if args.mou_command == "list":
        with DataFile.open(_database(args), OpenOptions(edit=False)) as data_file:
            found = agreements.list_agreements(data_file)
        if args.json:
            print(json.dumps([{k: r[k] for k in ("id", "school_year", "title", "status")} for r in found], indent=2))
        elif not found:
            print("No agreements yet.")
        else:
            for row in found:
                label = agreements.STATUSES.get(row["status"], row["status"])
                print(f"{row['id']:>4}  {row['school_year']}  {label:<20}  {row['title']}")
        return EXIT_OK
    from sro_desk.records.mou_import import read_agreement_file

    document = read_agreement_file(args.file.expanduser())  # parsed (or refused) before the file is locked
    with DataFile.open(_database(args), OpenOptions(create=True)) as data_file:
        if data_file.read_only:
            raise SroDeskError(f"Nothing was imported: {data_file.read_only_reason}")
        year = args.year or current_school_year(data_file)
        agreement_id = agreements.import_document(data_file, args.file.expanduser(), school_year=year,
                                                  document=document)
        agreement = agreements.load_agreement(data_file, agreement_id)
    report = agreements.import_report(agreement)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        covered = sum(1 for c in report["checklist"] if c["covered"])
        print(
            f"Imported '{agreement.title}' as draft agreement {agreement.id} for {year}: "
            f"{len(report['sections'])} sections, {len(report['blanks'])} blanks, "
            f"{len(report['notes'])} drafting notes; {covered} of "
            f"{len(report['checklist'])} DESE agreement components covered."
        )
        for check in report["checklist"]:
            mark = "covered" if check["covered"] else "MISSING"
            print(f"  {check['component']}  {mark:<8} {check['label']}")
    return EXIT_OK


def _output(path: Path, args: argparse.Namespace, *, what: str = "the PDF") -> Path:
    """The output's absolute path, refused before anything is read when it would replace
    the data file or anything of it, another database or a file the person may not change."""
    from sro_desk.store.outputs import check_output

    path = path.expanduser().absolute()
    if not path.parent.is_dir():
        raise SroDeskError(f"The folder {path.parent} does not exist; choose where to save {what}.")
    return check_output(path, what=what, databases=[_database(args)])


def cmd_print(args: argparse.Namespace) -> int:
    from sro_desk.documents.agreement import build_agreement_pdf
    from sro_desk.records import agreements
    from sro_desk.store import DataFile, OpenOptions

    out = _output(args.output, args)
    if args.document == "form":
        return _print_form(args, out)
    if args.document == "packet":
        return _print_packet(args, out)
    if args.document == "status":
        return _print_status(args, out)
    if args.document == "review":
        return _print_review(args, out)
    with DataFile.open(_database(args), OpenOptions(edit=False)) as data_file:
        agreement = agreements.load_agreement(data_file, args.agreement_id)
        if args.dese:
            from sro_desk.documents.dese_filing import build_filing_pdf
            from sro_desk.records.dese_filing import printable_filing

            filing = printable_filing(data_file, agreement)
        else:
            document = agreements.printable(data_file, agreement)
    if args.dese:
        build_filing_pdf(filing, out)
    else:
        build_agreement_pdf(document, out)
    print(out)
    return EXIT_OK


def _print_packet(args: argparse.Namespace, out: Path) -> int:
    """The school-committee packet: read the file, then lay it out (no lock taken)."""
    from sro_desk.documents.packet import build_packet, prepare_packet, read_logo
    from sro_desk.store import DataFile, OpenOptions

    agenda: list[str] = []
    if args.agenda is not None:
        try:
            agenda = args.agenda.expanduser().read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise SroDeskError(f"The agenda file {args.agenda} cannot be read ({getattr(exc, 'strerror', None) or exc}); "
                               "give a plain text file, one item per line.") from None
    logo = read_logo(args.logo.expanduser()) if args.logo is not None else None
    with DataFile.open(_database(args), OpenOptions(edit=False)) as data_file:
        packet = prepare_packet(data_file, args.year, sections=args.sections, agenda=agenda, logo=logo,
                                meeting_on=args.meeting_on)
    pages = build_packet(packet, out)
    print(out)
    print(f"{pages} pages", file=sys.stderr)
    return EXIT_OK


def _print_review(args: argparse.Namespace, out: Path) -> int:
    """The end-of-year review: one copy, the copy named for an attendee, or every attendee's."""
    from sro_desk.records.calendar import parse_school_year

    try:
        parse_school_year(args.year)
    except ValueError as exc:
        raise SroDeskError(str(exc)) from None
    from sro_desk.documents.review import attendee_named, build_review_pdf
    from sro_desk.records.review import printable_review
    from sro_desk.store import DataFile, OpenOptions

    with DataFile.open(_database(args), OpenOptions(edit=False)) as data_file:
        review = printable_review(data_file, args.year, public=args.public)
    copy_for = attendee_named(review, args.copy_for) if args.copy_for is not None else None
    build_review_pdf(review, out, copy_for=copy_for, all_copies=args.all_copies)
    print(out)
    return EXIT_OK


def _print_status(args: argparse.Namespace, out: Path) -> int:
    from datetime import date

    from sro_desk.documents.compliance import build_compliance_pdf
    from sro_desk.records.calendar import parse_school_year
    from sro_desk.records.district import load_district
    from sro_desk.records.obligations import obligations
    from sro_desk.records.settings import current_school_year
    from sro_desk.store import DataFile, OpenOptions

    if args.year is not None:
        try:
            parse_school_year(args.year)
        except ValueError as exc:
            raise SroDeskError(str(exc)) from None
    today = date.today()
    with DataFile.open(_database(args), OpenOptions(edit=False)) as data_file:
        year = args.year or current_school_year(data_file, today)
        items = obligations(data_file, today=today, school_year=year)
        district = load_district(data_file)
    build_compliance_pdf(items, out, school_year=year, today=today, district=district.name if district else "")
    print(out)
    return EXIT_OK


def _print_form(args: argparse.Namespace, out: Path) -> int:
    """A blank form: the complaint form, or a selection-input form (generic, or for a
    round when --round is given)."""
    if args.kind == "complaint":
        return _print_complaint_form(args, out)
    from sro_desk.documents.selection import build_selection_input_form_pdf
    from sro_desk.records import selection
    from sro_desk.store import DataFile, OpenOptions

    selection.form_text(args.lang)  # an unknown language is refused before anything else
    database = _database(args)
    if args.round_id is None and not database.exists():
        form = selection.printable_input_form(None, args.group, language=args.lang)
    else:
        with DataFile.open(database, OpenOptions(edit=False)) as data_file:
            chosen = selection.load_round(data_file, args.round_id) if args.round_id else None
            form = selection.printable_input_form(
                data_file, args.group, language=args.lang, selection=chosen
            )
    build_selection_input_form_pdf(form, out)
    print(out)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from sro_desk.records.calendar import parse_school_year
    from sro_desk.records.enforcement_reports import export_year
    from sro_desk.store import DataFile, OpenOptions

    try:
        parse_school_year(args.year)
    except ValueError as exc:
        raise SroDeskError(str(exc)) from None
    out = _output(args.output, args, what="the CSV")
    _output(out.with_name(out.stem + "-aggregate" + (out.suffix or ".csv")), args, what="the CSV")
    with DataFile.open(_database(args), OpenOptions(edit=False)) as data_file:
        actions, aggregate = export_year(data_file, args.year, out)
    print(actions)
    print(aggregate)
    return EXIT_OK


def _print_complaint_form(args: argparse.Namespace, out: Path) -> int:
    from sro_desk.documents.complaint_form import build_complaint_form_pdf
    from sro_desk.records.complaint_forms import printable_complaint_form, form_text
    from sro_desk.records.district import load_district
    from sro_desk.store import DataFile, OpenOptions

    form_text(args.lang)  # an unknown language is refused before anything else
    district_name = ""
    database = _database(args)
    if database.exists():
        with DataFile.open(database, OpenOptions(edit=False)) as data_file:
            district = load_district(data_file)
            district_name = district.name if district else ""
    build_complaint_form_pdf(printable_complaint_form(district_name, args.lang), out)
    print(out)
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "gui": cmd_gui,
    "demo": cmd_demo,
    "check": cmd_check,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "mou": cmd_mou,
    "print": cmd_print,
    "export": cmd_export,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status."""
    args = build_parser().parse_args(argv)
    logfile = setup_logging()
    try:
        return COMMANDS[args.command or "gui"](args)
    except SroDeskError as exc:
        print(exc.message, file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # output piped into a command that stopped reading (e.g. head)
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (keeps exit from failing)
        except OSError:
            pass
        return EXIT_OK
    except KeyboardInterrupt:
        print("Stopped; nothing more was changed.", file=sys.stderr)
        return EXIT_ERROR
    except Exception:
        log.exception("unexpected error in 'sro-desk %s'", args.command or "gui")
        where = f" Details are in {logfile}." if logfile else ""
        print(
            f"SRO Desk hit an unexpected problem and stopped; nothing more was changed.{where}",
            file=sys.stderr,
        )
        return EXIT_ERROR


if __name__ == "__main__":
    raise SystemExit(main())
