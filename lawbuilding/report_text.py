"""Sentence templates of the annual report, one per kind of record and field.

Every template is written for what a field *is* (a topic, a speaker, an organiser), never for
how its text happens to end: a lecture titled "《个人信息保护法》与涉外数据合规" and one titled
"《档案法》讲座" both give a grammatical sentence. The rules:

- a title is reduced to its topic by removing the event noun staff may or may not have typed
  ("讲座", "专题讲座", "培训班" …); the template then supplies the noun itself;
- a topic that is a single cited document (《…》) stands before the noun as the seed report
  writes it ("作《档案法》讲座"); any other topic is quoted and introduced by "以…为题"
  ("以“…”为题作专题讲座");
- a leading verb typed into a title ("观看", "学习") is dropped before the template adds its own.

The report itself is an official Chinese document (厅字〔2019〕28号 第二十四条 lists its
contents), so these strings are Chinese; they are marked for translation like every message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.translation import gettext as _

# The placeholder a theme or statutory part carries while no record fills it.
PLACEHOLDER = "本年度无相关记录：请补充或说明。"
PLACEHOLDER_MARK = "本年度无相关记录"
# The text an explicitly empty part carries in the draft (it is then left out of the report).
EMPTY_PART = "本部分无内容。"

EVENT_NOUNS = (
    "专题讲座",
    "讲座",
    "专题培训班",
    "培训班",
    "专场培训",
    "培训",
    "知识竞赛",
    "竞赛",
    "有奖竞答",
    "网上答题",
    "答题",
    "专题活动",
    "活动",
    "学习",
    "会议",
    "报告会",
    "座谈会",
)
LEADING_VERBS = ("观看", "旁听", "组织", "开展", "举办", "学习", "参加", "参与")
_CITATION = re.compile(r"^(《[^《》]+》)+$")
_PUNCT = "，。；：、 \u3000"


def _quote(text: str) -> str:
    """“text”, inner double quotes becoming single ones (GB/T 15834)."""
    return "“" + text.replace("“", "‘").replace("”", "’") + "”"


def topic_of(title: str, *, nouns: Iterable[str] = EVENT_NOUNS) -> str:
    """The topic of an event title: surrounding punctuation and a typed event noun removed."""
    topic = (title or "").strip().strip(_PUNCT)
    if topic.startswith("“") and topic.endswith("”") and topic.count("“") == 1:
        topic = topic[1:-1]
    for noun in sorted(nouns, key=len, reverse=True):
        if topic.endswith(noun):
            topic = topic[: -len(noun)].rstrip(_PUNCT + "的")
            break
    return topic


def without_leading_verb(title: str) -> str:
    title = (title or "").strip().strip(_PUNCT)
    for verb in LEADING_VERBS:
        if title.startswith(verb) and len(title) > len(verb):
            return title[len(verb) :]
    return title


def named_event(title: str, noun: str) -> str:
    """The event named by `title` with the noun `noun`: "《档案法》讲座", "“依法行政”培训", or
    the title itself when it already ends in an event noun ("依法行政专场培训班")."""
    title = (title or "").strip().strip(_PUNCT)
    if not title:
        return noun
    if any(title.endswith(n) for n in EVENT_NOUNS) and not _CITATION.match(title):
        return title
    topic = topic_of(title)
    if _CITATION.match(topic):
        return f"{topic}{noun}"
    return f"{_quote(topic)}{noun}"


def lecture(*, speaker: str, title: str) -> str:
    """邀请{speaker}作《…》讲座 / 邀请{speaker}以“…”为题作专题讲座 / 举办…讲座."""
    topic = topic_of(title)
    if not topic:
        talk = _("作专题讲座")
    elif _CITATION.match(topic):
        talk = _("作%(topic)s讲座") % {"topic": topic}
    else:
        talk = _("以%(topic)s为题作专题讲座") % {"topic": _quote(topic)}
    if speaker:
        return _("邀请%(speaker)s%(talk)s") % {"speaker": speaker, "talk": talk}
    if not topic:
        return _("举办专题讲座")
    return _("举办%(event)s") % {"event": named_event(title, _("讲座"))}


def watched(*, audience: str, title: str) -> str:
    """组织{audience}观看{…} (a court hearing watched live or recorded)."""
    what = without_leading_verb(title) or _("庭审")
    return _("组织%(who)s观看%(what)s") % {"who": audience or _("干部职工"), "what": what}


def self_study(*, audience: str, title: str) -> str:
    what = without_leading_verb(title) or _("法律法规")
    return _("组织%(who)s学习%(what)s") % {"who": audience or _("干部职工"), "what": what}


def attended_training(*, organiser: str, title: str) -> str:
    return _("参加%(organiser)s举办的%(event)s") % {
        "organiser": organiser,
        "event": named_event(title, _("培训")),
    }


def held_training(*, title: str) -> str:
    return _("举办%(event)s") % {"event": named_event(title, _("培训"))}


def joint_event(*, partners: str, title: str) -> str:
    return _("联合%(partners)s举办%(event)s") % {
        "partners": partners,
        "event": named_event(title, _("活动")),
    }


def held_event(*, title: str) -> str:
    return _("举办%(event)s") % {"event": named_event(title, _("活动"))}


def took_part(titles: list[str]) -> str:
    return _("参与%(events)s") % {"events": "、".join(named_event(t, _("活动")) for t in titles)}


# --- delegations (因公出国(境)团组, 中办发〔2013〕16号) ----------------------------------


def delegations(
    *,
    count: int,
    people: int,
    countries: list[str],
    pre_notice: int,
    education: int,
    in_trip: int,
    post_trip: int,
    post_notice: int,
    problems: int,
    refused: int,
    refused_reasons: list[str],
) -> list[str]:
    """Sentences on the year's outbound delegations and the office's checks of them."""
    out = []
    if count:
        text = _("全年审核因公出国（境）团组%(n)s批%(people)s人次") % {
            "n": count,
            "people": people,
        }
        if countries:
            shown = "、".join(countries[:5])
            text += (
                _("，出访%(countries)s等%(k)s个国家（地区）")
                if len(countries) > 5
                else _("，出访%(countries)s%(k)s个国家（地区）")
            ) % {"countries": shown, "k": len(countries)}
        out.append(text)
        checks = []
        if pre_notice:
            checks.append(_("%(n)s批按规定进行出访前公示") % {"n": pre_notice})
        if education:
            checks.append(_("%(n)s批开展行前外事纪律教育") % {"n": education})
        if in_trip or post_trip:
            checks.append(
                _("对%(a)s批团组进行事中检查、%(b)s批进行事后检查") % {"a": in_trip, "b": post_trip}
            )
        if post_notice:
            checks.append(_("%(n)s批回国后按时公开出访情况") % {"n": post_notice})
        if checks:
            out.append("，".join(checks))
        if problems:
            out.append(_("检查发现%(n)s批团组存在问题，已督促整改") % {"n": problems})
        else:
            out.append(_("检查中未发现违反因公出国（境）规定的问题"))
    if refused:
        text = _("对%(n)s批不符合规定的出访申请未予批准") % {"n": refused}
        if refused_reasons:
            text += _("（%(reasons)s）") % {"reasons": "；".join(refused_reasons[:3])}
        out.append(text)
    return out
