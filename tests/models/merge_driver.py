"""Merge a package into a workspace, to be killed part-way by test_merge_crash.py.

Usage: python -m tests.models.merge_driver WORKSPACE PACKAGE
Prints "MERGING" once the package is read and the merge is about to write, then "DONE".
"""

from __future__ import annotations

import sys

from models.audit_package import read_package
from models.merge import apply_merge
from models.store import Store


def main(workspace: str, package_path: str) -> None:
    package = read_package(package_path)
    with Store(workspace) as store:
        print("MERGING", flush=True)
        apply_merge(store, package, take="theirs")
    print("DONE", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
