"""The caution-tag and vehicle vocabularies shared by the catalog and the safety rules (pure data).

The catalog marks each ingredient or product with these tags; rules.json may only name tags from
``CAUTION_TAGS``, and the loader reports any other tag as a typo.
"""

from __future__ import annotations

CAUTION_TAGS: tuple[str, ...] = (
    "teratogen",
    "five_alpha_reductase_inhibitor",
    "dutasteride",
    "retinoid",
    "hyaluronidase",
    "ester_local_anaesthetic",
    "amide_local_anaesthetic",
    "adrenaline",
    "phosphatidylcholine",
    "deoxycholate",
    "lipolytic",
    "growth_factor",
    "asteraceae",
    "tranexamic_acid",
    "minoxidil",
    "thyroid_hormone",
    "hormone",
    "glutathione",
    "vitamin_c",
    "hyaluronic_acid",
    "sulfite",
    "paraben",
    "ginkgo",
    "dmae",
    "unverified",
    "acidic",
    "light_sensitive",
    "refrigerate",
)

KNOWN_TAGS: frozenset[str] = frozenset(CAUTION_TAGS)

# What an injectable is dissolved or suspended in. Oil and alcohol must never go into the skin.
VEHICLES: tuple[str, ...] = ("aqueous", "oil", "alcohol")
