"""Opening a file from the window: the questions a person must answer on the way.

Someone else editing: open read-only. Their laptop went quiet: take over after a
plain warning. A damaged file: restore the latest backup. Anything else: one sentence.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sro_desk.errors import DamagedFile, SroDeskError
from sro_desk.store import DataFile, OpenOptions
from sro_desk.store.backup import restore
from sro_desk.store.lease import Lease, LeaseHeld
from sro_desk.ui.qt import QMessageBox, Qt, QWidget, show_error


def ask(parent: QWidget | None, text: str, buttons: list[tuple[str, str]], detail: str = "") -> str:
    """A question with named buttons; returns the chosen key ('' when dismissed)."""
    box = QMessageBox(parent)
    box.setWindowTitle("SRO Desk")
    box.setIcon(QMessageBox.Icon.Question)
    box.setTextFormat(Qt.TextFormat.PlainText)  # names come from the lock file
    box.setText(text)
    if detail:
        box.setInformativeText(detail)
    keys = {}
    for key, label in buttons:
        role = (
            QMessageBox.ButtonRole.RejectRole
            if key == "cancel"
            else QMessageBox.ButtonRole.AcceptRole
        )
        button = box.addButton(label, role)
        button.setAccessibleName(label.replace("&", ""))
        keys[button] = key
        if key == "cancel":
            box.setEscapeButton(button)
    box.setDefaultButton(next(b for b, k in keys.items() if k != "cancel"))
    box.exec()
    return keys.get(box.clickedButton(), "")


def open_file(parent: QWidget | None, path: Path, *, create: bool = False) -> DataFile | None:
    """Open ``path`` for editing if possible, asking the person when it is not."""
    options = OpenOptions(create=create)
    while True:
        try:
            return DataFile.open(path, options)
        except LeaseHeld as exc:
            if exc.info.is_stale():
                choice = ask(
                    parent,
                    exc.message,
                    [("take", "&Take Over Editing"), ("read", "Open &Read-Only"), ("cancel", "Cancel")],
                    "Take over only if you know they are not working in it: anything they "
                    "have not saved will be refused when they try.",
                )
            else:
                choice = ask(
                    parent,
                    exc.message,
                    [("read", "Open &Read-Only"), ("cancel", "Cancel")],
                    "You will be told when editing frees up.",
                )
            if choice == "take":
                options = replace(options, take_over_stale=True)
            elif choice == "read":
                options = OpenOptions(edit=False, held_by=exc.info.describe())
            else:
                return None
        except DamagedFile as exc:
            if not exc.latest_backup:
                show_error(parent, exc)
                return None
            choice = ask(
                parent,
                exc.message,
                [("restore", "&Restore Latest Backup"), ("cancel", "Cancel")],
                "The damaged file is kept beside it under a new name; nothing is deleted.",
            )
            if choice != "restore":
                return None
            if not restore_with_lease(parent, path, Path(exc.latest_backup)):
                return None
        except SroDeskError as exc:
            show_error(parent, exc)
            return None
        except Exception as exc:  # a bug: logged, and a sentence shown
            show_error(parent, exc)
            return None


def restore_with_lease(parent: QWidget | None, database: Path, backup: Path) -> bool:
    """Restore ``backup`` into a file nobody has open for editing; True on success."""
    lease = Lease(database)
    try:
        lease.acquire()
        restore(database, backup)
    except Exception as exc:
        show_error(parent, exc)
        return False
    finally:
        lease.release()
    return True
