"""The one sanitiser for text that reaches a terminal or a page: control characters and bidi overrides.

A stored field (a JSONL ``id``, ``source`` or ``url``, a file name) holding ESC, other C0/C1 controls or
bidirectional overrides could reset a terminal, rewrite a dose line, disguise an OSC 8 link or reorder what
the reader sees. Ingest strips them from every stored field (:func:`clean_line`, :func:`clean_text`) and
the CLI passes everything it prints through :func:`printable`, which shows any that remain (an older
library, a file name) as visible escapes.
"""

from __future__ import annotations

import re

# C0 controls, DEL, C1 controls, bidi marks, embeddings, overrides and isolates, line/paragraph separators,
# lone surrogates.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# The same but tab and newline, for multi-line output.
_UNPRINTABLE_IN_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e"
                                   "\u2066-\u2069\ud800-\udfff]")
_RAW_IN_JSON = re.compile("[\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# What stored prose may not hold: controls but tab, newline and CR; bidi embeddings, overrides and isolates
# (the invisible LRM/RLM marks stay: right-to-left text uses them legitimately).
_BAD_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_BAD_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match) -> str:
    return ascii(match.group())[1:-1]


def printable(text: str, *, lines: bool = False) -> str:
    """``text`` with unprintable characters shown as escapes (``\\x1b``, ``\\u202e``), for terminals.

    With ``lines``, tabs and newlines are kept (an answer in Markdown, a document's chunks).
    """
    return (_UNPRINTABLE_IN_LINES if lines else _UNPRINTABLE).sub(_escape, text)


def json_safe(text: str) -> str:
    """Serialised JSON with the unprintable characters ``ensure_ascii=False`` leaves raw escaped as ``\\uXXXX``
    (JSON itself escapes C0 controls inside strings; newlines between tokens stay)."""
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def clean_line(text: str) -> str:
    """A one-line stored field (id, title, source, url) without control or bidi characters."""
    return _BAD_IN_LINE.sub("", text)


def clean_text(text: str) -> str:
    """Stored prose without control characters (tab and newlines kept) or bidi overrides."""
    return _BAD_IN_TEXT.sub("", text)
