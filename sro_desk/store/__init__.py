"""The data file itself: opening, the write lease, migrations, backups, the audit log."""

from sro_desk.store.database import DataFile, OpenOptions, one_snapshot

__all__ = ["DataFile", "OpenOptions", "one_snapshot"]
