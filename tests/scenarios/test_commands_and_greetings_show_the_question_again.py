"""Issue 11, item 11: after a command or a greeting Kim sees her question again, and only
real answer attempts count as failed tries.

"hello" at consent says it was not an answer and shows the consent question with
its valid answers; "hi, I am back", ``glossary``, ``my data``, ``status`` and
``help`` each end with the question she is at; the "this seems hard" line comes
only after three real wrong answers, however many greetings and commands are in
between. A greeting in Chinese works the same.
"""

from __future__ import annotations

from bot.runtime import Runtime
from bot.testing.harness import ChatHarness

DOMAINS_PROMPT = "Which areas of city life matter most to you? Pick 1 to 3."
STUCK = "needed to continue"


def test_hello_at_consent_says_what_is_expected(app: Runtime) -> None:
    kim = ChatHarness(app.router, user="kim", workshop="city")
    kim.start()
    replies = kim.say("hello")
    assert kim.step == "consent"
    assert replies[0].text.startswith("Hello! That was not an answer")
    assert replies[-1].step == "consent" and "Do you agree?" in replies[-1].text
    assert "Type yes or no (or 1 for yes, 2 for no)." in replies[-1].text


def test_commands_and_greetings_end_with_the_question_and_count_no_try(app: Runtime) -> None:
    kim = ChatHarness(app.router, user="kim2", workshop="city")
    kim.start()
    kim.say("yes")
    kim.say("4")
    assert kim.step == "domains"
    for line in ("hi, I am back", "glossary", "my data", "status", "help", "Hello again!"):
        replies = kim.say(line)
        assert kim.step == "domains", line
        assert replies[-1].step == "domains" and DOMAINS_PROMPT in replies[-1].text, line
        assert len(replies) >= 2, line  # what the command shows, then the question
    assert "Glossary:" in kim.transcript[-5][1][0]
    assert "What we store about you" in kim.transcript[-4][1][0]

    kim.say("blah")  # 1st real try
    for line in ("hello", "glossary", "my data"):
        kim.say(line)
    kim.say("blub")  # 2nd
    kim.say("hi, I am back")
    assert STUCK not in kim.text and "seems hard" not in kim.text
    kim.say("xyz")  # 3rd
    assert STUCK in kim.text

    # A greeting that goes on with words is an answer, stored as typed.
    kim.say("mobility")
    for line in ("5", "2"):
        kim.say(line)
    assert kim.step == "need_text"
    kim.say("Hello, the bus stop is too far from the clinic")
    assert kim.step == "hmw"


def test_a_greeting_after_stop_resumes_and_a_chinese_greeting_is_no_answer(app: Runtime) -> None:
    lin = ChatHarness(app.router, user="lin", workshop="city", locale="zh")
    lin.start()
    lin.say("是")
    lin.say("4")
    assert lin.step == "domains"
    replies = lin.say("你好，我回来了")
    assert lin.step == "domains" and replies[0].text.startswith("您好！这不是对问题的回答")
    assert replies[-1].step == "domains"
    lin.say("停止")
    replies = lin.say("hi, I am back")
    assert lin.step == "domains" and replies[-1].step == "domains"
    assert "欢迎回来" in replies[0].text
