"""Restore backups into a workspace over and over, to be killed with SIGKILL part-way through.

Used by test_backup_ui.py. Usage: python -m tests.ui.restore_driver WORKSPACE FOLDER A B
Opens WORKSPACE (taking its lock, as the app does), prints "READY", then restores backup A,
then B, then A... through models.backups.restore_backup (which backs up the current state
first), printing "RESTORED A" or "RESTORED B" after each, until killed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from models.backups import restore_backup
from models.store import Store


def main(workspace: str, folder: str, a: str, b: str) -> None:
    store = Store(workspace, lock=True)
    print("READY", flush=True)
    sources = [("A", Path(a)), ("B", Path(b))]
    n = 0
    while True:
        name, backup = sources[n % 2]
        restore_backup(store, backup, Path(folder))
        print("RESTORED", name, flush=True)
        n += 1


if __name__ == "__main__":
    main(*sys.argv[1:5])
