"""Issue 15: an Arabic citizen completes all three tiers on the console, in Arabic.

Amal runs ``cityneeds chat --lang ar`` and answers with Arabic words and
Arabic-Indic digits only («نعم»، «السكان»، «خمسة»، «٢»، «١، ٢»، «لا شيء»، «تخطي»),
asks for help, the glossary, her progress and her data on the way. Every reply is
Arabic: known Arabic prompts appear and no English prompt of the scripts does. What
she gave is stored with the codes the rest of the product reads. Both databases.
"""

from __future__ import annotations

import re
import string

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from bot.cli.app import app as cli
from bot.core import load_core
from bot.runtime import Runtime
from bot.testing.harness import ChatHarness
from bot.testing.network import network_unreachable
from storage.models import Need, Participant, Requirement, Stakeholder, StakeholderLink
from storage.store import Store

runner = CliRunner()

AMAL = [
    "نعم",
    "مساعدة",
    "السكان",
    "المواصلات، الصحة",
    "خمسة",
    "٢",
    "موقف الحافلات بعيد جدًا عن المركز الصحي",
    "تخطي",
    "نعم",
    "أربعة",
    "١",
    "لا أستطيع حجز موعد بدون هاتف ذكي",
    "كيف يمكننا أن نحجز المواعيد بالهاتف؟",
    "المصطلحات",
    "نعم",
    "تنقل كبار السن",
    "البلدية",
    "الحكومة",
    "ممول",
    "٥",
    "٤",
    "لا شيء",
    "كبار السن",
    "نعم",
    "نعم",  # another stakeholder
    "نادي كبار السن",
    "المجتمع المدني",
    "مستفيد",
    "٢",
    "٥",
    "١، ٢",
    "لا شيء",
    "نعم",
    "لا",  # no more stakeholders
    "نعم",  # links: yes
    "١",
    "يخدم",
    "١",
    "نعم",
    "لا",  # no more links
    "لا",  # no other situation
    "أين أنا",
    "بياناتي",
    "حجز المواعيد",
    "التنقل",
    "ساكنة عمرها أكثر من 70 سنة",
    "حجز موعد بالهاتف",
    "تخطي",
    "ضروري",
    "تخطي",
    "نعم",
    "لا",
]

#: Replies only the Arabic catalog gives, one per tier and command used.
ARABIC = [
    "هل توافق؟",
    "باسم أي مجموعة تتكلم في الغالب؟",
    "يمكنك أن تكتب هذه الكلمات في أي وقت:",
    "التنقل والمواصلات (1 من 2): ما أهميته بالنسبة إليك؟",
    "• الحلزون الرباعي:",  # the glossary
    "الجزء 2 من 3: من له دور في حالة ما، وما العلاقات بينهم؟",
    "هذه هي العلاقة: البلدية ← يخدم ← نادي كبار السن.",
    "المحفوظ حتى الآن: حاجتان، طرفان معنيان، علاقة واحدة، لا متطلبات.",  # the dual and zero
    "• المجموعة: المجتمع المدني والسكان. اللغة: العربية. الموافقة: نعم.",
    "[المستوى التفصيلي (المتطلبات) · الخطوة 8 من 8]",
    "شكرًا لك! أنهيت الأجزاء الثلاثة.",
]

#: Direction marks and isolates, which the chat may put around Arabic text for display.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
#: Numbers may be shown in Arabic-Indic digits; the expected lines use 0-9.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


def _plain(text: str) -> str:
    """What a reader sees, without direction marks and with the digits as 0-9."""
    return _BIDI.sub("", text).translate(_DIGITS)


def _english_prompts() -> set[str]:
    """The literal parts (12 characters or more) of every English prompt and hint of the scripts."""
    catalogs = load_core().catalogs
    keys = {k for k in catalogs.messages["en"] if k.startswith("hint.")}
    for script in load_core().engine.scripts.values():
        keys.update(step.prompt for step in script.steps)
    parts = set()
    for key in keys:
        for literal, _, _, _ in string.Formatter().parse(catalogs.template(key, "en")):
            parts.update(line.strip() for line in literal.splitlines() if len(line.strip()) >= 12)
    return parts


@pytest.fixture
def console(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITYNEEDS_DATABASE_URL", store.url)
    monkeypatch.setenv("CITYNEEDS_SECRET", "arabic")


def test_an_arabic_citizen_completes_every_tier_in_arabic(console: None, store: Store) -> None:
    result = runner.invoke(
        cli, ["chat", "--user", "amal", "--lang", "ar", "--echo"], input="\n".join(AMAL)
    )
    assert result.exit_code == 0, result.output
    out = _plain(result.output)
    missing = [line for line in ARABIC if line not in out]
    assert missing == [], out[-2000:]
    english = sorted(p for p in _english_prompts() if p in out)
    assert "Which group do you mainly speak for?" in _english_prompts()
    assert english == []

    ws = store.find_workshop("city")
    assert ws is not None
    with store.session() as s:
        people = s.exec(select(Participant).where(Participant.workshop_id == ws.id)).all()
        needs = s.exec(select(Need).where(Need.workshop_id == ws.id)).all()
        stakeholders = s.exec(select(Stakeholder).where(Stakeholder.workshop_id == ws.id)).all()
        links = s.exec(select(StakeholderLink).where(StakeholderLink.workshop_id == ws.id)).all()
        stories = s.exec(select(Requirement).where(Requirement.workshop_id == ws.id)).all()
    assert [(p.locale, p.helix) for p in people] == [("ar", "civil_society")]
    assert sorted((n.domain_code, n.importance, n.satisfaction, n.text, n.hmw) for n in needs) == [
        (
            "health",
            4,
            1,
            "لا أستطيع حجز موعد بدون هاتف ذكي",
            "كيف يمكننا أن نحجز المواعيد بالهاتف؟",
        ),
        ("mobility", 5, 2, "موقف الحافلات بعيد جدًا عن المركز الصحي", None),
    ]
    assert sorted(
        (x.name, x.helix, x.role, x.power, x.interest, x.legitimacy, x.urgency, x.vulnerable)
        for x in stakeholders
    ) == [
        ("البلدية", "government", "funder", 5, 4, False, False, ["older_people"]),
        ("نادي كبار السن", "civil_society", "beneficiary", 2, 5, True, True, []),
    ]
    by_id = {x.id: x.name for x in stakeholders}
    assert [(by_id[k.source_id], k.relation, by_id[k.target_id]) for k in links] == [
        ("البلدية", "serves", "نادي كبار السن")
    ]
    assert [(r.module, r.domain_code, r.as_a, r.i_want, r.so_that, r.moscow) for r in stories] == [
        (
            "حجز المواعيد",
            "mobility",
            "ساكنة عمرها أكثر من 70 سنة",
            "حجز موعد بالهاتف",
            None,
            "must",
        )
    ]


def test_an_arabic_writer_whose_chat_gives_no_language_is_offered_arabic(app: Runtime) -> None:
    with network_unreachable():
        chat = ChatHarness(app.router, user="karim", workshop="city")  # no platform locale
        chat.start()
        for line in ("yes", "4", "mobility", "5", "2"):
            chat.say(line)
        chat.say("موقف الحافلات بعيد جدًا عن بيتي، ولا أستطيع أن أمشي إليه")
        chat.say("skip")
        chat.say("yes")  # the need is saved
        offer = "يبدو أنك تكتب بالعربية. للانتقال إلى العربية، اكتب: lang ar"
        assert offer in _plain(chat.text)
        assert "Pick a situation" in chat.text  # offered, not forced
        chat.say("لغة ar")
        assert chat.last is not None and chat.last.locale == "ar"
        assert "اللغة: العربية." in _plain(chat.text)
        assert "اختر حالة لننظر فيها." in _plain(chat.text)
