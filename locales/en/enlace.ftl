# Enlace — English messages.
# The same keys exist in locales/es/enlace.ftl; a test checks it.

## Classification
classification-trafficking = Trafficking in persons
classification-smuggling = Smuggling of migrants
classification-both = Trafficking and smuggling
classification-under_assessment = Under assessment

## Case status
status-reported = Reported
status-under_investigation = Under investigation
status-prosecution = Prosecution
status-trial = Trial
status-convicted = Convicted
status-acquitted = Acquitted
status-closed = Closed
status-referred = Referred

## Protocol Art. 3: acts
act-recruitment = Recruitment
act-transportation = Transportation
act-transfer = Transfer
act-harbouring = Harbouring
act-receipt = Receipt

## Protocol Art. 3: means
means-threat = Threat
means-force = Use of force
means-coercion = Coercion
means-abduction = Abduction
means-fraud = Fraud
means-deception = Deception
means-abuse_of_power = Abuse of power
means-abuse_of_vulnerability = Abuse of a position of vulnerability
means-payments = Payments or benefits to a person in control of the victim

## Protocol Art. 3: purposes
purpose-sexual_exploitation = Prostitution of others or other sexual exploitation
purpose-forced_labour = Forced labour or services
purpose-slavery = Slavery or similar practices
purpose-servitude = Servitude
purpose-organ_removal = Removal of organs
purpose-other = Other exploitation

## Route
route-role-origin = Origin
route-role-transit = Transit
route-role-destination = Destination
route-role-exploitation = Exploitation

## Persons
person-role-victim = Victim
person-role-suspect = Suspect
person-role-witness = Witness
person-role-other = Other
gender-female = Woman
gender-male = Man
gender-trans_non_conforming = Trans / non-conforming
gender-unknown = Not recorded
age-0-8 = 0–8 years
age-9-17 = 9–17 years
age-18-20 = 18–20 years
age-21-23 = 21–23 years
age-24-26 = 24–26 years
age-27-29 = 27–29 years
age-30-38 = 30–38 years
age-39-47 = 39–47 years
age-48plus = 48 years or older

## Indicators (paper trails)
indicator-advertising = Advertising
indicator-rental = Rental
indicator-transportation = Transportation
indicator-communication = Communications
indicator-financial = Financial transactions
indicator-other = Other

## Admiralty scale
reliability-A = A — Completely reliable
reliability-B = B — Usually reliable
reliability-C = C — Fairly reliable
reliability-D = D — Not usually reliable
reliability-E = E — Unreliable
reliability-F = F — Cannot be judged
credibility-1 = 1 — Confirmed by other sources
credibility-2 = 2 — Probably true
credibility-3 = 3 — Possibly true
credibility-4 = 4 — Doubtful
credibility-5 = 5 — Improbable
credibility-6 = 6 — Cannot be judged
handling-H0 = H0 — No restriction
handling-H1 = H1 — Not for use in court without permission
handling-H2 = H2 — Not to be passed on without permission
handling-H3 = H3 — Other restriction stated

## Links and requests
link-same_network = Same network
link-same_victim = Same victim
link-same_suspect = Same suspect
link-duplicate = Duplicate
request-kind-mutual_legal_assistance = Mutual legal assistance (letter of request)
request-kind-extradition = Extradition
request-status-draft = Draft
request-status-sent = Sent
request-status-received = Received
request-status-in_progress = In progress
request-status-answered = Answered
request-status-refused = Refused
request-status-withdrawn = Withdrawn
operation-status-planned = Planned
operation-status-active = Active
operation-status-concluded = Concluded
operation-status-cancelled = Cancelled

## Audience
audience-national = National
audience-bilateral = Bilateral
audience-regional = Regional

## Standard fields (CTDC / HTCDS)
control-debt_bondage = Debt bondage
control-takes_earnings = Takes earnings
control-restricts_financial_access = Restricts financial access
control-threats = Threats
control-psychological_abuse = Psychological abuse
control-physical_abuse = Physical abuse
control-sexual_abuse = Sexual abuse
control-false_promises = False promises
control-psychoactive_substances = Psychoactive substances
control-restricts_movement = Restricts movement
control-restricts_medical_care = Restricts medical care
control-excessive_working_hours = Excessive working hours
control-uses_children = Uses children
control-threat_of_law_enforcement = Threat of law enforcement
control-withholds_necessities = Withholds necessities
control-withholds_documents = Withholds documents
control-other = Other
labour-agriculture = Agriculture
labour-aquafarming = Aquafarming and fishing
labour-begging = Begging
labour-construction = Construction
labour-domestic_work = Domestic work
labour-hospitality = Hospitality
labour-illicit_activities = Illicit activities
labour-manufacturing = Manufacturing
labour-mining_or_drilling = Mining or drilling
labour-peddling = Peddling
labour-transportation = Transportation
labour-other = Other
recruiter-intimate_partner = Intimate partner
recruiter-friend = Friend or acquaintance
recruiter-family = Family member
recruiter-other = Other relation
recruiter-unknown = Unknown
datasource-case_management = Case management
datasource-hotline = Hotline
datasource-investigation = Investigation
datasource-other = Other
id-document-passport = Passport
id-document-national_id = National identity document
id-document-birth_certificate = Birth certificate
id-document-residence_permit = Residence permit
id-document-other = Other

## Countries
country-MX = Mexico
country-GT = Guatemala
country-HN = Honduras
country-SV = El Salvador
country-NI = Nicaragua
country-CR = Costa Rica
country-PA = Panama
country-CA = Canada
country-US = United States
country-BZ = Belize
country-CO = Colombia
country-VE = Venezuela
country-EC = Ecuador
country-CU = Cuba
country-HT = Haiti
country-DO = Dominican Republic
country-PE = Peru
country-ES = Spain

## Validation
val-title-required = { $path }: a title is required.
val-too-long = { $path }: the text has { $length } characters; the maximum is { $max }. Shorten it or add it as a note.
val-date-future = { $path }: the date { $date } is in the future. Check the day and month (format YYYY-MM-DD).
val-owner-country = { $path }: { $country } is neither a participating nor an observer country.
val-means-required-adult = { $path }: a trafficking case with an adult victim needs at least one means (Protocol Art. 3). Record the means, or mark that a person under 18 is involved.
val-acts-missing = { $path }: no act is recorded (recruitment, transportation, transfer, harbouring or receipt).
val-purposes-missing = { $path }: no purpose of exploitation is recorded.
val-dates-reversed = { $path }: the end date ({ $to }) is before the start date ({ $from }).
val-route-order = { $path }: stop { $stop } starts before stop { $previous }; order the route by date.
val-pseudonym-required = { $path }: every person needs a pseudonym (e.g. V1).
val-minor-inconsistent = { $path }: the age band is a minor's but the person is marked as not a minor at exploitation.
val-text-required = { $path }: this text is required.
val-handling-note-required = { $path }: handling code H3 requires the restriction to be described.
val-link-reference = { $path }: “{ $reference }” is not a case reference (format GT-2026-0042).
val-link-self = { $path }: a case cannot be linked to itself.
val-request-same-country = { $path }: the requesting and the requested country must differ.
val-operation-countries = { $path }: a joint operation needs at least two countries.
val-bilateral-countries = { $path }: a bilateral audience must name at least one other country.
val-legal-unknown-item = { $path }: “{ $item }” is not a catalogue item (TIP-01 … SOM-45).
val-legal-year = { $path }: { $year } is not a valid year; give a year between 1800 and { $max }.
val-legal-case-reference = { $path }: “{ $value }” is not an Enlace case reference (format GT-2026-0042).
val-legal-no-provision = { $path }: an item that is met (fully or partly) should cite the national provision (law, article, year).
val-legal-no-gap = { $path }: describe the gap: what the law lacks against the obligation.
severity-error = Error
severity-warning = Warning

## Errors
err-not-found = { $what } was not found. Check the id or reference with “enlace case list”.
err-wrong-passphrase = The passphrase is not correct. Try again; no file was changed.
err-not-initialised = There is no database in { $dir }. Create one with “enlace init --country GT --node-name "…"” or point to another folder with --data-dir.
err-already-initialised = A database already exists in { $dir }. Nothing was changed; use another folder with --data-dir to create a new one.
err-input-field = Invalid value at “{ $path }”: { $detail }
err-input-document = The JSON document is not valid: { $detail }
err-invalid = Not saved because there are errors:
err-patch-immutable = The field “{ $field }” cannot be changed.
err-patch-history = The history “{ $field }” keeps itself: change “classification” or “status” and the history follows.
err-patch-notes = Notes can only be added: use “enlace case note”.
err-storage = The database could not be read or written: { $detail }. Check the free disk space and the permissions of the data folder; no partial change was saved.
err-io = Could not access { $path }: { $detail }
err-corrupt = The database or a document is damaged: { $detail }. Restore a backup or sync again from another node.
err-country = “{ $country }” is neither a participating nor an observer country ({ $allowed }).
err-passphrase-short = The passphrase must have at least { $min } characters.
err-passphrase-needed = A passphrase is needed: set ENLACE_PASSPHRASE or run the command in a terminal to be asked for it.
err-passphrase-mismatch = The two passphrases differ.
err-locked = The database is locked. Enter the passphrase.
err-internal = Internal error: { $detail }. Please report it to the Enlace team.
err-no-home = No home folder was found: give the data folder with --data-dir DIR.
err-node-name = The node name cannot be empty.
err-not-owner = Only { $country }'s nodes can change this document: it belongs to that country. You can read it and discuss it with its national team.
err-unknown-item = “{ $item }” is not an item of the legal checklist. Items run from TIP-01 to SOM-45 (see “enlace legal show”).
err-no-assessment = This node holds no legal assessment of { $country }: it has not been created in that country yet, or not synced.
err-report = The report could not be produced: { $detail }

## Command line
cli-initialised = Database created in { $dir }.
cli-node = Node
cli-node-id = Node id
cli-country = Country
cli-public-key = Public key
cli-created = Case created: { $reference } ({ $id })
cli-updated = Case updated: { $reference }
cli-noted = Note added to { $reference }
cli-unchanged = No change: { $reference }
cli-no-cases = No case matches.
cli-cases-count = { $shown } of { $total } cases
cli-demo-loading = Loading demonstration data
cli-demo-loaded = Demonstration data loaded: { $cases } cases, { $persons } persons and { $assessments } legal assessments.
cli-demo-already = Demonstration data is already present; nothing was added.
cli-exporting = Exporting cases
cli-reindexing = Rebuilding indexes
cli-reindexed = Indexes rebuilt: { $documents } documents.
cli-exported = Exported { $cases } cases to { $path }. Person documents (identifying data) are not exported.
cli-warnings = Warnings:
cli-passphrase-prompt = Passphrase:
cli-passphrase-repeat = Repeat the passphrase:
cli-history-empty = No history.
cli-report-written = Report written to { $path } ({ $kb } KB).
cli-legal-exported = Exported { $rows } rows (country and item) to { $path }.
cli-legal-saved = Saved { $item } of { $country }'s assessment.
cli-legal-unchanged = No change to { $item } ({ $country }).
ui-conflict = concurrent values

## Headings and fields
field-reference = Reference
field-title = Title
field-summary = Summary
field-classification = Classification
field-status = Status
field-opened = Opened
field-acts = Acts
field-means = Means
field-purposes = Purposes
field-child = A person under 18 is involved
field-route = Route
field-persons = Persons
field-indicators = Indicators (paper trails)
field-information = Information (intelligence)
field-links = Linked cases
field-requests = Requests between states
field-operations = Joint operations
field-notes = Notes
field-owner = Owner
field-audience = Audience
field-countries = Countries
field-updated = Updated
field-when = When
field-who = Who
field-what = What changed
field-demo = Demonstration data
yes = Yes
no = No

## Interface
ui-app-title = Enlace — Regional Database
ui-app-subtitle = National Task Forces against trafficking in persons
ui-language = Language
ui-setup-title = Create this computer's database
ui-setup-intro = Data is kept encrypted on this computer. Choose the country and a name for this node, and a passphrase you will remember: without it nobody, not even you, can open the data.
ui-setup-country = Country
ui-setup-node-name = Node name
ui-setup-node-name-hint = e.g. Paso Tecún Umán
ui-setup-passphrase = Passphrase
ui-setup-passphrase-repeat = Repeat the passphrase
ui-setup-demo = Load demonstration data (fictional cases)
ui-setup-create = Create database
ui-setup-creating = Creating…
ui-unlock-title = Unlock
ui-unlock-intro = Enter this computer's passphrase.
ui-unlock-button = Unlock
ui-unlocking = Checking…
ui-search = Search
ui-search-placeholder = Search by reference, title, place, name…
ui-filter-all = All
ui-filter-status = Status
ui-filter-classification = Classification
ui-filter-country = Country on the route
ui-filter-clear = Clear filters
ui-cases-count = { $shown } of { $total } cases
ui-no-results = No case matches the search.
ui-select-case = Select a case in the list to see it.
ui-loading = Loading…
ui-demo-progress = Loading demonstration data: { $done } of { $total }
ui-national-only = National only: these identifying details never leave { $country }.
ui-identity = Identifying details
ui-history = History
ui-history-fields = Fields: { $fields }
ui-no-route = No route recorded.
ui-none = None
ui-issues = Remarks
ui-node-label = Node { $name } ({ $country })
ui-saved-local = Saved on this computer
ui-error-title = Something went wrong
ui-close = Close
ui-read-only = Read-only view
ui-lock = Lock

## Legal assessment: instruments, obligation, status
instrument-trafficking_protocol = Protocol to Prevent, Suppress and Punish Trafficking in Persons
instrument-model_law = Model Law against Trafficking in Persons (UNODC, 2009)
instrument-smuggling_protocol = Protocol against the Smuggling of Migrants by Land, Sea and Air
obligation-mandatory = Mandatory
obligation-optional = Optional or best practice
obligation-mixed = Partly mandatory
assessment-compliant = Compliant
assessment-partially_compliant = Partially compliant
assessment-not_compliant = Not compliant
assessment-not_assessed = Not assessed
evidence-court_decision = Court decision
evidence-enlace_case = Case in Enlace
evidence-report = Report
evidence-other = Other

## Catalogue of obligations (version 1). Our summary, not treaty text.
legal-TIP-01 = The offence covers every act: recruitment, transportation, transfer, harbouring and receipt of persons.
legal-TIP-02 = The offence covers every means: threat or use of force, coercion, abduction, fraud, deception, abuse of power or of a position of vulnerability, and giving or receiving payments or benefits to obtain the consent of a person in control of the victim.
legal-TIP-03 = Exploitation covers at least the prostitution of others or other sexual exploitation, forced labour or services, slavery or similar practices, servitude and the removal of organs.
legal-TIP-04 = The victim's consent is irrelevant once any of the means was used.
legal-TIP-05 = When the victim is under 18, no means needs to be proven.
legal-TIP-06 = The domestic offence requires neither a transnational element nor the involvement of an organised criminal group.
legal-TIP-07 = Attempting the offence is punishable.
legal-TIP-08 = Participating in the offence as an accomplice is punishable.
legal-TIP-09 = Organising or directing others to commit the offence is punishable.
legal-TIP-10 = Legal persons can be held liable.
legal-TIP-11 = Penalties fit the gravity of the offence and include aggravating circumstances: a child victim, a public official as offender, an organised criminal group.
legal-TIP-12 = The proceeds of the offence can be confiscated, and confiscated assets can be used for victims.
legal-TIP-13 = Victims' privacy and identity are protected, including through confidential legal proceedings.
legal-TIP-14 = Victims receive information on proceedings and can present their views and concerns.
legal-TIP-15 = Measures exist for victims' recovery: housing, counselling in a language they understand, medical care, employment, education and training.
legal-TIP-16 = The age, gender and special needs of victims, in particular of children, are taken into account.
legal-TIP-17 = The state endeavours to ensure victims' physical safety.
legal-TIP-18 = Victims have a possibility of obtaining compensation for the damage suffered.
legal-TIP-19 = Victims may remain in the state's territory, temporarily or permanently.
legal-TIP-20 = The return of nationals and residents is accepted without undue delay; nationality is verified and the travel documents needed are issued.
legal-TIP-21 = Return has due regard to the person's safety and the status of legal proceedings, and is preferably voluntary.
legal-TIP-22 = A comprehensive policy or programme to prevent and combat trafficking exists, for example a national action plan.
legal-TIP-23 = Research, information and media campaigns are carried out in cooperation with non-governmental organisations.
legal-TIP-24 = Measures reduce vulnerability (poverty, underdevelopment, lack of opportunity) and discourage the demand that fosters exploitation.
legal-TIP-25 = Law-enforcement and immigration authorities exchange information on travel documents, routes and the methods traffickers use.
legal-TIP-26 = Training of officials is rights-based, child- and gender-sensitive, and involves non-governmental organisations.
legal-TIP-27 = A state receiving information respects the restrictions on its use set by the state that sent it.
legal-TIP-28 = Border controls are strengthened and direct channels of communication exist between border-control agencies.
legal-TIP-29 = Commercial carriers check that passengers hold the travel documents required, with sanctions when they fail to.
legal-TIP-30 = Entry can be denied, or visas revoked, for persons involved in committing the offence.
legal-TIP-31 = Travel and identity documents are secure and hard to falsify; their validity is verified at another state's request.
legal-TIP-32 = International refugee law and the principle of non-refoulement are preserved; measures are applied without discrimination.
legal-ML-33 = Victims are not punished for offences they were compelled to commit as a direct result of being trafficked.
legal-ML-34 = Unauthorised disclosure of the identity of a victim or a witness is an offence.
legal-ML-35 = Knowingly using the services of a victim of trafficking is an offence.
legal-ML-36 = Assistance to victims does not depend on their cooperation with the authorities, and a recovery and reflection period exists.
legal-ML-37 = Minority is presumed when age is uncertain, and a guardian is appointed for unaccompanied children.
legal-ML-38 = A national coordinating body or a national rapporteur on trafficking in persons exists.
legal-SOM-39 = Smuggling of migrants for a financial or other material benefit is a criminal offence.
legal-SOM-40 = Producing, procuring or possessing fraudulent travel or identity documents, and enabling a person to remain in the state illegally, are criminal offences.
legal-SOM-41 = Attempting, participating as an accomplice in, and organising or directing others to commit these offences are punishable.
legal-SOM-42 = Endangering the lives or safety of migrants, and inhuman or degrading treatment of them, including exploitation, are aggravating circumstances.
legal-SOM-43 = Migrants are not liable to criminal prosecution for having been the object of smuggling.
legal-SOM-44 = Migrants' rights are protected: protection against violence, attention to special needs, and consular notification.
legal-SOM-45 = Information is exchanged with respect for restrictions on its use, and the return of nationals and residents is accepted.

## Reports (PDF)
report-page = Page { $n } of { $total }
report-produced = Produced on { $date } by node { $node }
report-demo = DEMONSTRATION DATA: it describes no real country's legislation.
report-legend = Legend:
report-letter-compliant = C
report-letter-partially_compliant = P
report-letter-not_compliant = N
report-letter-not_assessed = –
report-col-item = Item
report-col-article = Article
report-col-obligation-type = Nature
report-col-obligation = Obligation
report-col-status = Status
report-col-provision = National provision
report-col-gap = Gap
report-col-proposal = Reform proposal
report-legal-title = Regional legal harmonisation matrix
report-legal-intro = Each country's legislation against the Trafficking in Persons Protocol (TIP), the UNODC Model Law (ML) and the Smuggling of Migrants Protocol (SOM), item by item. Every cell carries a letter as well as a colour, so it also reads when printed in black and white.
report-legal-assessed = Assessed
report-legal-none = no assessment
report-legal-legend-ids = Ids in bold are (wholly or partly) mandatory obligations; the others are optional or best practice. The text of each obligation is in the catalogue that follows.
report-legal-catalogue = Catalogue of obligations
report-legal-gaps = Gaps and reform proposals — { $country }
report-legal-tally = Compliant: { $compliant } · Partially compliant: { $partial } · Not compliant: { $not } · Not assessed: { $unassessed } · Catalogue version { $version }
report-legal-no-assessment = This node does not hold this country's assessment (not created yet, or not synced).
report-legal-no-gaps = No items assessed as "not compliant" or "partially compliant".

## File names
file-legal-matrix = legal-matrix
