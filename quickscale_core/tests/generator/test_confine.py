"""confine: a project path through a symlink that leads outside the project is refused,
whatever the shape of the link; one that stays inside is allowed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from quickscale_toolchain.generator.confine import (
    OutsideProject,
    check_confined,
    check_tree_confined,
)

# (links to make: name -> target, with OUT for the outside folder; path checked;
#  the link the refusal names, or None when allowed)
CASES = [
    ({}, "a/b/c.txt", None),
    ({"a": "OUT"}, "a/b/c.txt", "a"),
    ({"a": "OUT/missing"}, "a/b/c.txt", "a"),  # dangling: generate would create it
    ({"f.txt": "OUT/secret"}, "f.txt", "f.txt"),
    ({"a": "../.."}, "a/x", "a"),  # relative, climbing out
    ({"loop": "loop"}, "loop/x", "loop"),
    ({"a": "inner"}, "a/x.txt", None),  # inside the project
    ({"f.txt": "inner/x.txt"}, "f.txt", None),
    ({"a": "inner", "inner/b": "OUT"}, "a/b/x", "a/b"),  # out on the second hop
]


@pytest.mark.parametrize(("links", "path", "named"), CASES)
def test_paths_through_symlinks(
    links: dict[str, str], path: str, named: str | None, tmp_path: Path
) -> None:
    root, outside = tmp_path / "project", tmp_path / "outside"
    (root / "inner").mkdir(parents=True)
    (root / "inner" / "x.txt").write_text("inside\n")
    outside.mkdir()
    (outside / "secret").write_text("not the project's\n")
    for link, target in links.items():
        (root / link).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target.replace("OUT", str(outside)), root / link)
    if named is None:
        check_confined(root, [path])
        return
    with pytest.raises(OutsideProject) as refused:
        check_confined(root, [path])
    line = refused.value.one_line()
    assert line.startswith(f"{named} is a symlink to outside the project ("), line
    assert "replace it with a real " in line


def test_a_tree_is_refused_for_a_link_anywhere_below_it(tmp_path: Path) -> None:
    root, outside = tmp_path / "project", tmp_path / "outside"
    (root / "quickscale_core" / "src" / "pkg").mkdir(parents=True)
    outside.mkdir()
    check_tree_confined(root, "quickscale_core")
    os.symlink(root / "quickscale_core" / "src", root / "quickscale_core" / "src" / "pkg" / "up")
    check_tree_confined(root, "quickscale_core")  # inside: allowed
    os.symlink(outside / "x.py", root / "quickscale_core" / "src" / "pkg" / "x.py")
    with pytest.raises(OutsideProject, match=r"^quickscale_core/src/pkg/x.py is a symlink"):
        check_tree_confined(root, "quickscale_core")
