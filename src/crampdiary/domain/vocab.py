"""Domain layer: the diary's vocabularies (keys stored, labels shown) and the NRS anchors."""

from __future__ import annotations

from typing import Final

MUSCLES: Final[dict[str, str]] = {
    "calf": "Calf",
    "foot": "Foot",
    "toes": "Toes",
    "shin": "Shin",
    "thigh_front": "Front of thigh",
    "thigh_back": "Back of thigh",
    "other": "Other",
}

SIDES: Final[dict[str, str]] = {"left": "Left", "right": "Right", "both": "Both"}

RELIEFS: Final[dict[str, str]] = {
    "stretched": "Stretched",
    "walked": "Walked",
    "flexed_foot": "Flexed the foot",
    "massaged": "Massaged",
    "heat": "Heat",
    "other": "Other",
}

DEFAULT_TAGS: Final[dict[str, str]] = {
    "long_standing": "Long standing",
    "long_sitting": "Long sitting",
    "hot_weather": "Hot weather",
    "new_shoes": "New shoes",
}

# Symptoms the GUIDE lists as reasons to see a clinician (section 1.4 / 4.3), with the tier of the
# message they lead to: "urgent" for the first-bullet signs, "appointment" for the rest.
SYMPTOMS: Final[dict[str, str]] = {
    "numbness_tingling": "Numbness or tingling",
    "weakness": "Weakness",
    "muscle_wasting_twitching": "Muscle looks thinner, or twitches under the skin",
    "one_leg_swelling_redness_warmth": "One leg swollen, red or warm",
    "pain_walking_eases_with_rest": "Leg pain when walking that eases with rest",
    "daytime_cramps": "Cramps during the day",
}
URGENT_SYMPTOMS: Final[frozenset[str]] = frozenset({"one_leg_swelling_redness_warmth"})

CONDITIONS: Final[dict[str, str]] = {
    "kidney_disease": "Kidney disease",
    "fluid_restriction": "Told to limit fluids",
    "diabetes": "Diabetes",
    "thyroid_disease": "Thyroid disease",
    "circulation_problems": "Circulation problems",
}

SEXES: Final[dict[str, str]] = {"female": "Female", "male": "Male"}
PREGNANCY: Final[dict[str, str]] = {
    "none": "Neither",
    "pregnant": "Pregnant",
    "lactating": "Breastfeeding",
}
UNITS: Final[dict[str, str]] = {"metric": "Metric", "us": "US customary"}

NRS_MIN: Final = 0
NRS_MAX: Final = 10
# The two end anchors are exact (GUIDE 2.4) and never change; the middle ones are helper text.
NRS_ANCHORS: Final[dict[int, str]] = {
    0: "no pain",
    2: "mild, easy to ignore",
    4: "distracting",
    6: "hard to ignore, stops what I'm doing",
    8: "intense, can hardly think of anything else",
    10: "worst pain imaginable",
}

MAX_NOTES: Final = 2000
MAX_DURATION_S: Final = 24 * 60 * 60
DEFAULT_DURATION_S: Final = 60


def nrs_anchor(value: int) -> str:
    """The helper text for an NRS value: the anchor at or just below it."""
    best = 0
    for key in NRS_ANCHORS:
        if key <= value:
            best = key
    return NRS_ANCHORS[best]


def label(vocabulary: dict[str, str], key: str) -> str:
    """A key's label; a user-defined key (tags) shows as words."""
    return vocabulary.get(key) or key.replace("_", " ").capitalize()
