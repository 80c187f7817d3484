"""Which Django apps a project's Python cannot import, and which distributions it lacks:
run as a script, in the project's interpreter, from the project directory
(``python app_probe.py APP ... dist:NAME ...``; a component's pins are distributions a
module of it imports only later, such as Babel for prices).

It prints the missing ones. An embedded component that is not installed still imports,
as an empty namespace package (its folder is on ``sys.path`` through the project
directory, as under ``manage.py``), and its submodules then fail far from the cause; such
an app counts as missing too.
"""

from __future__ import annotations

import importlib
import os
import sys
from importlib import metadata


def missing(apps: list[str]) -> list[str]:
    absent = []
    for name in apps:
        if name.startswith("dist:"):
            wanted = name[len("dist:") :].split("[", 1)[0]
            try:
                metadata.distribution(wanted)
            except metadata.PackageNotFoundError:
                absent.append(wanted)
            continue
        try:
            module = importlib.import_module(name)
        except ImportError:
            absent.append(name)
            continue
        if getattr(module, "__file__", None) is None:
            absent.append(name)
    return absent


if __name__ == "__main__":
    # As manage.py sees it: the project directory first, not this script's folder.
    sys.path[0] = os.getcwd()
    print(" ".join(missing(sys.argv[1:])))
