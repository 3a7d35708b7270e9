"""Domain layer: the app's fixed health texts (GUIDE section 4), kept word for word in one place.

The onboarding panel, the Help and About dialogs, the medicines list and the PDF all take their
wording from here, so a clinician's review of section 4 changes one file. No Qt: plain strings,
the 4.2 lists as tuples (for the PDF) and simple HTML for the Help pages.
"""

from __future__ import annotations

from html import escape
from typing import Final

from crampdiary import APP_NAME

LICENSE_NAME: Final = "GPL-3.0-or-later"

# --- GUIDE 4.1: disclaimer ----------------------------------------------------------------------

DISCLAIMER_PARAGRAPHS: Final[tuple[str, ...]] = (
    "This app helps you keep a record of your leg cramps, sleep, food and drink, and bedtime "
    "habits, and turn it into a summary you can share with a health professional. It is a "
    "wellness diary, not a medical device. It can't diagnose, treat or prevent any condition, and "
    "it can't tell you whether a symptom is serious.",
    "The tips in this app are general information based on published health guidance, and they "
    "may not be right for everyone. Please talk to a doctor, nurse, pharmacist or physiotherapist "
    "before you change any medicine, start a supplement, or begin new exercises. This matters "
    "especially if you are pregnant, have diabetes, or have heart, kidney, liver, thyroid or "
    "circulation problems, or have been told to limit fluids. Never stop or change a prescribed "
    "medicine because of something you see in this app.",
    "If you think you need urgent help, contact your local emergency number.",
)
DISCLAIMER_LONG: Final = "\n\n".join(DISCLAIMER_PARAGRAPHS)
DISCLAIMER_SHORT: Final = (
    "Patient-recorded wellness diary. Not a medical device or clinical assessment. "
    "Data are self-reported and may be incomplete."
)

# --- GUIDE 4.2: when to see a healthcare professional --------------------------------------------

WHEN_TO_SEE_TITLE: Final = "When to see a healthcare professional"
WHEN_TO_SEE_INTRO_BOLD: Final = (
    "Most night-time leg cramps are harmless, even though they can be very painful."
)
WHEN_TO_SEE_INTRO_REST: Final = (
    "Keeping this diary can help you and your clinician see what's going on. "
    "Some signs mean it's worth getting checked."
)
WHEN_TO_SEE_URGENT_HEADING: Final = "Get medical help right away if:"
WHEN_TO_SEE_URGENT: Final[tuple[str, ...]] = (
    "one leg becomes swollen, warm, red or darker, or sore to touch — call emergency services if "
    "you also feel suddenly short of breath or have chest pain",
    "a cramp lasts longer than 10 minutes and doesn't ease when you stretch or move",
    "a foot or leg turns pale, blue or cold, or you have severe leg pain while resting",
    "you get cramps or muscle stiffness (for example in the jaw) after a cut or wound that may "
    "have had soil or dirt in it, or after contact with a poison",
    "you have severe muscle pain or weakness together with dark, cola-coloured urine",
    "your legs suddenly become weak or numb, or you have new problems controlling your bladder "
    "or bowels",
)
WHEN_TO_SEE_APPOINTMENT_HEADING: Final = "Make an appointment with your doctor or nurse if:"
WHEN_TO_SEE_APPOINTMENT: Final[tuple[str, ...]] = (
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
)


def _html_list(items: tuple[str, ...]) -> str:
    return "<ul>" + "".join(f"<li>{escape(item, quote=False)}</li>" for item in items) + "</ul>"


WHEN_TO_SEE_HTML: Final = (
    f"<p><b>{escape(WHEN_TO_SEE_INTRO_BOLD, quote=False)}</b> "
    f"{escape(WHEN_TO_SEE_INTRO_REST, quote=False)}</p>"
    f"<p><b>{WHEN_TO_SEE_URGENT_HEADING}</b></p>{_html_list(WHEN_TO_SEE_URGENT)}"
    f"<p><b>{WHEN_TO_SEE_APPOINTMENT_HEADING}</b></p>{_html_list(WHEN_TO_SEE_APPOINTMENT)}"
)

# --- GUIDE 1.7, 1.8 and 4.3: medicines ----------------------------------------------------------

QUININE_NOTE: Final = (
    "Safety information about quinine. Medicines regulators have warned that quinine should not "
    "be used routinely for leg cramps, because of rare but serious side effects such as blood "
    "disorders, kidney damage and heart rhythm problems. The US Food and Drug Administration "
    "(FDA) issued its warnings in 2009 and 2010, and the UK Medicines and Healthcare products "
    "Regulatory Agency (MHRA) has advised the same. Tonic water contains quinine. If you have "
    "questions about quinine or tonic water, talk to your doctor or pharmacist."
)

# What each GUIDE 1.7 tier rests on, in words a user can follow.
EVIDENCE_TIERS: Final[dict[str, str]] = {
    "A": "a large population study",
    "B": "a major clinical review",
    "C": "clinical guidelines or patient guidance",
    "D": "general lists of drug causes of muscle cramps",
}

MEDICINE_FLAG_TEXT: Final = (
    "{drug_class}: associated with cramps in the literature (evidence tier {tier}: {source}). "
    "This is not advice: keep taking your medicines as prescribed, and ask your clinician if you "
    "have questions."
)
MEDICINE_FLAG_LEGEND: Final = (
    "A class in the last column means a medicine of that kind is associated with cramps in the "
    "literature. This is not advice: keep taking your medicines as prescribed, and ask your "
    "clinician if you have questions."
)


def medicine_flag_text(drug_class: str, tier: str) -> str:
    """MEDICINE_FLAG_TEXT filled in for one class and its GUIDE tier."""
    source = EVIDENCE_TIERS.get(tier, "published sources")
    return MEDICINE_FLAG_TEXT.format(drug_class=drug_class, tier=tier, source=source)


# --- Help > Guide to Cramp Diary ------------------------------------------------------------

APP_GUIDE_TITLE: Final = f"Guide to {APP_NAME}"
APP_GUIDE_HTML: Final = """\
<h3>Logging a cramp</h3>
<p>Press <b>Ctrl+L</b> to open the quick log. Set how bad the cramp was at its worst on the
0&ndash;10 scale, where 0 is &ldquo;no pain&rdquo; and 10 is &ldquo;worst pain imaginable&rdquo;:
the number keys <b>1</b>&ndash;<b>9</b> set the severity, <b>0</b> means 10, the
<b>arrow keys</b> adjust it, and <b>Enter</b> saves.</p>

<h3>Nights</h3>
<p>A night runs from noon to noon, so a cramp at 3 in the morning belongs to the night before.
The calendar strip shows each night as not logged yet, logged with no cramps, or with cramps
(and how bad the worst one was). Logging a night with no cramps matters too: it shows which
nights were good.</p>
<p>In the morning, the morning card asks about the night that has just ended, so you can record
it in a few key presses.</p>

<h3>Mistakes</h3>
<p>Every change can be taken back with <b>Undo</b> (Ctrl+Z) and put back again with
<b>Redo</b> (Ctrl+Shift+Z).</p>

<h3>Your data</h3>
<p>Your diary is kept in your data folder; see <b>File &gt; Open data folder</b>. Cramp Diary
keeps backup copies in the <i>backups</i> folder inside it: <b>File &gt; Back up now</b> makes
one at any time, and <b>File &gt; Restore from backup</b> puts one back. With
<b>File &gt; Export</b> you can save your diary to a file, and with <b>File &gt; Import</b> read
it in again, for example on another computer.</p>

<h3>Privacy</h3>
<p>Nothing leaves this computer. Cramp Diary has no account, sends no data and does not connect
to the internet. You decide whether to share a summary with your clinician.</p>
"""

# --- About: the data the app ships --------------------------------------------------------------

DATA_SOURCES_TEXT: Final = (
    "Food composition data. Source: USDA, Agricultural Research Service, National Nutrient "
    "Database for Standard Reference, Release 28 (also in FoodData Central as SR Legacy). "
    "Citation: US Department of Agriculture, Agricultural Research Service, Nutrient Data "
    "Laboratory. USDA National Nutrient Database for Standard Reference, Release 28. Version "
    "Current: September 2015. These data are in the public domain."
)
PRIVACY_TEXT: Final = "Your data stays on this computer."
