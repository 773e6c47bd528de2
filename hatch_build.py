"""Compile the French (and any other) message catalogues when the package is built."""

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileTranslations(BuildHookInterface):
    """Turn every translations/*/LC_MESSAGES/messages.po into its .mo beside it."""

    PLUGIN_NAME = "custom"

    def initialize(self, version, build_data):
        """Compile catalogues before files are collected, for wheels and editable installs."""
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        root = Path(self.root) / "translations"
        for po_path in root.glob("*/LC_MESSAGES/*.po"):
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file)
            with po_path.with_suffix(".mo").open("wb") as mo_file:
                write_mo(mo_file, catalog)
