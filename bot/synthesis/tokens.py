"""Word tokens for key words and the TF-IDF fallback: English words, Chinese through jieba."""

from __future__ import annotations

import logging
import re
from functools import cache

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

_HAN = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)

#: Chinese function words and fillers that make poor key words.
CHINESE_STOP_WORDS = frozenset(
    [
        "的",
        "了",
        "是",
        "在",
        "我",
        "我们",
        "你",
        "他",
        "她",
        "它",
        "他们",
        "和",
        "与",
        "也",
        "都",
        "就",
        "很",
        "太",
        "没有",
        "有",
        "不",
        "要",
        "会",
        "能",
        "可以",
        "希望",
        "需要",
        "一个",
        "一",
        "这",
        "那",
        "这里",
        "那里",
        "里",
        "上",
        "下",
        "到",
        "去",
        "来",
        "把",
        "被",
        "让",
        "给",
        "对",
        "为",
        "从",
        "而",
        "又",
        "还",
        "才",
        "每",
        "每次",
        "根本",
        "什么",
        "怎么",
        "因为",
        "所以",
        "如果",
        "但是",
        "可是",
        "应该",
        "已经",
        "一直",
        "总是",
        "非常",
        "实在",
        "整天",
        "好几",
        "几乎",
        "只",
        "只有",
        "没",
        "人",
        "时候",
        "地方",
        "什么样",
        "这个",
        "那个",
        "好",
        "多",
        "少",
        "大",
        "小",
        "能够",
        "一点",
        "任何",
        "事先",
        "提前",
        "就是",
        "着",
        "过",
        "吗",
        "呢",
        "吧",
    ]
)
_EXTRA_ENGLISH = frozenset(
    [
        "need",
        "needs",
        "want",
        "wants",
        "please",
        "like",
        "would",
        "could",
        "just",
        "really",
        "lot",
        "lots",
        "get",
        "gets",
        "got",
        "make",
        "makes",
        "people",
        "city",
        "area",
        "place",
        "way",
        "time",
        "times",
        "day",
        "days",
        "every",
        "nobody",
        "there",
    ]
)
ENGLISH_STOPS = frozenset(ENGLISH_STOP_WORDS) | _EXTRA_ENGLISH


def has_han(text: str) -> bool:
    """True when ``text`` contains Chinese characters."""
    return _HAN.search(text) is not None


@cache
def _jieba() -> object:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


#: Words starting with a numeral or a negation ("一倍", "三月", "不肯") make poor key words.
_WEAK_START = frozenset("一二三四五六七八九十百千万两几每不没别")


def _chinese_words(text: str) -> list[str]:
    jieba = _jieba()
    found: list[str] = jieba.lcut(text)  # type: ignore[attr-defined]
    return [
        w
        for w in found
        if len(w) > 1 and has_han(w) and w not in CHINESE_STOP_WORDS and w[0] not in _WEAK_START
    ]


def words(text: str) -> list[str]:
    """Content words of ``text``, lower-cased, stop words dropped.

    Chinese runs are segmented with jieba; everything else is split on letters.
    """
    found: list[str] = []
    if has_han(text):
        found.extend(_chinese_words(text))
    for match in _WORD.finditer(text):
        word = match.group(0).lower()
        if has_han(word) or len(word) < 3 or word in ENGLISH_STOPS:
            continue
        found.append(word)
    return found
