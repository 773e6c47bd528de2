"""The import graph of pdplanner/ runs the way pdplanner/ARCHITECTURE.toml says, and only so."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TABLE = tomllib.loads((ROOT / "pdplanner" / "ARCHITECTURE.toml").read_text())


def _module_path(dotted: str) -> str | None:
    """Return the repository path of a module of this tree (None for anything else)."""
    parts = dotted.split(".")
    for candidate in (Path(*parts).with_suffix(".py"), Path(*parts) / "__init__.py"):
        if (ROOT / candidate).is_file():
            return candidate.as_posix()
    return None


def _module_name(path: Path) -> str:
    relative = path.relative_to(ROOT).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


def _imported(path: Path) -> set[str]:
    """Return every module of this tree that `path` imports, anywhere in the file."""
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path.parent)
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from package import module` names a module; `from module import name` does not.
            names = [f"{base}.{alias.name}" for alias in node.names
                     if _module_path(f"{base}.{alias.name}")] or [base]
        else:
            continue
        for name in names:
            while name and _module_path(name) is None:
                name = name.rpartition(".")[0]
            if name and _module_path(name):
                found.add(_module_path(name))
    return found


def _part_of(path: str) -> str | None:
    """Return the part a file is on: the one that names it with the longest path."""
    best, length = None, -1
    for part, places in TABLE["parts"].items():
        for place in places:
            if (path == place or (place.endswith("/") and path.startswith(place))) \
                    and len(place) > length:
                best, length = part, len(place)
    return best


def _graph() -> list[tuple[str, str]]:
    """Return every (importer, imported) pair of files in pdplanner/."""
    return sorted((source.relative_to(ROOT).as_posix(), target)
                  for source in sorted((ROOT / "pdplanner").rglob("*.py"))
                  for target in _imported(source))


def _is_views(path: str) -> bool:
    return "views" in Path(path).with_suffix("").parts


def test_every_module_of_the_package_is_on_a_part():
    """A new file must be placed in the table before its imports can be judged."""
    files = [path.relative_to(ROOT).as_posix() for path in (ROOT / "pdplanner").rglob("*.py")]
    loose = sorted(path for path in files if _part_of(path) is None)
    assert loose == []


def test_the_table_allows_none_of_its_never_rows():
    """The allowed directions and the forbidden ones cannot contradict each other."""
    allowed = {(a, b) for a, targets in TABLE["may_import"].items() for b in targets}
    assert [row for row in TABLE["never"]["rows"] if (row[0], row[1]) in allowed] == []


def test_imports_run_only_in_the_allowed_direction():
    """Every import between two parts is one the table allows (zero exceptions)."""
    wrong = [f"{source} -> {target}" for source, target in _graph()
             if (a := _part_of(source)) != (b := _part_of(target))
             and b not in TABLE["may_import"][a]]
    assert wrong == []


@pytest.mark.parametrize("row", TABLE["never"]["rows"], ids=lambda row: f"{row[0]}-{row[1]}")
def test_a_never_import_does_not_exist(row):
    """No file of one part imports a file of the other, for the reason given."""
    source_part, target_part, _why = row
    found = [f"{s} -> {t}" for s, t in _graph()
             if _part_of(s) == source_part and _part_of(t) == target_part]
    assert found == []


def test_pages_are_imported_only_by_pages_of_their_room_and_the_assembly():
    """A room may use another room's services, queries or models, never its views."""
    wrong = []
    for source, target in _graph():
        if not _is_views(target) or source == target:
            continue
        own_room = _part_of(source) == _part_of(target) and _is_views(source)
        if not own_room and _part_of(source) not in TABLE["layers"]["views_imported_by"]:
            wrong.append(f"{source} -> {target}")
    assert wrong == []


def test_tables_import_no_forms_writes_reads_or_pages():
    """models.py sits below everything else in its room."""
    banned = set(TABLE["layers"]["models_never_import"])
    wrong = [f"{s} -> {t}" for s, t in _graph() if Path(s).stem == "models"
             and (Path(t).stem in banned or _is_views(t))]
    assert wrong == []


def test_no_view_module_touches_the_session():
    """Views validate and call one service; only services commit or roll back."""
    wrong = [path.relative_to(ROOT).as_posix() for path in (ROOT / "pdplanner").rglob("*.py")
             if _is_views(path.relative_to(ROOT).as_posix()) and "db.session" in path.read_text()]
    assert wrong == []


def test_statuses_are_compared_with_their_enums():
    """No `.status` is compared with a bare string, in Python or in a template."""
    bare = re.compile(r"""\.status(\.in_\(\(|\s*(==|!=|in \(|not in \()\s*)['"]""")
    places = [*(ROOT / "pdplanner").rglob("*.py"), *(ROOT / "templates").rglob("*.html")]
    wrong = [f"{path.relative_to(ROOT)}:{n}" for path in places
             for n, line in enumerate(path.read_text().splitlines(), 1) if bare.search(line)]
    assert wrong == []


def test_no_module_imports_another_modules_private_names():
    """A name another module needs is public: no `from pdplanner.x import _name` (a module
    imported under a private alias is fine)."""
    wrong = []
    for path in sorted((ROOT / "pdplanner").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pdplanner"):
                wrong += [f"{path.relative_to(ROOT).as_posix()}: {node.module}.{alias.name}"
                          for alias in node.names if alias.name.startswith("_")
                          and not _module_path(f"{node.module}.{alias.name}")]
    assert wrong == []
