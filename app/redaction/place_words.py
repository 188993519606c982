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
    # languages and faiths that a small town shares ("handout in English only", "in Ukrainian")
    | {"english", "ukrainian", "arab", "christian"}
    | {"navajo nation", "el salvador", "united states", "four corners", "the us", "indian country"}
)

CAP_WORD = r"(?:St\.|Ft\.|Mt\.|(?:[A-Z]['’])?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:['’-][A-Za-z]+)*|[A-Z]{2,}+(?![a-z]))"
# The same word after its first capital, so patterns can open with a plain [A-Z] (fast in re).
CAP_WORD_TAIL = r"(?:(?<=[SFM])t\.|(?:['’][A-Z])?[a-z]+(?:[A-Z][a-z]+)?(?:['’-][A-Za-z]+)*|[A-Z]++(?![a-z]))"
CAP_WORD_START = rf"[A-Z](?<![\w'’-].){CAP_WORD_TAIL}"
PLACE_WORDS = rf"{CAP_WORD}(?:\s+{CAP_WORD}){{0,2}}"
# Town names are not written in capitals; "NM" after "Farmington" is the state.
TOWN_WORD_CAPITALISED = r"(?:St\.|Ft\.|Mt\.|(?:[A-Z]['’])?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:['’-][A-Za-z]+)*)"
# The same word after its first capital: a search for town names then opens with a plain [A-Z].
_TOWN_WORD_CAPITALISED_TAIL = r"(?:(?<=[SFM])t\.|(?:['’][A-Z])?[a-z]+(?:[A-Z][a-z]+)?(?:['’-][A-Za-z]+)*)"
TOWN_NAME_WORDS = rf"[A-Z]{_TOWN_WORD_CAPITALISED_TAIL}(?:\s+{TOWN_WORD_CAPITALISED}){{0,2}}"

# Countries (ISO 3166-1 English short names, as people write them): like a state, a country is no
# PHI, and never a person ("back from India", "Germany and Italy were his duty stations").
COUNTRY_NAMES = (
    "Afghanistan|Albania|Algeria|Andorra|Angola|Antigua and Barbuda|Argentina|Armenia|Australia|Austria|"
    "Azerbaijan|Bahamas|Bahrain|Bangladesh|Barbados|Belarus|Belgium|Belize|Benin|Bhutan|Bolivia|"
    "Bosnia and Herzegovina|Bosnia|Botswana|Brazil|Brunei|Bulgaria|Burkina Faso|Burundi|Cabo Verde|"
    "Cape Verde|Cambodia|Cameroon|Canada|Central African Republic|Chile|China|Colombia|Comoros|Congo|"
    "Costa Rica|Croatia|Cuba|Cyprus|Czechia|Czech Republic|Denmark|Djibouti|Dominica|Dominican Republic|"
    "Ecuador|Egypt|El Salvador|Equatorial Guinea|Eritrea|Estonia|Eswatini|Ethiopia|Fiji|Finland|France|"
    "Gabon|Gambia|Germany|Ghana|Greece|Grenada|Guatemala|Guinea|Guinea-Bissau|Guyana|Haiti|Honduras|"
    "Hungary|Iceland|India|Indonesia|Iran|Iraq|Ireland|Israel|Italy|Ivory Coast|Jamaica|Japan|Jordan|Chad|"
    "Kazakhstan|Kenya|Kiribati|Korea|North Korea|South Korea|Kosovo|Kuwait|Kyrgyzstan|Laos|Latvia|"
    "Lebanon|Lesotho|Liberia|Libya|Liechtenstein|Lithuania|Luxembourg|Madagascar|Malawi|Malaysia|"
    "Maldives|Mali|Malta|Marshall Islands|Mauritania|Mauritius|Mexico|Micronesia|Moldova|Monaco|Mongolia|"
    "Montenegro|Morocco|Mozambique|Myanmar|Burma|Namibia|Nauru|Nepal|Netherlands|Holland|New Zealand|"
    "Nicaragua|Niger|Nigeria|North Macedonia|Macedonia|Norway|Oman|Pakistan|Palau|Palestine|Panama|"
    "Papua New Guinea|Paraguay|Peru|Philippines|Poland|Portugal|Qatar|Romania|Russia|Rwanda|"
    "Saint Lucia|Samoa|San Marino|Saudi Arabia|Senegal|Serbia|Seychelles|Sierra Leone|Singapore|Slovakia|"
    "Slovenia|Solomon Islands|Somalia|South Africa|South Sudan|Spain|Sri Lanka|Sudan|Suriname|Sweden|"
    "Switzerland|Syria|Taiwan|Tajikistan|Tanzania|Thailand|Timor-Leste|Togo|Tonga|Trinidad and Tobago|"
    "Tunisia|Turkey|Turkmenistan|Tuvalu|Uganda|Ukraine|United Arab Emirates|United Kingdom|"
    "United States|Uruguay|Uzbekistan|Vanuatu|Venezuela|Vietnam|Yemen|Zambia|Zimbabwe|England|Scotland|"
    "Wales|Northern Ireland|Great Britain|Puerto Rico|Guam|American Samoa"
)
# States of Mexico and provinces of Canada: regions, no PHI, like a US state ("works in Nogales,
# Sonora").  Those that are also common surnames or US towns (Guerrero, Hidalgo, Durango,
# Ontario) or given names (Alberta) are left out.
FOREIGN_REGION_NAMES = (
    "Aguascalientes|Baja California|Baja California Sur|Campeche|Chiapas|Chihuahua|Coahuila|Guanajuato|"
    "Jalisco|Michoacán|Michoacan|Morelos|Nayarit|Nuevo León|Nuevo Leon|Oaxaca|Querétaro|Queretaro|"
    "Quintana Roo|San Luis Potosí|San Luis Potosi|Sinaloa|Sonora|Tabasco|Tamaulipas|Tlaxcala|Veracruz|"
    "Yucatán|Yucatan|Zacatecas|Quebec|British Columbia|Manitoba|Saskatchewan|Nova Scotia|New Brunswick|"
    "Newfoundland|Prince Edward Island|Yukon|Nunavut|Northwest Territories|Northern Mariana Islands|"
    "US Virgin Islands|Virgin Islands|"
    # states and regions patients and families come from: "nephew visiting from Punjab", "the Azores"
    "Guerrero|Puebla|Punjab|Gujarat|Kerala|Haryana|Rajasthan|Tamil Nadu|Andhra Pradesh|Telangana|Bihar|"
    "Uttar Pradesh|Maharashtra|West Bengal|Azores|Madeira|Minas Gerais|Bahia|Goiás|Goias|Espírito Santo|Espirito Santo"
)
# Countries that are also common given names in the US: still read as names in a name's place.
_COUNTRIES_ALSO_NAMES = frozenset({"jordan", "chad", "georgia"})
# "New York" is a city as often as a state.  A name the detectors read in a name's place that is
# also a region ("Jordan missed his visit", "Virginia called") stays a name.
REGION_NAMES = frozenset(name.lower() for name in (
    *STATE_NAMES.split("|"), *COUNTRY_NAMES.split("|"), *FOREIGN_REGION_NAMES.split("|"))) - {"new york"}
REGIONS_ALSO_NAMES = _COUNTRIES_ALSO_NAMES | {"virginia", "carolina", "dakota", "florida", "india", "kenya"}
SINGLE_WORD_COUNTRIES = frozenset(
    name.lower() for name in COUNTRY_NAMES.split("|") if " " not in name) - _COUNTRIES_ALSO_NAMES
