"""Small text helpers shared by search and display: accent-free keys and name formatting; what a
one-line or multi-line field may hold (``one_line_problem``, ``multi_line_problem``) and the
Unicode form text is stored in (``nfc``)."""

from __future__ import annotations

import re
import unicodedata

_SPECIAL_LETTERS = str.maketrans({
    "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ı": "i", "ß": "ss",
    "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "ð": "d",
})
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


_NON_WORD_ASCII = re.compile(r"[^a-z0-9]+")


def search_key(text: str) -> str:
    """Lower-case, accent-free, punctuation-free words: 'Łukasiewicz-Ağaoğlu' -> 'lukasiewicz agaoglu'."""
    if not text:
        return ""
    if text.isascii():  # the common case, kept cheap: catalogs of 10,000 entries are keyed at once
        return " ".join(_NON_WORD_ASCII.sub(" ", text.lower()).split())
    text = text.translate(_SPECIAL_LETTERS)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", stripped.casefold().replace("_", " ")).split())


def search_tokens(text: str) -> list[str]:
    return search_key(text).split()


def digits_only(text: str) -> str:
    return "".join(ch for ch in (text or "") if ch.isdigit())


def full_name(family_name: str, given_names: str) -> str:
    """'Given Family', as names are printed on documents."""
    return " ".join(part for part in ((given_names or "").strip(), (family_name or "").strip()) if part)


def list_name(family_name: str, given_names: str) -> str:
    """'FAMILY, Given', as names are sorted in lists."""
    family = (family_name or "").strip()
    given = (given_names or "").strip()
    return f"{family}, {given}" if given else family


APOSTROPHES = "'’ʼ`´"


def name_tokens(*names: str) -> set[str]:
    """The words a patient can be found by: each word of the names, and words with their
    apostrophes dropped ('O'Brien' gives 'o', 'brien' and 'obrien')."""
    tokens: set[str] = set()
    for name in names:
        tokens.update(search_tokens(name))
        for word in (name or "").split():
            if any(mark in word for mark in APOSTROPHES):
                joined = search_key("".join(ch for ch in word if ch not in APOSTROPHES))
                tokens.update(joined.split())
    return {token[:100] for token in tokens if token}


# --- one-line and multi-line text: what may be stored --------------------------------------------

_ALLOWED_FORMAT = frozenset("\u200c\u200d")
"""Format characters a one-line field keeps: zero-width non-joiner and joiner, which Persian,
Indic scripts and emoji sequences need. Every other Cc/Cf character (tabs, line breaks, NUL,
bidi embeddings/overrides/isolates and marks, soft hyphens, byte-order marks) is refused."""
_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")


def character_name(ch: str) -> str:
    """'line break (U+000A)', 'tab (U+0009)', 'RIGHT-TO-LEFT OVERRIDE (U+202E)'."""
    code = f"U+{ord(ch):04X}"
    if ch in _LINE_BREAKS:
        return f"a line break ({code})"
    if ch == "\t":
        return f"a tab ({code})"
    if ch == "\x00":
        return f"a NUL character ({code})"
    name = unicodedata.name(ch, "")
    return f"the invisible character {name} ({code})" if name else \
        f"the invisible character {code}"


def one_line_problem(value: str) -> str:
    """Why ``value`` cannot be stored in a one-line field ('' when it can)."""
    for ch in value:
        if ch in _LINE_BREAKS or (unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")
                                  and ch not in _ALLOWED_FORMAT):
            return f"must be one line of text; it contains {character_name(ch)}"
    return ""


def multi_line_problem(value: str) -> str:
    """Why ``value`` cannot be stored in a multi-line field ('' when it can): line breaks and
    tabs are fine there; other control characters (NUL, escape...) and the bidi embeddings,
    overrides and isolates that reorder the text after them are not."""
    for ch in value:
        if ch in "\n\r\t":
            continue
        if unicodedata.category(ch) == "Cc" or ch in _BIDI_CONTROLS:
            return f"contains {character_name(ch)}; remove it"
    return ""


_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def nfc(value: str) -> str:
    """``value`` in Unicode NFC (composed) form, as all text is stored."""
    return unicodedata.normalize("NFC", value) if value and not value.isascii() else value


def printable_line(value: str) -> str:
    """``value`` made safe for one line of terminal output: line breaks, tabs and other control
    characters (records stored before they were refused) are shown as ``\\n``, ``\\t``,
    ``<U+202E>``, so one record is always one line and nothing reorders what follows."""
    if value.isprintable() and value.isascii():
        return value
    shown = []
    for ch in value:
        if ch in _ALLOWED_FORMAT or not (unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")
                                         or ch in _LINE_BREAKS):
            shown.append(ch)
        elif ch == "\n":
            shown.append("\\n")
        elif ch == "\t":
            shown.append("\\t")
        else:
            shown.append(f"<U+{ord(ch):04X}>")
    return "".join(shown)
