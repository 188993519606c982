"""Sentence fragments for the synthetic corpus; ``{SLOT}`` is filled by ``corpus.fill``.

Slots that are PHI: NAME (a patient's name in one of many forms), FIRST, LAST, FIRSTI ("Anna S."), DR (a clinician:
the title is not part of the span), TOWN, COUNTY, FACILITY, EMPLOYER, STREET, DATE.  Slots that
are not: AGE (under 90), STATE, EPONYM, BRAND, ABBR (the hard negatives of ``sources``).
Fragments are split into halves by ``sources.half_of`` like every pool, so the held-out half is
written in sentence frames the model never saw.
"""

CASE_PHI = """\
{NAME} is a {AGE} yo with chronic HCV, treated with {BRAND} since {DATE}.
Pt {NAME} was referred by {DR} from {FACILITY} for evaluation.
Lives with her partner {FIRST} in {TOWN}, {STATE}, and works at {EMPLOYER}.
Her brother {FIRST} found her down and gave {BRAND}; EMS took her to {FACILITY}.
He works nights at {EMPLOYER} in {TOWN} and reports back pain 7/10.
Transferred from {FACILITY} on {DATE} after a fall at home.
{FIRST} is a {AGE} yo with persistent asthma seen at {FACILITY} last week.
Mom {NAME} reports nighttime cough 3 nights/week despite {BRAND}.
Grandmother {FIRST} is the caregiver and lives in {COUNTY}.
Her son {FIRST} manages the insulin and drives her from {TOWN} to {FACILITY}.
{DR} at {FACILITY} started {BRAND} and asked us to follow up.
Was in jail in {COUNTY} from {DATE} until last month.
{NAME}, a {AGE} yo elder from {TOWN}, was seen at {FACILITY} on {DATE}.
CHW {FIRST} visits the home off {STREET} weekly.
Discussed with {DR}; plan to recheck {ABBR} in 3 months.
Patient {NAME} has {EPONYM} and missed two visits at {FACILITY}.
Daughter {FIRST} {LAST} is the health care proxy.
Seen in the {TOWN} ED twice this month for chest pain.
She moved to {TOWN} in {DATE} to live with her sister {FIRST}.
Mr. {LAST} reports he relapsed after his release from {FACILITY}.
Mrs. {LAST} declined the {ABBR} screen today.
{LAST}, {FIRST} - {AGE} yo F, DOB {DATE}.
PCP is {DR} in {TOWN}; last labs at {FACILITY}.
He stays at {FACILITY} and eats at the soup kitchen on {STREET}.
Goes to {FACILITY} for methadone dosing every morning.
Her husband {FIRST} works for {EMPLOYER} and is often away.
Pt lives at {STREET}, {TOWN}, with two dogs.
Referred by case manager {FIRST} {LAST} at {FACILITY}.
Admitted to {FACILITY} on {DATE} with {EPONYM}.
Followed by {DR} for {EPONYM} since {DATE}.
{NAME} called the clinic on {DATE} asking for a refill of {BRAND}.
Son {FIRST} lives nearby in {TOWN} and brings her to appointments.
{FIRST} says the drive from {TOWN} takes two hours each way.
Employed at {EMPLOYER} until the plant closed in {DATE}.
Sees a counselor, {DR}, at {FACILITY} every other week.
Patient's sister {FIRST} also gets care at {FACILITY}.
Last seen by {DR} on {DATE}; A1c was 9.1.
{NAME} presents with worsening dyspnea; {ABBR} today is 45%.
Wife ({FIRST}) reports he snores and stops breathing at night.
Child attends {FACILITY} and lives near the highway in {TOWN}.
Discharged from {FACILITY} to {FACILITY} on {DATE}.
The {TOWN} police brought him in after a seizure.
Per {DR}'s note, she is allergic to sulfa.
{FIRST}'s mother works at {EMPLOYER} and has no insurance.
Case from {FACILITY}: {AGE} yo M with {EPONYM}.
{NAME} ({AGE}) lives alone outside {TOWN}.
Our patient, {NAME}, was started on {BRAND} by {DR}.
Spoke with {FIRST} at {FACILITY} pharmacy about the prior auth.
{NAME}, {ID}, {ID}, seen at {FACILITY}.
{ROLE} {NAME} ({ID}) asked about {CTERM}.
Seen by {SERVICE} at {FACILITY} after the fall.
{NAME} was referred to {SERVICE} by {DR}.
Moved here from {TOWN} after losing her job at {EMPLOYER}.
Seen at {FACILITY} ({TOWN}) on {DATE} for an overdose.
Uncle {FIRST} {LAST} helps with rides to {FACILITY}.
{LAST} family asks that we speak with {FIRST} only.
Presenting clinician: {DR}, {FACILITY}.
Pt was incarcerated at {FACILITY} and restarted {BRAND} on release.
Records requested from {FACILITY} in {TOWN}, {STATE}.
{NAME} is a patient of {DR} at {FACILITY}.
Attends {FACILITY} and plays basketball for {TOWN} High.
Grandson {FIRST} translates at visits.
His foreman at {EMPLOYER} noticed the tremor.
Follow-up with {DR} in {TOWN} on {DATE}.
Lives on a ranch 30 miles south of {TOWN}.
Works as a CNA at {FACILITY} on the night shift.
{FIRST} {LAST}, {AGE} y/o, from {COUNTY}.
She stays with her cousin {FIRST} near {STREET} in {TOWN}.
Dr. {LAST} recommends a repeat echo.
Nurse {FIRST} at {FACILITY} called about the wound.
{NAME}'s labs from {DATE}: ALT 88, AST 102.
Ms. {LAST} reports the {BRAND} helps with cravings.
Chart reviewed with {DR} from {FACILITY} and {DR}.
Patient: {LAST}, {FIRST}, age {AGE}, {STREET}, {TOWN}, {STATE} {ZIP}.
Address {STREET}, {TOWN}, {STATE} {ZIP}; on {TERM} and {TERM}.
{NAME} has {TERM} and is on {TERM} per {DR}.
{NAME} is a {AGE}-year-old {DESCENT} woman with {EPONYM}.
{AGE}yo M w/ {ABBR} & hx of {TERM}, seen by {DR} at {FACILITY}.
Pt {NAME} (DOB {DATE}) w/ {TERM}, f/u at {FACILITY}.
Mailing address: {STREET}, {TOWN} {ZIP}.
Lives with {FIRST} and {FIRST} in a trailer outside {TOWN}.
"""

CASE_FREE = """\
{AGE} yo M with chronic HCV genotype 1a, treatment naive, FIB-4 2.8.
Started {BRAND} 2 weeks ago; tolerating well, no nausea.
History of {EPONYM}; stable on current regimen.
{ABBR} was 14 at intake and 9 today.
Patient declined naloxone but accepted fentanyl test strips.
Family history of {EPONYM} in the mother.
Denies chest pain, palpitations or syncope.
Insurance is {BRAND}; prior auth pending for {BRAND}.
Plan: taper {BRAND} by 10% every 2 weeks, recheck {ABBR}.
Question for the hub: should we add {BRAND} or switch?
Uses {BRAND} as needed, about twice a week.
Mother is worried about {EPONYM} because an aunt had it.
Pain 6/10, worse with standing; uses a walker at home.
Counseling once a week; attends group on Thursdays.
Lives with family; no stairs at home.
Would value advice on dosing in {ABBR} stage 3b.
Screened for {EPONYM}; negative.
Works in construction; drinks 3-4 beers on weekends.
Transportation is a barrier; clinic is 60 miles away.
{ABBR} positive for fentanyl and THC.
Exam notable for a positive {EPONYM}.
Has Medicaid; pharmacy is in town.
Reports good adherence to {BRAND} per pill count.
Prior treatment with {BRAND} stopped because of cost.
Will follow up in 4 weeks.
Grace period for the refill ends Friday.
Hope to discuss tapering at the next session.
Mark the dose changes in the pill organizer.
Frank discussion about risks and benefits was held.
Bill of rights reviewed with the patient.
Joy and energy have improved since starting therapy.
Faith community is an important support.
Rose to 3 doses of {BRAND} per day during the flare.
Will call if symptoms worsen.
Young adult with {EPONYM} and recurrent admissions.
Hospital course complicated by {EPONYM}.
Clinic staff trained in {ABBR} screening.
Nursing home resident, needs assistance with ADLs.
Referred to the community health worker for housing.
Dialysis three times a week; misses sessions in winter.
Emergency department visits: 3 in the past 6 months.
Assessment: {EPONYM}, well controlled.
Recent {ABBR} 7.9%, up from 7.1%.
Discussed {BRAND} vs {BRAND}; patient prefers once weekly.
She is a retired teacher and walks daily.
Presented at the {ABBR} ECHO session last month; hub suggested {BRAND}.
PMH: {ABBR}, {ABBR}, HTN, {EPONYM}.
Hep B sAb negative, Hep C Ab positive, RNA detectable.
Per the AASLD/IDSA guidance, treat with {BRAND} for 8 weeks.
Using the CDC guideline on opioid prescribing as a framework.
Child-Pugh class A, MELD 9; no ascites.
Lives in a trailer with a wood stove; smoke exposure in winter.
Moved in {DATE} after a job loss; now in a shelter.
Served in the Army; uses the VA for primary care.
In {DATE} she had a Pap smear that was normal.
She is from Mexico and speaks Spanish at home.
He grew up in New Mexico and now lives in town.
Screening: PHQ and GAD both positive; {ABBR} pending.
Behavioral Health follows monthly; Psychiatry consult requested.
Indian Health Service pharmacy stocks {BRAND}.
Cardiology recommends {BRAND}; Nephrology agrees.
Mom reports he is sleeping better; Dad works out of state.
Grandma is the main caregiver; the family is supportive.
Differential includes {EPONYM} and {EPONYM}.
Discussed with the hub team; no changes today.
Emergency Department visit for hypoglycemia; glucose 42.
On {BRAND} and {BRAND}; {ABBR} normal in {DATE}.
Type 2 DM, A1c 8.4, on {BRAND} 1 mg weekly.
Trial of {BRAND} failed; consider {BRAND} next.
Given Narcan kit and fentanyl strips; Naloxone teaching done.
Medicaid MCO requires prior auth for {BRAND}.
WIC and SNAP referrals placed.
Spanish-speaking family; interpreter used.
Navajo Nation resident; uses IHS and tribal programs.
Dx: {EPONYM} (ICD-10 pending).
Works at a restaurant in town; no insurance through work.
Rural clinic with one NP and a CHW.
Reviewed the {EPONYM} with the team.
Scored with the {EPONYM}; result reassuring.
{ID}; {ID}. {ROLE} aware of the plan.
{ROLE} called about {TERM}; {ID} on file.
{CTERM} was held for two days, then restarted.
{CTERM} 40 mg daily; {ID} listed on the bottle.
{ROLE} {ID} listed on the form.
{ROLE} present at the visit; {CTERM} discussed.
Went to {SERVICE}, then discharged to {SERVICE}.
Referred to {SERVICE} and {SERVICE} for follow-up.
{SERVICE} will see her next week; {ABBR} to be repeated.
Per {SERVICE}, continue {BRAND} and recheck {ABBR}.
{AGE}-year-old {DESCENT} male with {TERM} and {ABBR}.
A {AGE} yo {DESCENT} woman, {TERM} since childhood.
Case: {AGE} yo {DESCENT} man; {EPONYM} suspected.
{AGE} yo F w/ {ABBR} & {TERM}, on {TERM}; considering {TERM}.
Hx of {TERM} and {TERM}; now on {TERM} 20 mg daily.
Stopped {TERM} because of {TERM}; restarted {TERM} at a low dose.
Pt w/ {TERM} after {TERM}; {ABBR} stable.
s/p {TERM} in {DATE}; no {TERM} since.
dx'd w/ {TERM}, tx w/ {TERM} and {TERM}.
Concern for {TERM} vs {TERM}; {ABBR} and {ABBR} ordered.
"""

QUESTIONS = """\
What is the best treatment for a {AGE}-year-old woman, {FIRSTI}, seen at {FACILITY} on {DATE}?
How should I manage {EPONYM} in a {AGE} yo man like {NAME} from {TOWN}?
Can I prescribe {BRAND} to {NAME}, evaluated at {FACILITY}?
Rec mgmt of {AGE}yo F w/ CHF, seen by {DR} at {FACILITY} on {DATE}.
Best practices for a {AGE}-year-old patient, {FIRSTI}, referred from {FACILITY}?
My patient {NAME} in {TOWN} has {EPONYM}; what is the next step?
What dose of {BRAND} for {NAME}, {AGE}, with {ABBR} of 40?
{DR} at {FACILITY} asks whether to continue {BRAND}. Thoughts?
Is it safe to restart {BRAND} in {FIRST}, who was admitted to {FACILITY} last month?
Any advice for {FIRST} {LAST}, who lives in {TOWN} and cannot travel?
Should {NAME} be screened for {EPONYM} before starting {BRAND}?
How to taper {BRAND} for a patient at {FACILITY} in {TOWN}?
For {NAME} (DOB {DATE}), is {BRAND} covered by {BRAND}?
What labs should {DR} order for {EPONYM}?
Pt {FIRST} from {COUNTY} has an {ABBR} of 12; refer?
What are the options for {FIRST}, a {AGE} yo seen at {FACILITY} on {DATE}?
Would you switch {NAME} from {BRAND} to {BRAND}?
Treatment options for {EPONYM} in a {AGE}-year-old?
What is the first-line therapy for {EPONYM} with {ABBR} over 9?
How do I explain {EPONYM} to a family with low health literacy?
Is {BRAND} safe in pregnancy?
When should a patient with {EPONYM} be referred to {ABBR} specialists?
What monitoring does {BRAND} need in {ABBR}?
Rec mgmt of {AGE}yo w/ {TERM} on {TERM} and hx of {ABBR}?
Is {TERM} safe w/ {TERM} in a pt w/ {ABBR}?
Alternatives to {TERM} for {FIRSTI}, {AGE}, w/ {TERM}?
Can {TERM} be started in {NAME} (MRN {ZIP}) seen at {FACILITY} on {DATE}?
How to manage {TERM} in {LAST}, {AGE} yo, from {TOWN}?
"""


def lines(block: str) -> list[str]:
    return [line for line in block.splitlines() if line.strip()]
