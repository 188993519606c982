"""The people, programs and spoke sites of the demo hub (fictional; any likeness is chance)."""

PROGRAMS = [
    {
        "slug": "hcv",
        "name": "Hepatitis C Treatment in Primary Care",
        "description": "Weekly teleECHO clinic that helps primary-care teams treat hepatitis C with "
                       "direct-acting antivirals: staging fibrosis, choosing regimens, managing "
                       "interactions and reinfection in people who use drugs.",
        "timezone": "America/Denver",
        "video_url": "https://zoom.us/j/91234567890",
        "default_duration_minutes": 90,
        "visibility": "public",
        "sites": [
            ("Cibola Family Health Center", "Grants", "NM"),
            ("Four Corners Community Clinic", "Farmington", "NM"),
            ("San Luis Valley Health", "Alamosa", "CO"),
        ],
    },
    {
        "slug": "pain-oud",
        "name": "Chronic Pain and Opioid Use Disorder",
        "description": "Every other week, an interdisciplinary hub (addiction medicine, pain medicine, "
                       "behavioral health, pharmacy) helps spoke teams taper safely, start "
                       "buprenorphine and build non-opioid pain plans.",
        "timezone": "America/New_York",
        "video_url": "https://teams.microsoft.com/l/meetup-join/19%3ameeting_demo-pain-oud",
        "default_duration_minutes": 60,
        "visibility": "private",
        "sites": [
            ("Tug Valley Primary Care", "Williamson", "WV"),
            ("Appalachian Regional Clinic", "Hazard", "KY"),
        ],
    },
    {
        "slug": "peds-asthma",
        "name": "Pediatric Asthma",
        "description": "Monthly case-based learning for school nurses, pediatricians and family "
                       "physicians: step therapy, inhaler technique, asthma action plans and "
                       "environmental triggers at home and at school.",
        "timezone": "America/Chicago",
        "video_url": "https://zoom.us/j/98765432100",
        "default_duration_minutes": 60,
        "visibility": "public",
        "sites": [
            ("Delta Pediatrics", "Greenville", "MS"),
            ("Ozark Rural Health Cooperative", "Harrison", "AR"),
            ("Rio Grande Valley School Health", "Brownsville", "TX"),
        ],
    },
]

# (email, full name, degree, profession, time zone, site roles)
DEMO_USERS = [
    ("admin@example.org", "Alex Morgan", "", "Hub operations lead", "America/Denver", {"is_admin": True}),
    ("coordinator@example.org", "Rosa Delgado", "MPH", "Program coordinator", "America/Denver", {}),
    ("specialist@example.org", "Samuel Okafor", "MD", "Hepatologist", "America/Denver", {}),
    ("clinician@example.org", "Jenna Whitfield", "NP", "Family nurse practitioner", "America/Denver", {}),
    ("cme@example.org", "Priya Raman", "MEd", "CME program manager", "America/Denver", {"is_cme_office": True}),
]

OTHER_USERS = [
    ("m.tsosie@example.org", "Marcus Tsosie", "MD", "Family physician", "America/Denver"),
    ("l.begay@example.org", "Lorraine Begay", "RN", "Nurse case manager", "America/Denver"),
    ("d.kowalski@example.org", "Daniel Kowalski", "PharmD", "Clinical pharmacist", "America/Denver"),
    ("a.nguyen@example.org", "Anh Nguyen", "MD", "Addiction medicine specialist", "America/New_York"),
    ("r.castillo@example.org", "Ramon Castillo", "PA-C", "Physician assistant", "America/New_York"),
    ("s.hatfield@example.org", "Sarah Hatfield", "DO", "Family physician", "America/New_York"),
    ("t.blevins@example.org", "Tammy Blevins", "LCSW", "Behavioral health clinician", "America/New_York"),
    ("k.johnson@example.org", "Kevin Johnson", "PharmD", "Community pharmacist", "America/New_York"),
    ("e.brooks@example.org", "Evelyn Brooks", "MD", "Pediatric pulmonologist", "America/Chicago"),
    ("c.washington@example.org", "Carla Washington", "RN", "School nurse", "America/Chicago"),
    ("j.ramirez@example.org", "Jorge Ramirez", "MD", "Pediatrician", "America/Chicago"),
    ("h.lee@example.org", "Hannah Lee", "RRT", "Respiratory therapist", "America/Chicago"),
    ("b.walker@example.org", "Brandon Walker", "APRN", "Pediatric nurse practitioner", "America/Chicago"),
]

# program slug -> [(email, role, site index or None, facilitator)]
MEMBERSHIPS = {
    "hcv": [
        ("coordinator@example.org", "coordinator", None, False),
        ("specialist@example.org", "specialist", None, True),
        ("d.kowalski@example.org", "specialist", None, False),
        ("clinician@example.org", "clinician", 0, False),
        ("m.tsosie@example.org", "clinician", 1, False),
        ("l.begay@example.org", "clinician", 1, False),
        ("r.castillo@example.org", "clinician", 2, False),
    ],
    "pain-oud": [
        ("coordinator@example.org", "coordinator", None, False),
        ("a.nguyen@example.org", "specialist", None, True),
        ("specialist@example.org", "specialist", None, False),
        ("clinician@example.org", "clinician", 0, False),
        ("s.hatfield@example.org", "clinician", 0, False),
        ("t.blevins@example.org", "clinician", 1, False),
        ("k.johnson@example.org", "clinician", 1, False),
    ],
    "peds-asthma": [
        ("coordinator@example.org", "coordinator", None, False),
        ("e.brooks@example.org", "specialist", None, True),
        ("h.lee@example.org", "specialist", None, False),
        ("c.washington@example.org", "clinician", 2, False),
        ("j.ramirez@example.org", "clinician", 0, False),
        ("b.walker@example.org", "clinician", 1, False),
    ],
}

# program slug -> (series kind, interval, weekday 0=Mon, week of month, local start "HH:MM")
SCHEDULES = {
    "hcv": ("weekly", 1, 2, None, "12:00"),           # Wednesdays at noon, Mountain time
    "pain-oud": ("weekly", 2, 3, None, "12:00"),      # every other Thursday at noon, Eastern
    "peds-asthma": ("monthly", 1, 1, 2, "13:00"),     # 2nd Tuesday of the month, 1 PM Central
}

DIDACTICS = {
    "hcv": [
        ("Staging fibrosis without biopsy: APRI, FIB-4 and elastography", "Samuel Okafor, MD"),
        ("Pangenotypic regimens: choosing between glecaprevir/pibrentasvir and sofosbuvir/velpatasvir", "Samuel Okafor, MD"),
        ("Drug-drug interactions with DAAs", "Daniel Kowalski, PharmD"),
        ("Treating HCV in people who inject drugs", "Samuel Okafor, MD"),
        ("HCV in pregnancy and infant testing", "Samuel Okafor, MD"),
        ("Reinfection: counselling and retreatment", "Daniel Kowalski, PharmD"),
    ],
    "pain-oud": [
        ("Starting buprenorphine in primary care", "Anh Nguyen, MD"),
        ("Low-dose buprenorphine initiation from full agonists", "Anh Nguyen, MD"),
        ("Tapering long-term opioid therapy safely", "Samuel Okafor, MD"),
        ("Non-opioid management of chronic low back pain", "Anh Nguyen, MD"),
        ("Naloxone co-prescribing and overdose response", "Anh Nguyen, MD"),
    ],
    "peds-asthma": [
        ("Stepwise therapy and the 2020 NAEPP focused updates", "Evelyn Brooks, MD"),
        ("Inhaler and spacer technique that works", "Hannah Lee, RRT"),
        ("Asthma action plans for school", "Evelyn Brooks, MD"),
        ("Environmental triggers at home", "Hannah Lee, RRT"),
    ],
}
