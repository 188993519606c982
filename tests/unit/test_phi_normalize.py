"""The detector reads normalised text: identifiers written with other digits, spaces, dashes,
look-alike letters or invisible characters are found, at the offsets of the text as typed."""

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from app.redaction import find_phi, redact
from app.redaction.normalize import _LOOK_ALIKES, invisible_characters, normalise


def found(text: str) -> list[tuple[str, str]]:
    return [(f.label, text[f.start:f.end]) for f in find_phi(text)]


def test_ascii_text_is_read_as_it_is():
    text = "Woman in her 50s, ALT 88, seen 3 months ago."
    normalised = normalise(text)
    assert (normalised.text, normalised.unchanged, normalised.to_original(6, 8)) == (text, True, (6, 8))


def test_full_width_digits_of_an_ssn_are_found():
    text = "SSN １２３-４５-６７８９ on file"
    assert found(text) == [("SSN", "１２３-４５-６７８９")]


def test_digits_of_other_scripts_are_read_by_value():
    text = "call ٥٠٥-٥٥٥-٠١٤٢ after 5"  # Arabic-Indic digits
    assert found(text) == [("PHONE", "٥٠٥-٥٥٥-٠١٤٢")]


def test_en_dashes_and_minus_signs_are_hyphens():
    text = "SSN 123\u201345\u22126789."
    assert found(text) == [("SSN", "123\u201345\u22126789")]


def test_non_breaking_and_thin_spaces_are_spaces():
    text = "call 505\u00a0555\u202f0142 today"
    assert found(text) == [("PHONE", "505\u00a0555\u202f0142")]


def test_cyrillic_look_alike_letters_are_latin():
    text = "Pt Zebul\u043en Qu\u0430ckenbush seen"  # Cyrillic o and a
    assert found(text) == [("NAME", "Zebul\u043en Qu\u0430ckenbush")]


def test_invisible_characters_inside_an_identifier_are_seen_through():
    text = "SSN 123-45-67\u200b89, Pt Jo\u2060hn Smith"
    assert found(text) == [("SSN", "123-45-67\u200b89"), ("NAME", "Jo\u2060hn Smith")]


def test_full_width_e_mail_is_found():
    text = "mail zq\uff0ecanary\uff20example\u2024net please"
    assert found(text) == [("EMAIL", "zq\uff0ecanary\uff20example\u2024net")]


def test_accents_and_stray_combining_marks_hide_no_name():
    text = "Pt Jos\u00e9 Garci\u0301a seen"
    assert (normalise(text).text, found(text)) == ("Pt Jose Garcia seen", [("NAME", "Jos\u00e9 Garci\u0301a")])


def test_findings_map_back_across_expanding_and_dropped_characters():
    text = "\u2474\u00ad\u200b SSN 123-45-6789 \u0065\u0301"  # "(1)" in one character, invisibles
    normalised = normalise(text)
    assert normalised.text == "(1) SSN 123-45-6789 e"
    start = normalised.text.index("123")
    assert normalised.to_original(start, start + 11) == (text.index("123"), text.index("123") + 11)
    assert found(text) == [("SSN", "123-45-6789")]


def test_a_span_inside_one_expanded_character_maps_to_that_character():
    text = "a\u3392b"  # SQUARE MHZ: NFKC gives "MHz"
    normalised = normalise(text)
    assert normalised.text == "aMHzb"
    assert [normalised.to_original(1, 2), normalised.to_original(2, 4), normalised.to_original(4, 5)] == \
        [(1, 2), (1, 2), (2, 3)]


def test_redaction_replaces_exactly_what_was_typed():
    text = "Pt \u0408\u043ehn Smith, SSN \uff11\uff12\uff13-45-6789."
    assert redact(text, find_phi(text)) == "Pt [NAME], SSN [SSN]."


def test_invisible_characters_are_listed_with_position_and_name():
    text = "ok\u200bthen \u202eevil"
    assert [(c.position, c.description) for c in invisible_characters(text)] == [
        (2, "U+200B ZERO WIDTH SPACE"), (8, "U+202E RIGHT-TO-LEFT OVERRIDE")]
    assert invisible_characters("plain text, caf\u00e9 \u2013 ok") == []


def test_emoji_variation_selector_is_not_refused():
    assert invisible_characters("feels \u2764\ufe0f better") == []


# --- property: whatever characters carry an identifier, the normalised check finds it ----------

SPACES = ["\u00a0", "\u2002", "\u2009", "\u202f", "\u205f", "\u3000"]
DASHES = ["\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212", "\ufe63", "\uff0d"]
INVISIBLES = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u202a"]
DIGIT_BASES = [0xFF10, 0x0660, 0x06F0, 0x0966, 0x09E6, 0x1D7CE, 0x1D7EC]


def _look_alikes() -> dict[str, list[str]]:
    reverse: dict[str, list[str]] = {}
    for character, target in sorted(_LOOK_ALIKES.items()):
        if len(target) == 1 and target.isalpha() and not unicodedata.combining(character) \
                and normalise(f"x{character}x").text == f"x{target}x":
            reverse.setdefault(target, []).append(character)
    return reverse


LOOK_ALIKES = _look_alikes()

identifiers = st.one_of(
    st.builds(lambda a, b, c: ("SSN", "SSN ", f"{a}-{b:02d}-{c:04d}"),
              st.integers(101, 665), st.integers(10, 99), st.integers(1000, 9999)),
    st.builds(lambda a, b, c: ("PHONE", "call ", f"{a} {b}-{c:04d}"),
              st.integers(201, 989), st.integers(201, 989), st.integers(0, 9999)),
    st.builds(lambda m, d, y: ("DATE", "DOB ", f"{m:02d}/{d:02d}/{y}"),
              st.integers(1, 12), st.integers(1, 28), st.integers(1930, 2015)),
    st.builds(lambda n: ("MRN", "MRN ", str(n)), st.integers(10_000_000, 99_999_999)),
    st.builds(lambda first, last: ("NAME", "Pt ", f"{first} {last}"),
              st.sampled_from(["Zebulon", "Margaret", "Ethan", "Keisha", "Thomas"]),
              st.sampled_from(["Quackenbush", "Whitfield", "Gonzalez", "Okafor", "Peterson"])),
    st.builds(lambda user, host: ("EMAIL", "email ", f"{user}@{host}.org"),
              st.sampled_from(["zq.canary", "jsmith", "pat-ient"]), st.sampled_from(["example", "clinic-mail"])),
)


@st.composite
def disguised(draw, text: str) -> str:
    out = []
    for character in text:
        if character == " ":
            out.append(draw(st.sampled_from([" ", *SPACES])))
        elif character == "-":
            out.append(draw(st.sampled_from(["-", *DASHES])))
        elif character.isdigit():
            out.append(draw(st.sampled_from([character, *(chr(base + int(character)) for base in DIGIT_BASES)])))
        elif character in LOOK_ALIKES:
            out.append(draw(st.sampled_from([character, *LOOK_ALIKES[character]])))
        else:
            out.append(character)
        if draw(st.integers(0, 9)) == 0:
            out.append(draw(st.sampled_from(INVISIBLES)))
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), identifier=identifiers)
def test_normalised_check_finds_every_disguised_identifier(data, identifier):
    label, lead_in, value = identifier
    plain = f"Seen in clinic. {lead_in}{value} noted."
    assert any(f.label == label for f in find_phi(plain)), plain  # the generator makes real identifiers
    prefix = f"Seen in clinic. {data.draw(disguised(lead_in))}"
    carried = data.draw(disguised(value))
    text = f"{prefix}{carried} noted."
    start, end = len(prefix), len(prefix) + len(carried.rstrip("".join(INVISIBLES)))  # trailing ones are not in it
    covering = [f for f in find_phi(text) if f.start <= start and f.end >= end and f.label == label]
    assert covering, (text, found(text))


def test_unpaired_surrogate_is_listed_and_read_as_a_replacement_character():
    text = "Pt \ud800 seen"
    assert [(c.position, c.description) for c in invisible_characters(text)] == [(3, "U+D800 UNPAIRED SURROGATE")]
    assert normalise(text).text == "Pt \ufffd seen"
