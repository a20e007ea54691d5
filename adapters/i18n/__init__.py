"""Message catalogues (gettext .po files, read by Babel) and Babel's locale formats."""

from adapters.i18n.languages import SHIPPED, BabelLanguages

__all__ = ["SHIPPED", "BabelLanguages"]
