"""Count what a text costs: GSM-7 segments when every character allows it, else UCS-2."""

from __future__ import annotations

import math

#: GSM 03.38 basic character set (one septet each; the escape character left out).
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
#: GSM 03.38 extension table: each costs an escape and itself, two septets.
GSM7_EXTENDED = set("^{}\\[~]|€\f")


def is_gsm7(text: str) -> bool:
    """Tell whether a text can travel in the GSM-7 alphabet."""
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text)


def segments(text: str) -> int:
    """Return how many SMS segments the text takes (160/153 septets, or 70/67 UCS-2 units)."""
    if not text:
        return 1
    if is_gsm7(text):
        units = sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
        single, part = 160, 153
    else:
        units = len(text.encode("utf-16-le")) // 2  # characters beyond the BMP count twice
        single, part = 70, 67
    return 1 if units <= single else math.ceil(units / part)
