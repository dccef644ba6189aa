"""Small text helpers shared by search and display: accent-free keys and name formatting."""

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
