"""What stops an import, shown to the user as str(exc) in Chinese: both imports, both the page and
the management commands."""


class ImportFileError(Exception):
    """The file as a whole cannot be read; str(exc) is shown to the user."""


class ImportPermissionError(Exception):
    """The user may not import for that station; str(exc) is shown."""


class ImportConflict(Exception):
    """Between the dry run and the confirm the data changed so that the file would fare otherwise
    (the station used one of its numbers for another enterprise, the register changed); nothing
    is imported. str(exc) is shown to the user."""


class AlreadyImported(Exception):
    """The batch was imported already (a second click, a second tab, a retried request)."""
