"""A dozen de-identified demo cases, in several states of the workflow (fictional patients)."""

from __future__ import annotations

from sqlmodel import Session, select

from app.enums import CaseStatus
from app.models import CasePresentation, Program, User
from app.services import cases, reviews
from app.services.case_workflow import set_case_status

# (program slug, presenter e-mail, age bracket, sex/gender, status path, fields)
CASES = [
    ("hcv", "clinician@example.org", "40–64", "Female", ["submitted"], {
        "question": "Is 8 weeks of glecaprevir/pibrentasvir reasonable, or should we wait for elastography?",
        "presenting_problem": "HCV antibody and RNA positive on routine screening 2 months ago. Genotype 1a, "
                              "viral load 2.3 million IU/mL. No prior treatment. Reports fatigue only.",
        "past_history": "Hypertension, depression, remote injection drug use (none in 6 years).",
        "medications": "Lisinopril 20 mg daily, sertraline 100 mg daily.",
        "allergies": "No known drug allergies.",
        "labs_imaging": "ALT 88, AST 71, platelets 142, albumin 4.1, bilirubin 0.8, INR 1.0. FIB-4 2.1. "
                        "HBsAg negative, anti-HBc negative. HIV negative.",
        "social_history": "Works full time, lives with partner. Drinks 2 beers on weekends.",
        "tried_assessment": "Likely F2-F3 by FIB-4. No signs of decompensation.",
    }),
    ("hcv", "m.tsosie@example.org", "26–39", "Male", ["submitted", "in_review"], {
        "question": "How should we manage treatment with ongoing methamphetamine use and unstable housing?",
        "presenting_problem": "Chronic HCV genotype 3a found during an emergency visit for an abscess "
                              "last month. Interested in treatment.",
        "medications": "Buprenorphine/naloxone 16/4 mg daily.",
        "labs_imaging": "HCV RNA 850,000 IU/mL. ALT 120. Platelets 210. FIB-4 0.9.",
        "social_history": "Uses methamphetamine several times a week. Staying with friends.",
        "tried_assessment": "Engaged with the clinic for OUD for 5 months; misses about one visit a month.",
    }),
    ("hcv", "l.begay@example.org", "65–74", "Female", ["submitted", "approved"], {
        "question": "Does she need a change in her statin or anticoagulant during sofosbuvir/velpatasvir?",
        "presenting_problem": "Cirrhosis (Child-Pugh A) from chronic HCV genotype 2, ready to start treatment.",
        "past_history": "Atrial fibrillation, type 2 diabetes, hyperlipidemia.",
        "medications": "Apixaban 5 mg twice daily, atorvastatin 40 mg daily, metformin 1000 mg twice daily.",
        "labs_imaging": "Platelets 98, albumin 3.6, bilirubin 1.1. Ultrasound 4 months ago: nodular liver, "
                        "no mass.",
    }),
    ("hcv", "r.castillo@example.org", "18–25", "Female", ["submitted", "returned"], {
        "question": "Can we treat during pregnancy, or should we wait until after delivery?",
        "presenting_problem": "HCV RNA positive at the first prenatal visit at 12 weeks of gestation.",
        "labs_imaging": "HCV RNA 1.1 million IU/mL, genotype 1b. ALT 45.",
    }),
    ("hcv", "clinician@example.org", "40–64", "Male", [], {
        "question": "Retreatment options after relapse on sofosbuvir/velpatasvir?",
        "presenting_problem": "Relapsed 12 weeks after completing 12 weeks of treatment.",
    }),
    ("pain-oud", "clinician@example.org", "40–64", "Male", ["submitted"], {
        "question": "How would you transition him from oxycodone 120 MME to buprenorphine without withdrawal?",
        "presenting_problem": "Chronic low back pain after a work injury 9 years ago, on escalating opioid "
                              "doses. Recently ran out early twice and bought pills on the street.",
        "medications": "Oxycodone 20 mg every 6 hours, gabapentin 600 mg three times daily.",
        "social_history": "Disabled from his former job in construction. Lives with his wife.",
        "tried_assessment": "Meets criteria for moderate opioid use disorder. Interested in buprenorphine "
                            "but afraid of withdrawal.",
    }),
    ("pain-oud", "s.hatfield@example.org", "26–39", "Female", ["submitted", "approved", "scheduled"], {
        "question": "What dose of buprenorphine is right postpartum, and how do we support breastfeeding?",
        "presenting_problem": "On buprenorphine since the second trimester; delivered a healthy baby "
                              "2 weeks ago. Pain well controlled.",
        "medications": "Buprenorphine/naloxone 12/3 mg daily.",
    }),
    ("pain-oud", "t.blevins@example.org", "40–64", "Non-binary", ["submitted", "returned"], {
        "question": "Which non-opioid options should we try next for fibromyalgia with PTSD?",
        "presenting_problem": "Widespread pain for 10 years, poor sleep, nightmares.",
        "tried_assessment": "Duloxetine helped for a year, then stopped working. Physical therapy twice.",
    }),
    ("pain-oud", "k.johnson@example.org", "75–89", "Female", [], {
        "question": "Is a taper from tramadol needed given her falls?",
        "medications": "Tramadol 50 mg four times daily, lorazepam 0.5 mg at night.",
    }),
    ("peds-asthma", "c.washington@example.org", "5–11", "Male", ["submitted"], {
        "question": "Should he step up to a daily ICS-formoterol, and how do we make it work at school?",
        "presenting_problem": "Uses albuterol 4-5 days a week, woke at night 3 times last month. Two courses "
                              "of oral steroids this school year.",
        "medications": "Albuterol HFA as needed; fluticasone 44 mcg 2 puffs twice daily (often missed).",
        "social_history": "Lives with his grandmother; there is a smoker at home. Mold in the bathroom.",
    }),
    ("peds-asthma", "j.ramirez@example.org", "12–17", "Female", ["submitted", "approved"], {
        "question": "Is this exercise-induced bronchoconstriction or vocal cord dysfunction?",
        "presenting_problem": "Shortness of breath and throat tightness during soccer, not helped by albuterol.",
        "labs_imaging": "Spirometry normal at rest. FEV1/FVC 0.86.",
    }),
    ("peds-asthma", "b.walker@example.org", "1–4", "Female", ["submitted", "in_review"], {
        "question": "When should we consider a daily controller in a toddler with viral-triggered wheeze?",
        "presenting_problem": "Four episodes of wheeze with colds in 6 months, one emergency visit.",
        "past_history": "Eczema. Born at 34 weeks.",
    }),
]
REVIEWERS = {"hcv": "specialist@example.org", "pain-oud": "a.nguyen@example.org", "peds-asthma": "e.brooks@example.org"}
RETURN_REASON = "Please add the current medications and the most recent spirometry or labs."


def build_cases(db: Session, programs: dict[str, Program], users: dict[str, User]) -> int:
    if db.exec(select(CasePresentation.id)).first() is not None:
        return 0  # built by an earlier run
    for slug, email, age, sex, path, texts in CASES:
        form = cases.CaseForm(texts=texts, age_bracket=age, sex_gender=sex, attested=bool(path))
        case = cases.save(db, programs[slug], None, form, actor=users[email], submit=bool(path))
        for status in path[1:]:
            if status == CaseStatus.scheduled:
                upcoming = cases.upcoming_sessions(db, programs[slug])
                reviews.assign(db, case, upcoming[0], actor=users["coordinator@example.org"])
                continue
            reason = RETURN_REASON if status == CaseStatus.returned else ""
            set_case_status(db, case, CaseStatus(status), actor=users[REVIEWERS[slug]], reason=reason)
    build_presented(db, programs, users)
    return len(CASES) + len(PRESENTED)


# Cases already presented at past sessions, with the hub's final recommendations.
PRESENTED = [
    ("hcv", "m.tsosie@example.org", "40–64", "Male", {
        "question": "Which regimen for compensated cirrhosis with a history of variceal banding?",
        "presenting_problem": "Chronic HCV genotype 1a with compensated cirrhosis; banding of small varices a year ago.",
        "medications": "Carvedilol 6.25 mg twice daily.",
    }, {
        "summary": "The hub discussed regimen choice in compensated cirrhosis and the need for ongoing HCC surveillance.",
        "items": ["Treat with sofosbuvir/velpatasvir for 12 weeks; no ribavirin is needed in compensated cirrhosis.",
                  "Continue carvedilol; repeat endoscopy per the surveillance interval.",
                  "Continue liver ultrasound every 6 months even after cure."],
        "follow_up": "Present again 12 weeks after treatment with the SVR12 result.",
    }),
    ("pain-oud", "clinician@example.org", "26–39", "Female", {
        "question": "How do we manage acute pain after a planned cesarean while she takes buprenorphine?",
        "presenting_problem": "Stable on buprenorphine for 2 years, planned cesarean delivery next month.",
        "medications": "Buprenorphine/naloxone 16/4 mg daily.",
    }, {
        "summary": "Continue buprenorphine through delivery; plan multimodal analgesia with the obstetric team.",
        "items": ["Continue the full buprenorphine dose; consider splitting it three times daily after surgery.",
                  "Use scheduled acetaminophen and NSAIDs, and ask anesthesia about a TAP block.",
                  "Add a short-acting full agonist on top only if pain stays uncontrolled, with close follow-up."],
        "follow_up": "Check in 2 weeks after delivery.",
    }),
]


def build_presented(db: Session, programs: dict[str, Program], users: dict[str, User]) -> None:
    from app.demo.presented import present_with_recommendations

    for index, (slug, email, age, sex, texts, answer) in enumerate(PRESENTED):
        form = cases.CaseForm(texts=texts, age_bracket=age, sex_gender=sex, attested=True)
        case = cases.save(db, programs[slug], None, form, actor=users[email], submit=True)
        present_with_recommendations(db, case, programs[slug], reviewer=users[REVIEWERS[slug]], answer=answer)
        if index == len(PRESENTED) - 1 and case.status == CaseStatus.presented:
            reviews.close(db, case, actor=users["coordinator@example.org"])  # one case in every state
