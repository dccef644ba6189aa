"""Cocktail arithmetic (pure domain): volumes, amounts and final concentrations of each active,
amounts per session, per course and per zone, and the local-anaesthetic dose against its ceilings.

``compute_cocktail(components, *, zone_volumes=None, sessions=1, weight_kg=None, limits=...)``
takes ``ComponentInput`` rows (a single ingredient or a ready-made product with several actives,
each ``ActiveInput`` at its own strength) and returns a frozen ``CocktailResult``, or raises
``ValidationError`` listing every problem at once ("component 2 (Lidocaine 1 %), volume: ...").

``CocktailResult``: ``total_volume_ml``, ``session_volume_ml``, ``zone_total_ml``, ``sessions``,
``actives`` (``ActiveResult`` in order of first appearance: amounts in mg/IU/U and concentrations in
mg/mL, IU/mL or U/mL as ``units.Quantity``; ``concentration_text`` for display; ``per_zone``;
``contributions``; ``unknown_strength``), ``anaesthetic`` (``AnaestheticResult``: ``amide`` and
``ester`` ``AnaestheticDose`` with mg, mg/kg, ``ceiling_mg``, ``exceeded``, ``incomplete``;
``exceeded``; ``explanation``) and ``warnings`` (sentences for people).

Decisions:
- Volumes are taken to add up when mixed; an active's final concentration is its amount over the
  total volume. The same active (same ``code``) in several components adds up when the dimensions
  agree (mass, IU, U); otherwise the input is rejected.
- A missing strength (``None``) is not an error: the active is flagged ``unknown_strength``; any
  known part is still added up and shown as "at least ...".
- Per session: the whole mix (one syringe). When zone volumes are given and add up to more than the
  mix, more than one syringe is implied: the session amount follows the zone total and a warning
  says so. Per course = per session x ``sessions``. Per zone = concentration x zone volume.
- Anaesthetic ceilings come from ``AnaestheticLimits`` (defaults are the reference figures; callers
  pass the clinic's). Which actives count is the caller's flags, never names. The higher
  with-adrenaline ceiling applies only when every amide contribution is flagged ``with_adrenaline``.
  "At the ceiling" is allowed; only more than the ceiling counts as exceeded. Doses are per session.
  Ester-type (procaine) ceilings default to none: the reference gives only one brand's label figure.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from mesoplan.errors import Problem, ValidationError
from mesoplan.units import (
    BASE_CONCENTRATION,
    Dimension,
    Quantity,
    Unit,
    amount_unit,
    format_number,
    format_quantity,
    parse_unit,
    unknown_unit_message,
)

_TOLERANCE = 1e-9  # relative; keeps float noise (0.1 + 0.2) from tipping a comparison


@dataclass(frozen=True, slots=True)
class ActiveInput:
    """One active in a component, at its strength in that component (None = not recorded)."""

    code: str
    name: str
    strength_value: float | None
    strength_unit: str | None
    is_amide_local_anaesthetic: bool = False
    is_ester_local_anaesthetic: bool = False
    with_adrenaline: bool = False


@dataclass(frozen=True, slots=True)
class ComponentInput:
    """A line of the cocktail: a drawn-up ingredient or product, its volume and its actives."""

    name: str
    volume_ml: float
    actives: tuple[ActiveInput, ...]


@dataclass(frozen=True, slots=True)
class AnaestheticLimits:
    """Dose ceilings per session; the defaults are the reference figures, editable by the caller."""

    amide_plain_mg_per_kg: float = 4.5
    amide_plain_max_mg: float = 300.0
    amide_adrenaline_mg_per_kg: float = 7.0
    amide_adrenaline_max_mg: float = 500.0
    ester_mg_per_kg: float | None = None
    ester_max_mg: float | None = None


@dataclass(frozen=True, slots=True)
class Contribution:
    """What one component brings of an active (``position`` counts from 1)."""

    position: int
    component_name: str
    volume_ml: float
    strength: Quantity | None
    amount: Quantity | None
    with_adrenaline: bool


@dataclass(frozen=True, slots=True)
class ZoneAmount:
    zone_code: str
    volume_ml: float
    amount: Quantity | None


@dataclass(frozen=True, slots=True)
class ActiveResult:
    """An active across the whole mix; amounts count recorded strengths only."""

    code: str
    name: str
    amount_in_mix: Quantity | None
    concentration: Quantity | None
    amount_per_session: Quantity | None
    amount_per_course: Quantity | None
    per_zone: tuple[ZoneAmount, ...]
    unknown_strength: bool
    contributions: tuple[Contribution, ...]
    is_amide_local_anaesthetic: bool
    is_ester_local_anaesthetic: bool

    @property
    def with_adrenaline(self) -> bool:
        """Every contribution of this active is flagged as containing adrenaline."""
        return all(c.with_adrenaline for c in self.contributions)

    @property
    def concentration_text(self) -> str:
        if self.concentration is None:
            return "strength not recorded"
        text = format_quantity(self.concentration)
        return f"at least {text} (a strength is not recorded)" if self.unknown_strength else text


@dataclass(frozen=True, slots=True)
class AnaestheticDose:
    """One family of local anaesthetic (amide or ester) for one session."""

    mg: float
    mg_per_kg: float | None
    ceiling_mg: float | None
    exceeded: bool
    incomplete: bool  # a flagged active has no recorded strength: the real total may be higher
    active_names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AnaestheticResult:
    amide: AnaestheticDose
    ester: AnaestheticDose
    with_adrenaline: bool
    weight_kg: float | None
    explanation: str

    @property
    def exceeded(self) -> bool:
        return self.amide.exceeded or self.ester.exceeded


@dataclass(frozen=True, slots=True)
class CocktailResult:
    total_volume_ml: float
    session_volume_ml: float
    zone_total_ml: float | None
    sessions: int
    actives: tuple[ActiveResult, ...]
    anaesthetic: AnaestheticResult
    warnings: tuple[str, ...]


class _Entry(NamedTuple):
    position: int
    component_name: str
    volume_ml: float
    strength: Quantity | None | bool  # False: invalid (already reported)
    active: ActiveInput


def compute_cocktail(
    components: Iterable[ComponentInput],
    *,
    zone_volumes: Mapping[str, float] | None = None,
    sessions: int = 1,
    weight_kg: float | None = None,
    limits: AnaestheticLimits = AnaestheticLimits(),
) -> CocktailResult:
    """Work out the cocktail; raises ``ValidationError`` with every problem found."""
    components = tuple(components)
    problems: list[Problem] = []
    if not components:
        problems.append(Problem("cocktail", "it has no components; add an ingredient or a product"))
    by_code: dict[str, list[_Entry]] = {}
    volumes: list[float] = []
    for position, component in enumerate(components, 1):
        label = f"component {position}" + (f" ({component.name})" if component.name else "")
        volume = component.volume_ml
        if _bad_number(volume, f"{label}, volume", problems, allow_zero=False):
            volume = math.nan
        else:
            volumes.append(volume)
        several = len(component.actives) > 1
        for active in component.actives:
            where = f"{label}, {active.name} strength" if several else f"{label}, strength"
            found = _strength(active, where, problems)
            entries = by_code.setdefault(active.code, [])
            _check_same_dimension(entries, found, active, where, problems)
            entries.append(_Entry(position, component.name, volume, found, active))
    zones = _checked_options(zone_volumes, sessions, weight_kg, limits, problems)
    if problems:
        raise ValidationError(problems)

    total = math.fsum(volumes)
    zone_total = math.fsum(zones.values()) if zones is not None else None
    session_volume = total
    warnings: list[str] = []
    if zone_total is not None and zone_total > total * (1 + _TOLERANCE):
        session_volume = zone_total
        warnings.append(
            f"The zones add up to {format_number(zone_total)} mL but the mix is "
            f"{format_number(total)} mL, so more than one syringe of this mix is needed; the "
            f"amounts per session are worked out for {format_number(zone_total)} mL."
        )
    actives = tuple(
        _active_result(entries, total, session_volume, sessions, zones)
        for entries in by_code.values()
    )
    unknown = [a.name for a in actives if a.unknown_strength]
    if unknown:
        names = unknown[0] if len(unknown) == 1 else ", ".join(unknown[:-1]) + " and " + unknown[-1]
        warnings.append(f"No strength is recorded for {names}, so "
                        f"{'its amount' if len(unknown) == 1 else 'their amounts'} cannot be worked out.")
    anaesthetic = _anaesthetic(actives, weight_kg, limits)
    return CocktailResult(
        total, session_volume, zone_total, sessions, actives, anaesthetic, tuple(warnings)
    )


# --- checking the input -------------------------------------------------------------------------


def _bad_number(value: object, where: str, problems: list[Problem], *, allow_zero: bool) -> bool:
    """Adds a problem and returns True unless ``value`` is a finite number above (or at) zero."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        message = f"{value!r} is not a number"
    elif not math.isfinite(value):
        message = f"{value} is not a usable number"
    elif value < 0 or (value == 0 and not allow_zero):
        wanted = "zero or more" if allow_zero else "more than zero"
        message = f"must be {wanted}, not {format_number(value)}"
    else:
        return False
    problems.append(Problem(where, message))
    return True


def _strength(active: ActiveInput, where: str, problems: list[Problem]) -> Quantity | None | bool:
    """The strength in its base unit, None when not recorded, or False when it is invalid."""
    if active.strength_value is None:
        return None
    invalid = _bad_number(active.strength_value, where, problems, allow_zero=True)
    unit: Unit | None = None
    try:
        unit = parse_unit(active.strength_unit)
    except ValidationError:
        problems.append(Problem(f"{where} unit", unknown_unit_message(active.strength_unit)))
    is_anaesthetic = active.is_amide_local_anaesthetic or active.is_ester_local_anaesthetic
    if unit is not None and is_anaesthetic and unit.dimension is not Dimension.MASS:
        problems.append(Problem(f"{where} unit", (
            "a local anaesthetic's strength must be a mass unit (%, mg/mL, µg/mL or g/L), "
            f"not {unit.symbol}"
        )))
        unit = None
    if invalid or unit is None:
        return False
    return Quantity(unit.to_base(active.strength_value), BASE_CONCENTRATION[unit.dimension])


def _check_same_dimension(
    entries: list[_Entry], found: object, active: ActiveInput, where: str, problems: list[Problem]
) -> None:
    if not isinstance(found, Quantity):
        return
    earlier = next((e for e in entries if isinstance(e.strength, Quantity)), None)
    if earlier is not None and earlier.strength.dimension is not found.dimension:
        problems.append(Problem(f"{where} unit", (
            f"incompatible units: {active.name} is measured in {found.dimension.value} here but in "
            f"{earlier.strength.dimension.value} in component {earlier.position} "
            f"({earlier.component_name}); amounts of different kinds cannot be added up"
        )))


def _checked_options(
    zone_volumes: Mapping[str, float] | None, sessions: int, weight_kg: float | None,
    limits: AnaestheticLimits, problems: list[Problem],
) -> dict[str, float] | None:
    if isinstance(sessions, bool) or not isinstance(sessions, int) or sessions < 1:
        message = f"must be a whole number of 1 or more, not {sessions!r}"
        problems.append(Problem("sessions", message))
    if weight_kg is not None:
        _bad_number(weight_kg, "patient weight (kg)", problems, allow_zero=False)
    for name in AnaestheticLimits.__dataclass_fields__:
        value = getattr(limits, name)
        if value is not None or name.startswith("amide"):
            _bad_number(value, f"anaesthetic limits, {name}", problems, allow_zero=False)
    if zone_volumes is None:
        return None
    zones: dict[str, float] = {}
    for code, volume in zone_volumes.items():
        if not isinstance(code, str) or not code.strip():
            problems.append(Problem("zone volumes", f"{code!r} is not a zone code"))
        elif not _bad_number(volume, f"zone {code}, volume", problems, allow_zero=True):
            zones[code] = volume
    return zones


# --- working it out -----------------------------------------------------------------------------


def _scaled(amount: Quantity | None, numerator: float, denominator: float) -> Quantity | None:
    if amount is None or numerator == denominator:
        return amount
    return Quantity(amount.value * numerator / denominator, amount.unit)


def _active_result(
    entries: list[_Entry], total: float, session_volume: float, sessions: int,
    zones: dict[str, float] | None,
) -> ActiveResult:
    first = entries[0].active
    contributions = []
    known: list[float] = []
    unit: Unit | None = None
    for entry in entries:
        amount = None
        if isinstance(entry.strength, Quantity):
            unit = amount_unit(entry.strength.dimension)
            amount = Quantity(entry.strength.value * entry.volume_ml, unit)
            known.append(amount.value)
        contributions.append(
            Contribution(entry.position, entry.component_name, entry.volume_ml, entry.strength,
                         amount, entry.active.with_adrenaline)
        )
    in_mix = Quantity(math.fsum(known), unit) if unit is not None else None
    concentration = None
    if in_mix is not None:
        concentration = Quantity(in_mix.value / total, BASE_CONCENTRATION[in_mix.dimension])
    per_session = _scaled(in_mix, session_volume, total)
    return ActiveResult(
        code=first.code,
        name=first.name,
        amount_in_mix=in_mix,
        concentration=concentration,
        amount_per_session=per_session,
        amount_per_course=_scaled(per_session, sessions, 1),
        per_zone=tuple(
            ZoneAmount(code, volume, _scaled(in_mix, volume, total))
            for code, volume in (zones or {}).items()
        ),
        unknown_strength=any(c.strength is None for c in contributions),
        contributions=tuple(contributions),
        is_amide_local_anaesthetic=any(e.active.is_amide_local_anaesthetic for e in entries),
        is_ester_local_anaesthetic=any(e.active.is_ester_local_anaesthetic for e in entries),
    )


def _ceiling(per_kg: float | None, cap: float | None, weight_kg: float | None) -> float | None:
    candidates = [cap] if cap is not None else []
    if per_kg is not None and weight_kg is not None:
        candidates.append(per_kg * weight_kg)
    return min(candidates) if candidates else None


def _dose(
    actives: list[ActiveResult], ceiling: float | None, weight_kg: float | None
) -> AnaestheticDose:
    mg = math.fsum(a.amount_per_session.value for a in actives if a.amount_per_session is not None)
    return AnaestheticDose(
        mg=mg,
        mg_per_kg=mg / weight_kg if weight_kg is not None else None,
        ceiling_mg=ceiling if actives else None,
        exceeded=bool(actives) and ceiling is not None and mg > ceiling * (1 + _TOLERANCE),
        incomplete=any(a.unknown_strength for a in actives),
        active_names=tuple(a.name for a in actives),
    )


def _anaesthetic(
    actives: tuple[ActiveResult, ...], weight_kg: float | None, limits: AnaestheticLimits
) -> AnaestheticResult:
    amides = [a for a in actives if a.is_amide_local_anaesthetic]
    # An active flagged both ways is counted once, as amide (the family with a ceiling).
    esters = [
        a for a in actives if a.is_ester_local_anaesthetic and not a.is_amide_local_anaesthetic
    ]
    adrenaline = bool(amides) and all(a.with_adrenaline for a in amides)
    if adrenaline:
        amide_limits = (limits.amide_adrenaline_mg_per_kg, limits.amide_adrenaline_max_mg)
    else:
        amide_limits = (limits.amide_plain_mg_per_kg, limits.amide_plain_max_mg)
    ester_limits = (limits.ester_mg_per_kg, limits.ester_max_mg)
    amide = _dose(amides, _ceiling(*amide_limits, weight_kg), weight_kg)
    ester = _dose(esters, _ceiling(*ester_limits, weight_kg), weight_kg)
    lines: list[str] = []
    if not amides and not esters:
        lines.append("This cocktail contains no local anaesthetic.")
    if amides:
        kind = "with adrenaline" if adrenaline else "without adrenaline"
        lines += _explain("Amide-type (lidocaine-type)", amide, amide_limits, weight_kg, kind)
        if not adrenaline and any(c.with_adrenaline for a in amides for c in a.contributions):
            lines.append("Not every amide anaesthetic is marked as containing adrenaline, so the "
                         "lower ceiling applies.")
    if esters:
        lines += _explain("Ester-type (procaine-type)", ester, ester_limits, weight_kg, "")
    return AnaestheticResult(amide, ester, adrenaline, weight_kg, " ".join(lines))


def _explain(label: str, dose: AnaestheticDose, limits: tuple[float | None, float | None],
             weight_kg: float | None, kind: str) -> list[str]:
    mg = format_number(dose.mg)
    dose_per_kg = dose.mg_per_kg
    per_kg_text = "" if dose_per_kg is None else f", that is {format_number(dose_per_kg)} mg/kg"
    lines = [f"{label} local anaesthetic ({', '.join(dose.active_names)}): {mg} mg per session"
             f"{per_kg_text}."]
    if dose.incomplete:
        lines.append("A strength is not recorded, so the real amount may be higher.")
    per_kg, cap = limits
    ceiling_name = f"The ceiling {kind}" if kind else "The ceiling"
    if dose.ceiling_mg is None:
        lines.append("No ceiling is set for this type; check the product's own label.")
        return lines
    parts = []
    if per_kg is not None and weight_kg is not None:
        parts.append(f"{format_number(per_kg)} mg/kg for {format_number(weight_kg)} kg")
    if cap is not None:
        parts.append(f"never more than {format_number(cap)} mg")
    lines.append(f"{ceiling_name} is {format_number(dose.ceiling_mg)} mg ({'; '.join(parts)}).")
    if per_kg is not None and weight_kg is None:
        lines.append(f"The patient's weight is not recorded, so the {format_number(per_kg)} mg/kg "
                     "limit could not be checked.")
    if dose.exceeded:
        over = format_number(dose.mg - dose.ceiling_mg)
        lines.append(f"The dose is over the ceiling by {over} mg.")
    else:
        lines.append("The dose is within the ceiling.")
    return lines
