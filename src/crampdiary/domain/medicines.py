"""Domain layer: medicines the GUIDE (1.7) lists as associated with cramps in the literature.

The match only marks a name for the report. It is never advice: the app never suggests stopping or
changing a medicine.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class CrampAssociation:
    """Why a medicine name is marked: its class and the strength of the source."""

    drug_class: str
    evidence: str  # the GUIDE's tier: "A" population study ... "D" general cramp lists


_CLASSES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "Long-acting beta-2 agonist (inhaled)",
        "A",
        (
            "salmeterol",
            "formoterol",
            "vilanterol",
            "olodaterol",
            "indacaterol",
            "arformoterol",
            "symbicort",
            "seretide",
            "advair",
            "breo",
            "relvar",
            "dulera",
            "fostair",
        ),
    ),
    (
        "Potassium-sparing diuretic",
        "A",
        ("spironolactone", "amiloride", "triamterene", "eplerenone"),
    ),
    (
        "Thiazide or thiazide-like diuretic",
        "A",
        (
            "hydrochlorothiazide",
            "chlorthalidone",
            "chlortalidone",
            "indapamide",
            "bendroflumethiazide",
            "bendrofluazide",
            "metolazone",
            "chlorothiazide",
        ),
    ),
    (
        "Statin",
        "A",
        (
            "atorvastatin",
            "simvastatin",
            "rosuvastatin",
            "pravastatin",
            "lovastatin",
            "fluvastatin",
            "pitavastatin",
        ),
    ),
    ("Loop diuretic", "A", ("furosemide", "frusemide", "bumetanide", "torasemide", "torsemide")),
    ("Iron sucrose (intravenous)", "B", ("iron sucrose", "venofer")),
    ("Conjugated estrogens", "B", ("conjugated estrogen", "premarin")),
    ("Raloxifene", "B", ("raloxifene",)),
    ("Naproxen", "B", ("naproxen",)),
    ("Teriparatide", "B", ("teriparatide",)),
    (
        "Reported in studies (Allen & Kirby 2012)",
        "B",
        ("clonazepam", "citalopram", "celecoxib", "gabapentin", "zolpidem"),
    ),
    ("Short-acting beta-2 agonist", "C", ("salbutamol", "albuterol", "terbutaline")),
    (
        "Calcium channel blocker",
        "C",
        ("nifedipine", "amlodipine", "felodipine", "diltiazem", "verapamil", "lercanidipine"),
    ),
    ("Diuretic", "C", ("diuretic", "water tablet")),
    (
        "Opioid",
        "C",
        (
            "morphine",
            "oxycodone",
            "codeine",
            "tramadol",
            "hydrocodone",
            "fentanyl",
            "buprenorphine",
            "tapentadol",
        ),
    ),
    ("Lithium", "C", ("lithium",)),
    (
        "Listed among drug causes of muscle cramps",
        "D",
        (
            "donepezil",
            "pyrazinamide",
            "tolcapone",
            "vincristine",
            "cisplatin",
            "clofibrate",
            "cimetidine",
            "amphotericin",
            "succinylcholine",
            "oral contraceptive",
            "prednisolone",
            "prednisone",
        ),
    ),
)

QUININE_WORDS = ("quinine", "tonic water", "qualaquin")


def _norm(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", folded.lower()).strip()


def cramp_association(name: str) -> CrampAssociation | None:
    """The GUIDE class a medicine name belongs to, or None."""
    text = f" {_norm(name)} "
    for drug_class, tier, words in _CLASSES:
        for word in words:
            if f" {word}" in text:
                return CrampAssociation(drug_class, tier)
    return None


def mentions_quinine(name: str) -> bool:
    """Quinine or tonic water: shown with the safety information, never suggested."""
    text = _norm(name)
    return any(word in text for word in QUININE_WORDS)
