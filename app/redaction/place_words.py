"""Regex building blocks shared by the location and facility detectors."""

from __future__ import annotations

STATE_CODES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|"
    "NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC|PR"
)
STATE_CODE_SET = frozenset(STATE_CODES.split("|"))
STATE_NAMES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|"
    "Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|"
    "Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|"
    "New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|"
    "South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|"
    "Wisconsin|Wyoming|Puerto Rico"
)
# Regions, states and countries are not PHI even when a town shares their name.
NOT_PHI_PLACES = frozenset(
    {s.lower() for s in STATE_NAMES.split("|")}
    | set(
        """america usa mexico canada china india japan vietnam philippines guatemala honduras
    el salvador cuba haiti africa europe asia navajo nation hopi apache rural urban downtown
    reservation the a an our his her their my town city county home work school""".split()
    )
    | {"navajo nation", "el salvador", "united states", "four corners", "the us", "indian country"}
)

CAP_WORD = r"(?:St\.|Ft\.|Mt\.|(?:[A-Z]['’])?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:['’-][A-Za-z]+)*|[A-Z]{2,5})"
# The same word after its first capital, so patterns can open with a plain [A-Z] (fast in re).
CAP_WORD_TAIL = r"(?:(?<=[SFM])t\.|(?:['’][A-Z])?[a-z]+(?:[A-Z][a-z]+)?(?:['’-][A-Za-z]+)*|[A-Z]{1,4})"
CAP_WORD_START = rf"[A-Z](?<![\w'’-].){CAP_WORD_TAIL}"
PLACE_WORDS = rf"{CAP_WORD}(?:\s+{CAP_WORD}){{0,2}}"
# Town names are not written in capitals; "NM" after "Farmington" is the state.
TOWN_WORD_CAPITALISED = r"(?:St\.|Ft\.|Mt\.|(?:[A-Z]['’])?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:['’-][A-Za-z]+)*)"
# The same word after its first capital: a search for town names then opens with a plain [A-Z].
_TOWN_WORD_CAPITALISED_TAIL = r"(?:(?<=[SFM])t\.|(?:['’][A-Z])?[a-z]+(?:[A-Z][a-z]+)?(?:['’-][A-Za-z]+)*)"
TOWN_NAME_WORDS = rf"[A-Z]{_TOWN_WORD_CAPITALISED_TAIL}(?:\s+{TOWN_WORD_CAPITALISED}){{0,2}}"
