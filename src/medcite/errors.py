"""The error base class: every exception a user can act on subclasses :class:`MedciteError`.

The CLI shows the message of these (and of ``FileNotFoundError`` / ``ValueError``) without a traceback.
This module imports nothing from MedCite, so any layer may raise these errors without an import circle.
"""

from __future__ import annotations


class MedciteError(Exception):
    """A failure the user can act on; the message says what happened and what to do."""


USER_ERRORS: tuple[type[BaseException], ...] = (MedciteError, FileNotFoundError, ValueError)
