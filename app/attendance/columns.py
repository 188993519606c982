"""Header names of every supported layout and language, mapped to canonical fields.

Reports are read by header name, never by position: Zoom accounts add, drop and reorder
columns (`Guest`, `Recording Consent`, `In Waiting Room`). Each alias is compared after
`normalise_header`, so case, spacing, BOMs and full-width parentheses do not matter.

Where the strings come from (public parsers and tests found by code search):
- English Zoom, Zoom webinar, Teams: the shared sample files and DOMAIN.md.
- Japanese Zoom: the shared sample `zoom-participants-ja-1.csv`.
- Spanish Zoom: two generations seen in public code, `Nombre (nombre original), E-mail del
  usuario, Hora para unirse, Hora para salir, Duración (minutos)` and `…, Correo
  electrónico, Hora de entrada, Hora de salida, …, Invitado`; `Duración total (minutos)`
  for unique users.
- French Zoom: `Nom (nom original), Adresse e-mail de l’utilisateur, Heure d’arrivée,
  Heure de départ, Durée (minutes), Invité, Salle d’attente`.
- German Zoom: `Name (ursprünglicher Name), E-Mail, Beitrittszeit, Austrittszeit, Dauer
  (Minuten)` (a single public source).
- Portuguese (Brazil) Zoom: `Nome (nome original), E-mail, Ingressar na hora, Hora de
  saída, Duração (minutos), Convidado` (a single public source).
Entries marked GUESSED below were not found in any source and are plausible translations.
"""

from __future__ import annotations

from app.attendance.text import Record, normalise_header

# canonical field -> header aliases (any language)
_ALIASES: dict[str, tuple[str, ...]] = {
    # "Name (Original Name)": the current display name, then the account's name in the
    # last parentheses. Splitting is only right for these columns, not for Teams "Name".
    "name_with_original": (
        "Name (Original Name)",
        "User Name (Original Name)",
        "名前 (元の名前)",
        "Nombre (nombre original)",
        "Nom (nom original)",
        "Name (ursprünglicher Name)",
        "Nome (nome original)",
    ),
    "name": (
        "Name",
        "Full Name",
        "User Name",
        "Participant",
        "Participant Name",
        "Attendee Name",
        "名前",
        "Nombre",
        "Nombre de usuario",
        "Nom",
        "Nome",
        "Nom d'utilisateur",
        "Benutzername",  # GUESSED
    ),
    # Webinar attendee sections; the non-English spellings are GUESSED.
    "first_name": ("First Name", "Nombre de pila", "Prénom", "Vorname"),
    "last_name": ("Last Name", "Apellido", "Nom de famille", "Nachname", "Sobrenome"),
    "email": (
        "User Email",
        "Email",
        "E-mail",
        "Email Address",
        "E-mail Address",
        "ユーザーメール",
        "メール",
        "E-mail del usuario",
        "Correo electrónico",
        "Adresse e-mail de l'utilisateur",
        "Adresse e-mail",
        "E-Mail-Adresse",
        "E-mail do usuário",  # GUESSED
    ),
    "upn": ("Participant ID (UPN)", "UPN"),
    "join": (
        "Join Time",
        "First Join",
        "Join",
        "参加時刻",
        "Hora para unirse",
        "Hora de entrada",
        "Heure d'arrivée",
        "Heure de connexion",
        "Beitrittszeit",
        "Erster Beitritt",  # German Teams, from one public parser
        "Ingressar na hora",
        "Horário de entrada",  # GUESSED
    ),
    "leave": (
        "Leave Time",
        "Last Leave",
        "Leave",
        "退出時刻",
        "Hora para salir",
        "Hora de salida",
        "Heure de départ",
        "Heure de déconnexion",
        "Austrittszeit",
        "Letztes Verlassen",  # German Teams, from one public parser
        "Hora de saída",
        "Horário de saída",  # GUESSED
    ),
    "duration": (
        "Duration (Minutes)",
        "Duration",
        "In-meeting duration",
        "Time in Session (minutes)",
        "所要時間（分）",
        "Duración (minutos)",
        "Durée (minutes)",
        "Dauer (Minuten)",
        "Dauer",
        "Duração (minutos)",
        "Permanência (minutos)",
    ),
    "total_duration": (
        "Total Duration (Minutes)",
        "Duración total (minutos)",
        "合計所要時間（分）",  # GUESSED
        "Durée totale (minutes)",  # GUESSED
        "Gesamtdauer (Minuten)",  # GUESSED
        "Duração total (minutos)",  # GUESSED
    ),
    "role": ("Role", "Rol", "Rôle", "Rolle", "Função", "役割"),  # non-English GUESSED
    "attended": ("Attended",),
    # Zoom lists time spent in the waiting room as rows of its own, marked "Yes" here.
    "waiting_room": (
        "In Waiting Room",
        "En sala de espera",
        "Salle d'attente",
        "Na sala de espera",
        "Im Warteraum",  # GUESSED
        "待機室内",  # GUESSED
    ),
    "action": ("User Action",),
    "timestamp": ("Timestamp",),
}

# Headers only day-first locales write; they settle ambiguous dates such as 01/02/2026.
_DAY_FIRST_LOCALE_HEADERS = (
    "Nombre (nombre original)",
    "Nom (nom original)",
    "Name (ursprünglicher Name)",
    "Nome (nome original)",
    "Hora para unirse",
    "Hora de entrada",
    "Heure d'arrivée",
    "Beitrittszeit",
    "Ingressar na hora",
    "Duración (minutos)",
    "Durée (minutes)",
    "Dauer (Minuten)",
    "Duração (minutos)",
)

FIELD_OF_HEADER: dict[str, str] = {
    normalise_header(alias): field for field, aliases in _ALIASES.items() for alias in aliases
}
DAY_FIRST_HEADER_KEYS = frozenset(normalise_header(h) for h in _DAY_FIRST_LOCALE_HEADERS)
NAME_FIELDS = frozenset({"name_with_original", "name", "first_name", "action"})
DETAIL_FIELDS = frozenset({"email", "join", "leave", "duration", "total_duration", "timestamp"})


def columns_of(record: Record) -> dict[str, int]:
    """Canonical field -> column index for a header record.

    When a field appears twice, the first occurrence after the participant's name column
    wins: Zoom's one-line-per-participant export repeats the meeting's "Duration" and the
    host's "Email" before the participant's own columns.
    """
    occurrences: dict[str, list[int]] = {}
    for index, cell in enumerate(record.cells):
        field = FIELD_OF_HEADER.get(normalise_header(cell))
        if field:
            occurrences.setdefault(field, []).append(index)
    name_indexes = [occurrences[f][0] for f in ("name_with_original", "name") if f in occurrences]
    name_index = name_indexes[0] if name_indexes else -1
    return {
        field: next((i for i in indexes if i > name_index), indexes[0])
        for field, indexes in occurrences.items()
    }


def is_participant_header(record: Record) -> bool:
    """A participant table starts here: a name column and at least one detail column."""
    fields = set(columns_of(record))
    return bool(fields & NAME_FIELDS) and bool(fields & DETAIL_FIELDS)


def suggests_day_first(record: Record) -> bool:
    return any(normalise_header(cell) in DAY_FIRST_HEADER_KEYS for cell in record.cells)
