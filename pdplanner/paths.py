"""Find the top-level folders (templates, static, migrations, translations) wherever we run."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
SOURCE_ROOT = PACKAGE_DIR.parent


def resource_dir(name: str) -> Path:
    """Return the folder `name` inside the installed wheel, else beside the package."""
    inside = PACKAGE_DIR / name
    if inside.is_dir():
        return inside
    return SOURCE_ROOT / name


def compile_stale_translations(root: Path) -> None:
    """Compile any .po newer than its .mo, so an edited catalogue is used at once."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in root.glob("*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        try:
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file)
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog)
        except OSError:
            # A read-only install ships compiled catalogues from its build step.
            continue
