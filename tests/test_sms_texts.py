"""Texts per kind in English and French, and what they cost in segments (GSM-7 or UCS-2)."""

import json

import pytest

from pdplanner.accounts.models import ReminderChannel, User
from pdplanner.extensions import db
from pdplanner.reminders.kinds import swept
from pdplanner.reminders.models import Channel, OutboxMessage
from pdplanner.reminders.planner import reply_code
from pdplanner.reminders.render import render_defaults
from pdplanner.reminders.sms.segments import is_gsm7, segments
from pdplanner.reminders.texting import compose

TITLE = "Formation continue sur la prise en charge intégrée des maladies de l'enfant"
SAMPLES = {"title": TITLE, "day": "2026-12-07", "days": 30,
           "starts_at": "2026-12-07T09:00:00+00:00"}


@pytest.mark.parametrize(("text", "count"), [
    ("a" * 160, 1), ("a" * 161, 2), ("a" * 306, 2), ("a" * 307, 3),
    ("é" * 160, 1),  # é, è, à, ù are in the GSM-7 alphabet
    ("€" * 80, 1), ("€" * 81, 2),  # the extension table costs two septets a character
    ("ê" * 70, 1), ("ê" + "a" * 70, 2), ("â" * 134, 2), ("â" * 135, 3),  # UCS-2: 70, then 67
    ("😀" * 35, 1), ("😀" * 36, 2),  # beyond the BMP: two UTF-16 units each
])
def test_segments_are_counted_as_gsm7_or_ucs2(text, count):
    """160 septets (153 per part) in GSM-7; 70 units (67 per part) once a character is not."""
    assert segments(text) == count


def test_french_accents_beyond_gsm7_force_ucs2():
    """ê and â (and ç) are not in GSM-7; é and à are."""
    assert not is_gsm7("fenêtre") and not is_gsm7("gâteau") and not is_gsm7("leçon")
    assert is_gsm7("séance à Bamako")


def test_every_kind_a_sweep_sends_has_its_own_text(app):
    """Each room writes its kinds' texts (none falls back to the mail's subject)."""
    assert all(kind.sms is not None for kind in swept())


@pytest.mark.parametrize("language", ["en", "fr"])
def test_each_kinds_text_fits_two_segments_with_link_and_code(app, language):
    """With a long title, the short link and a reply code, every text takes one or two
    segments; the "did it happen?" text stays in GSM-7 in both languages."""
    with app.app_context():
        person = User(email=None, name="Mariam Konaté-Traoré", phone="+22370123456",
                      language=language, reminder_channel=ReminderChannel.SMS)
        db.session.add(person)
        db.session.commit()
        texts = {}
        for kind in swept():
            row = OutboxMessage(kind=kind.name, channel=Channel.SMS,
                                params=json.dumps({**SAMPLES, "with_id": person.id}), text="",
                reply_code=reply_code(kind.name) if kind.reply else None)
            texts[kind.name] = compose(row, person, 123456, render_defaults())
        for name, text in texts.items():
            assert 1 <= segments(text) <= 2, (name, text)
            assert text.endswith("http://localhost/r/123456"), (name, text)
        overdue = texts["activity_overdue"]
        assert is_gsm7(overdue) and segments(overdue) == 1
        assert f"(code {reply_code('activity_overdue')})" in overdue
        opening = {"en": "Did it happen? ", "fr": "Cela a-t-il eu lieu ? "}[language]
        assert overdue.startswith(opening + TITLE[:37] + "...")
