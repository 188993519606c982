"""Upper-case clinical abbreviations and dotted abbreviations that look like initials.

Kept apart from ``lexicon.py`` because they veto initials and all-caps names, not words.
"""

from __future__ import annotations

import re

# A "name" or a "place" followed by a dose is a drug ("MS Contin 30 mg", "held at Lantus 20 units").
DOSE_AFTER = re.compile(r"\s+[0-9][0-9.,]*\s*(?i:mg|mcg|g|ml|units?|mu|meq|iu|%|tabs?|puffs?)\b")

CLINICAL_ABBREVIATIONS = frozenset(
    """
HTN DM DM2 T2DM T1DM COPD CHF CAD CKD ESRD ESLD HCV HBV HAV HIV AIDS OUD AUD SUD PTSD ADHD MDD GAD
OCD BPD TBI CVA TIA MI PE DVT UTI URI GERD IBS IBD OSA RA SLE MS ALS BPH ED ER ICU NICU PICU OR PCP
NP PA RN LPN CNA MA MD DO ID GI ENT OB GYN OBGYN HEENT CV RRR CTA NAD ROS HPI PMH PSH FH SH CC ALT AST
INR PT PTT CBC CMP BMP TSH LFT LFTS BMI BP HR RR IV IM PO PR PRN BID TID QID QD QHS QAM QPM SL SQ SC
MAT MOUD MOUDS ECHO IHS VA DOB MRN SSN IBAN SWIFT MOCA NKDA NKA EKG ECG CT MRI CXR US XR PFT PFTS FEV FVC ABG VBG RSV
COVID FLU HPV HSV STI STD TB PPD NSAID NSAIDS SSRI SNRI TCA MAOI ACE ACEI ARB CCB DPP SGLT GLP PPI ICS
LABA SABA LAMA OCS SR XL XR CR DR ER IR LA YES NO OK NA WNL AMA ASAP FYI PHQ AUDIT CAGE COWS CIWA
MELD FIB APRI SVR RNA DNA PCR HCC NASH NAFLD MASLD MASH AFP ANA RF ESR CRP WBC RBC HGB HB HCT PLT
MCV BUN GFR EGFR UACR LDL HDL TG CPK CK BNP TROP UA UDS UTOX EtOH ETOH IVDU IDU PWID HEP SOB DOE CP
ABD NV N V D C LE LLE RLE UE BLE NT ND BS HA LOC AOX GCS SOAP ASA APAP HCTZ ASCVD PAD PVD AFIB AF
SVT VT VF NSTEMI STEMI ACS EF LVEF LV RV TTE TEE EEG EMG NCS CSF LP ADL ADLS IADL PT OT ST SLP SW
CHW CHR SNF LTC ALF HH DME CPAP BIPAP NIV ED EMS SUBQ NPO ICD CPT HCPCS DSM PRN SOS CMV EBV VZV
MRSA MSSA VRE CDIFF GBS GAS TSS HUS ITP TTP DIC AKI ARF ATN RTA DKA HHS HONK TPN NG PEG OGT IUD OCP
LMP EDD GA IUP SAB TAB GP HELLP PIH PPH NST BPP AFI FHR PROM PPROM LGA SGA IUGR NAS NOWS FASD
ASD VSD PDA TOF HLHS ASAP TBD TBA AM PM EST CST MST PST UTC USA US UK NM AZ UT CO OK TX CA NY SD ND
MT WY ID WA OR AK AL AR CT DE FL GA HI IA IL IN KS KY LA MA MD ME MI MN MO MS NC NE NH NJ NV OH PA
RI SC TN VA VT WI WV DC
MDI QUANT SVR
SBAR DOT ERI NITRO THAL IGRA QFT TWIC
""".split()
)

DOTTED_ABBREVIATIONS = frozenset(
    """
U.S. A.M. P.M. M.D. D.O. N.P. P.A. R.N. B.P. O.T. P.T. S.W. E.R. I.V. P.O. Q.D. H.S. D.C. W.C.
A.C. P.C. B.I.D. T.I.D. Q.I.D. L.P.N. C.N.A. U.K. E.G. I.E. O.B. G.I. N.P.O. A.K.A. R.S.V.P.
P.R.N. S.L. I.M. Q.H.S. N.B. P.S. B.S. B.A. M.S. M.A. Ph.D. D.D.S. W.H.O. C.D.C. F.D.A.
""".split()
)

# Services a patient is sent to, not places: "referred to Nephrology", "seen in Peds".  Any word
# ending in "-ology" or "-iatry" is one too (see is_specialty).
SPECIALTY_SHORT_FORMS = frozenset(
    """
endo pulm neuro ortho peds derm uro heme onc cards gyn obgyn psych rheum nephro gastro hepato neph
telehealth telemedicine telepsych hospice palliative medicine surgery
""".split()
)
_SPECIALTY_ENDINGS = ("ology", "iatry", "ologie")

# Hospital units and services written in capitals: "transferred to MICU", "discharged to SNF".
UNIT_ABBREVIATIONS = frozenset(
    "MICU SICU CCU CVICU CTICU PACU NICU PICU TICU NSICU MSICU IMU PCU SDU TCU LTAC LTACH SNF ALF IRF "
    "HDU OBS SDS PHP IOP ECT L&D OR ER ED ICU CDU EDOU BH".split()
)


def is_specialty(word: str) -> bool:
    lower = word.lower()
    return lower in SPECIALTY_SHORT_FORMS or lower.endswith(_SPECIALTY_ENDINGS)
