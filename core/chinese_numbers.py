"""Chinese ordinal numbers as the office writes batches: 第十九批 ⇄ 19.

Only what such ordinals need: 1–9999 written with 一…九 and 十/百/千 (十九, not 一十九),
and Arabic digits inside the 第…批 frame (第19批) as people also type them."""

import re

DIGITS = "零一二三四五六七八九"
UNITS = ((1000, "千"), (100, "百"), (10, "十"))
_DIGIT_VALUES = {c: i for i, c in enumerate(DIGITS)} | {"两": 2, "〇": 0}
_UNIT_VALUES = {"千": 1000, "百": 100, "十": 10}


def to_chinese(number: int) -> str:
    if not 0 < number < 10000:
        return str(number)
    text = ""
    rest = number
    pending_zero = False
    for value, unit in UNITS:
        digit, rest = divmod(rest, value)
        if digit:
            if pending_zero:
                text += "零"
                pending_zero = False
            # 十九 rather than 一十九 when the number starts with the tens.
            text += ("" if (value == 10 and digit == 1 and not text) else DIGITS[digit]) + unit
        elif text:
            pending_zero = True
    if rest:
        if pending_zero:
            text += "零"
        text += DIGITS[rest]
    return text


def from_chinese(text: str) -> int | None:
    """十九 → 19, 一百零二 → 102; None if the text is not such a number."""
    if not text or any(c not in _DIGIT_VALUES and c not in _UNIT_VALUES for c in text):
        return None
    total, digit = 0, None
    for char in text:
        if char in _DIGIT_VALUES:
            digit = _DIGIT_VALUES[char]
        else:
            total += (1 if digit is None else digit) * _UNIT_VALUES[char]
            digit = None
    return total + (digit or 0)


_BATCH = re.compile(r"^\s*第?\s*([0-9]+|[零〇一二两三四五六七八九十百千]+)\s*批?\s*$")


def parse_batch(value) -> int | None:
    """19, "19", "第19批", "第十九批", "十九" → 19; None when it is none of these."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    match = _BATCH.match(str(value))
    if not match:
        return None
    number = match.group(1)
    return int(number) if number.isdigit() else from_chinese(number)


def batch_label(number: int) -> str:
    return f"第{to_chinese(number)}批"
