"""Which characters of which field of a document cannot be printed, so the user is told before printing.

``unprintable(request)`` checks every field a document prints against the fonts available
(``scripts.unprintable_chars``). Such characters print as ``[U+XXXX]``, never as an empty box; the
preview asks before printing or saving and ``mesoplan documents`` warns on stderr.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from mesoplan.documents.content import DocumentRequest


@dataclass(frozen=True)
class Unprintable:
    """Characters of one field that no available font can print (or cannot print correctly)."""

    field: str
    chars: tuple[str, ...]
    mixed_words: tuple[str, ...] = ()
    """Words mixing right-to-left letters with Latin letters or digits (printed in the wrong order)."""

    def message(self) -> str:
        from mesoplan.documents.scripts import describe

        parts = [", ".join(describe(c) for c in self.chars)] if self.chars else []
        if self.mixed_words:
            parts.append("words mixing right-to-left letters with other letters or digits, which print in "
                         "the wrong order (put a space between them): " + ", ".join(self.mixed_words))
        return f"{self.field}: {'; '.join(parts)}"


def printed_fields(request: DocumentRequest) -> Iterator[tuple[str, str]]:
    """(field name, text) for every piece of data a document prints."""
    clinic, patient, practitioner, plan = request.clinic, request.patient, request.practitioner, request.plan
    yield from (("patient name", patient.full_name), ("patient ID", patient.id), ("sex", patient.sex),
                ("practitioner name", practitioner.name), ("practitioner profession", practitioner.profession),
                ("practitioner registration number", practitioner.registration_number),
                ("clinic name", clinic.name), ("clinic address", clinic.address), ("clinic telephone", clinic.phone),
                ("clinic emergency telephone", clinic.emergency_phone), ("clinic e-mail", clinic.email),
                ("plan reference", plan.plan_id), ("indication", plan.indication), ("technique", plan.technique),
                ("needle", plan.needle), ("protocol", plan.protocol), ("goals", plan.goals), ("notes", plan.notes),
                ("total volume", request.total_volume))
    for number, area in enumerate(plan.areas, 1):
        yield f"treatment area {number}", area
    for number, line in enumerate(request.lines, 1):
        yield from ((f"cocktail line {number} name", line.name), (f"cocktail line {number} strength", line.strength),
                    (f"cocktail line {number} regulatory status", line.legal_status),
                    (f"cocktail line {number} contents", line.actives))
    for number, finding in enumerate(request.findings, 1):
        yield from ((f"safety finding {number} title", finding.title),
                    (f"safety finding {number} explanation", finding.explanation))


def unprintable(request: DocumentRequest) -> tuple[Unprintable, ...]:
    """Every field with characters that cannot be printed, in the order the fields are listed above."""
    from mesoplan.documents.scripts import mixed_direction_words, unprintable_chars

    found = []
    for field, text in printed_fields(request):
        chars, mixed = unprintable_chars(text or ""), mixed_direction_words(text or "")
        if chars or mixed:
            found.append(Unprintable(field, tuple(chars), tuple(mixed)))
    return tuple(found)


def warning_text(problems: tuple[Unprintable, ...]) -> str:
    """A plain explanation listing each field and its characters (empty when there is nothing to say)."""
    if not problems:
        return ""
    from mesoplan.documents.scripts import placeholder

    lines = "\n".join(f"  • {p.message()}" for p in problems)
    chars = [c for p in problems for c in p.chars]
    if not chars:
        return "Some text cannot be printed correctly:\n" + lines
    return ("Some characters cannot be printed: no font on this computer has them. They will print as "
            f"their code instead (such as {placeholder(chars[0])}):\n" + lines)
