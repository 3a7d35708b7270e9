"""Domain texts: the GUIDE section 4 wording is exact, and no text recommends quinine."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from crampdiary.domain import medicines, texts

# Copied by hand from GUIDE 4.2, so that an accidental edit of texts.py fails here.
GUIDE_URGENT = [
    "one leg becomes swollen, warm, red or darker, or sore to touch — call emergency services if "
    "you also feel suddenly short of breath or have chest pain",
    "a cramp lasts longer than 10 minutes and doesn't ease when you stretch or move",
    "a foot or leg turns pale, blue or cold, or you have severe leg pain while resting",
    "you get cramps or muscle stiffness (for example in the jaw) after a cut or wound that may "
    "have had soil or dirt in it, or after contact with a poison",
    "you have severe muscle pain or weakness together with dark, cola-coloured urine",
    "your legs suddenly become weak or numb, or you have new problems controlling your bladder or "
    "bowels",
]
GUIDE_APPOINTMENT = [
    "cramps wake you up often, stop you from sleeping well, or make it hard to get through the day",
    "cramps are happening more often or getting worse",
    "you also have numbness, tingling, weakness, twitching under the skin, or a leg muscle that "
    "looks thinner",
    "your calf or thigh hurts when you walk and gets better when you stop",
    "you get cramps during the day or in other parts of your body, such as your back, stomach or "
    "arms",
    "the cramps started or got worse after you began or changed a medicine — keep taking it, but "
    "ask about it",
    "you're pregnant, or you have diabetes or kidney, liver, thyroid or circulation problems, and "
    "the cramps bother you",
    "you're thinking of taking quinine (including tonic water) or high-dose supplements for cramps",
]


_BLOCKS = frozenset({"p", "li", "ul", "h1", "h2", "h3"})


class _Text(HTMLParser):
    """The visible text of an HTML fragment, and the text of each list item and bold run."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.items: list[str] = []
        self.bold: list[str] = []
        self._stack: list[str] = []
        self._current: dict[str, list[str]] = {}
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._stack.append(tag)
        if tag in _BLOCKS:
            self.parts.append("\n")
        if tag in ("li", "b"):
            self._current[tag] = []

    def handle_endtag(self, tag: str) -> None:
        assert self._stack and self._stack[-1] == tag, f"unbalanced </{tag}>"
        self._stack.pop()
        if tag in _BLOCKS:
            self.parts.append("\n")
        if tag == "li":
            self.items.append("".join(self._current.pop("li")))
        elif tag == "b":
            self.bold.append("".join(self._current.pop("b")))

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        for chunk in self._current.values():
            chunk.append(data)

    @property
    def text(self) -> str:
        """One line per block, spaces collapsed."""
        lines = (re.sub(r"\s+", " ", line).strip() for line in "".join(self.parts).split("\n"))
        return "\n".join(line for line in lines if line)


def _all_texts() -> dict[str, str]:
    plain = {
        name: value
        for name, value in vars(texts).items()
        if name.isupper() and isinstance(value, str)
    }
    for name in ("WHEN_TO_SEE_HTML", "APP_GUIDE_HTML"):
        plain[name] = _Text(plain[name]).text
    plain["medicine_flag_text"] = texts.medicine_flag_text("Statin", "A")
    return plain


def test_disclaimer_long_is_the_three_paragraphs_of_guide_4_1() -> None:
    paragraphs = texts.DISCLAIMER_LONG.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("This app helps you keep a record of your leg cramps, sleep,")
    assert "It is a wellness diary, not a medical device." in paragraphs[0]
    assert paragraphs[0].endswith("it can't tell you whether a symptom is serious.")
    assert (
        "Please talk to a doctor, nurse, pharmacist or physiotherapist before you change any "
        "medicine, start a supplement, or begin new exercises." in paragraphs[1]
    )
    assert paragraphs[1].endswith(
        "Never stop or change a prescribed medicine because of something you see in this app."
    )
    assert paragraphs[2] == (
        "If you think you need urgent help, contact your local emergency number."
    )


def test_disclaimer_short_is_the_pdf_footer() -> None:
    assert texts.DISCLAIMER_SHORT == (
        "Patient-recorded wellness diary. Not a medical device or clinical assessment. "
        "Data are self-reported and may be incomplete."
    )


def test_when_to_see_html_has_every_guide_bullet_word_for_word() -> None:
    parsed = _Text(texts.WHEN_TO_SEE_HTML)
    assert parsed.items == GUIDE_URGENT + GUIDE_APPOINTMENT
    assert list(texts.WHEN_TO_SEE_URGENT) == GUIDE_URGENT
    assert list(texts.WHEN_TO_SEE_APPOINTMENT) == GUIDE_APPOINTMENT
    assert parsed.bold == [
        "Most night-time leg cramps are harmless, even though they can be very painful.",
        "Get medical help right away if:",
        "Make an appointment with your doctor or nurse if:",
    ]
    assert parsed.text.splitlines()[:2] == [
        "Most night-time leg cramps are harmless, even though they can be very painful. Keeping "
        "this diary can help you and your clinician see what's going on. Some signs mean it's "
        "worth getting checked.",
        "Get medical help right away if:",
    ]


def test_app_guide_names_the_keys_and_the_exact_nrs_anchors() -> None:
    text = _Text(texts.APP_GUIDE_HTML).text
    for phrase in (
        "Ctrl+L",
        "1–9 set the severity, 0 means 10",
        "arrow keys adjust it",
        "Enter saves",
        "“no pain”",
        "“worst pain imaginable”",
        "noon to noon",
        "morning card",
        "calendar strip",
        "Undo",
        "Redo",
        "File > Open data folder",
        "File > Export",
        "File > Import",
        "Nothing leaves this computer.",
    ):
        assert phrase in text, phrase


def test_data_sources_carry_the_usda_attribution_and_citation() -> None:
    assert (
        "Source: USDA, Agricultural Research Service, National Nutrient Database for Standard "
        "Reference, Release 28 (also in FoodData Central as SR Legacy)." in texts.DATA_SOURCES_TEXT
    )
    assert "Version Current: September 2015." in texts.DATA_SOURCES_TEXT
    assert texts.LICENSE_NAME == "GPL-3.0-or-later"


def test_quinine_note_is_neutral_safety_information() -> None:
    note = texts.QUININE_NOTE
    for phrase in (
        "should not be used routinely",
        "FDA",
        "2009",
        "2010",
        "MHRA",
        "doctor or pharmacist",
        "Tonic water",
    ):
        assert phrase in note, phrase
    assert not re.search(r"\bstop", note, re.IGNORECASE)


@pytest.mark.parametrize("tier", sorted(texts.EVIDENCE_TIERS))
def test_medicine_flag_text_names_class_and_tier_and_never_advises_stopping(tier: str) -> None:
    text = texts.medicine_flag_text("Statin", tier)
    assert text.startswith("Statin: associated with cramps in the literature (evidence tier ")
    assert f"tier {tier}: {texts.EVIDENCE_TIERS[tier]}" in text
    assert "keep taking your medicines as prescribed" in text
    assert "ask your clinician" in text


def test_every_guide_tier_used_by_the_medicine_list_has_a_description() -> None:
    tiers = {
        medicines.cramp_association(name)
        for name in ("atorvastatin", "naproxen", "nifedipine", "donepezil")
    }
    assert {a.evidence for a in tiers if a is not None} <= set(texts.EVIDENCE_TIERS)


# Phrases that would turn a mention of quinine or tonic water into a suggestion.
_RECOMMENDING = re.compile(
    r"\b(try|trying|recommend\w*|helps?|helpful|effective|works?|relie\w*|remedy|"
    r"(take|drink|have) (some )?(quinine|tonic))\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize("name", sorted(_all_texts()))
def test_no_text_recommends_quinine(name: str) -> None:
    text = _all_texts()[name]
    for sentence in re.split(r"(?<=[.!?:])\s+|\n+", text):
        if re.search(r"quinine|tonic", sentence, re.IGNORECASE):
            assert not _RECOMMENDING.search(sentence), sentence


@pytest.mark.parametrize("name", sorted(_all_texts()))
def test_no_text_advises_stopping_a_medicine(name: str) -> None:
    text = _all_texts()[name]
    assert not re.search(r"\bstop (taking|using|your)\b", text, re.IGNORECASE)
