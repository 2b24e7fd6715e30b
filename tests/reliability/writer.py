"""A second SRO Desk process for the reliability tests: ``python -m tests.reliability.writer``.

    writer crash PATH SEED SPILL   save groups of rows until killed (see crashes.py)
    writer serve PATH              take commands on stdin, one reply line each

The ``serve`` commands stand for what a person does in another window:

    open [take-over]     open for editing      -> "editing" | "held SENTENCE" | "read-only SENTENCE"
    load                 read the district into memory (what a window shows)
    rename NAME          load the district, rename it, save -> "saved VERSION" | "error CLASS SENTENCE"
    rename-school N NAME load the district, rename its Nth school (from 0), save
    save-loaded NAME     rename the district loaded earlier and save it
    go-quiet             stop the heartbeat: date our lease an hour back (a sleeping laptop)
    heartbeat            refresh the lease -> "ok" | "error CLASS SENTENCE"
    version              PRAGMA data_version of our connection
    close | exit
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def serve(path: Path) -> None:
    from sro_desk.errors import SroDeskError
    from sro_desk.records.district import load_district, save_district
    from sro_desk.store import DataFile, OpenOptions
    from sro_desk.store.lease import LeaseHeld

    data_file = None
    loaded = None

    def reply(text: str) -> None:
        sys.stdout.write(text.replace("\n", " ") + "\n")
        sys.stdout.flush()

    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        try:
            if command == "open":
                try:
                    data_file = DataFile.open(path, OpenOptions(take_over_stale=argument == "take-over"))
                except LeaseHeld as exc:
                    reply(f"held {exc.message}")
                    continue
                reply("editing" if not data_file.read_only else f"read-only {data_file.read_only_reason}")
            elif command == "load":
                loaded = load_district(data_file)
                reply(f"loaded {loaded.version}")
            elif command == "rename":
                district = load_district(data_file)
                district.name = argument
                reply(f"saved {save_district(data_file, district).version}")
            elif command == "rename-school":
                number, _, name = argument.partition(" ")
                district = load_district(data_file)
                district.schools[int(number)].name = name
                reply(f"saved {save_district(data_file, district).version}")
            elif command == "save-loaded":
                loaded.name = argument
                reply(f"saved {save_district(data_file, loaded).version}")
            elif command == "go-quiet":
                lease = data_file.lease
                info = json.loads(lease.path.read_text(encoding="utf-8"))
                info["heartbeat_at"] = time.time() - 3600
                lease.path.write_text(json.dumps(info), encoding="utf-8")
                os.utime(lease.path, (time.time() - 3600, time.time() - 3600))
                reply("ok")
            elif command == "heartbeat":
                data_file.lease.heartbeat()
                reply("ok")
            elif command == "version":
                reply(str(data_file.data_version()))
            elif command == "close":
                data_file.close()
                data_file = None
                reply("closed")
            elif command == "exit":
                reply("bye")
                return
            else:
                reply(f"unknown {command}")
        except SroDeskError as exc:
            reply(f"error {type(exc).__name__} {exc.message}")


def main(argv: list[str]) -> None:
    if argv[0] == "crash":
        from tests.reliability.crashes import write_until_killed

        write_until_killed(Path(argv[1]), int(argv[2]), sys.stdout.fileno(), spill=argv[3] == "1")
    elif argv[0] == "serve":
        serve(Path(argv[1]))
    else:
        raise SystemExit(f"unknown mode {argv[0]}")


if __name__ == "__main__":
    os.environ.setdefault("SRO_DESK_BUSY_TIMEOUT", "1")
    main(sys.argv[1:])
