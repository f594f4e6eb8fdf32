# ruff: noqa: E501 - the lexicon is data: one synonym list per line reads better than wrapped fragments
"""The clinical layer's knowledge, part 1: the ``Concept`` type, pattern helpers, and the contexts concepts need.

Patterns are regular expressions over the *normalised* message (see ``medcite.triage.clinical``): folded to
lower-case ASCII, apostrophes dropped ("can't" -> "cant"), every run of other punctuation one space, misspelt
words corrected against this lexicon's own words, so ``"chesst pian!!"`` reads ``"chest pain"``. ``{GAP}`` is
up to three words of anything. ``@fever``, ``@glucose_extreme`` and ``@infant_young`` name numeric detectors
(temperatures with or without units, glucose in mg/dL or mmol/L, ages in days, weeks or months).

A **context** (``ctx.*``) is never a red flag alone: it is what a finding needs around it (a baby under three
months for a fever, a pregnancy for a headache with visual change, a head knock for vomiting). A **concept** is a
red flag; ``requires`` lists groups of contexts or concept-name prefixes, every group needing one present in the
message or, for follow-ups, the running conversation. ``strong`` concepts ignore the benign modifier ("for
weeks", "after eating"). ``unless`` names contexts that, present in the message, mean it is not this red flag (a cut
on the wrist beside "through the glass door" is an injury, not self-injury).

English covers every category of issue 11; Spanish covers the main red flags (stroke, chest pain, breathing,
allergy, infant fever, bleeding, overdose and poisoning, seizures, unconsciousness, suicide and self-harm).
"""

from __future__ import annotations

from dataclasses import dataclass

from medcite.triage.model import Level

GAP = r"(?: \w+){0,3}"
PERSON = (r"(?:i|im|me|my|we|our|he|hes|him|his|she|shes|her|they|theyre|them|their|the baby|baby|mi|mis|su|el|ella)")
CHILD = (r"(?:baby|babies|infant|toddler|kid|kids|child|children|son|daughter|boy|girl|newborn|(?:[1-9]|1[0-2]) ?(?:yo|"
         r"y o|yrs? old|years? old)|\d+ ?(?:months? old|mo old)|ninos?|ninas?|hijos?|hijas?|bebes?|nene|nena)")
PAIN = r"(?:pain|pains|painful|hurt|hurts|hurting|ache|aching|agony|sore|cramp|cramps|cramping|dolor|duele)"


@dataclass(frozen=True)
class Concept:
    """A red flag (or, with a ``ctx.`` name, a context): its synonyms and what it needs around it."""

    name: str
    category: str
    level: Level
    label: str
    patterns: tuple[str, ...]
    requires: tuple[tuple[str, ...], ...] = ()
    strong: bool = False
    always: bool = False  # counts in history and information framing too (method and lethality questions)
    unless: tuple[str, ...] = ()  # contexts that, present in the message, mean it is not this red flag


def _c(name, category, level, label, *patterns, requires=(), strong=False, always=False, unless=()) -> Concept:
    return Concept(name, category, level, label, tuple(patterns), tuple(tuple(g) for g in requires), strong,
                   always, tuple(unless))


def _ctx(name, *patterns) -> Concept:
    return Concept(name, "context", "none", name, tuple(patterns))


# Sources of heat beside which a blister is a burn's (``ctx.burn``).
_HEAT = (r"(?:tea|coffee|soup|kettle|radiator|stove|oven|pan|pot|iron|straightener|sun|sunburn\w*|fire|grease|oil|"
         r"steam|hot|heater|flame|candle|exhaust|barbecue|bbq|hob|tray|water|bath|shower|microwave|heat|heating pad|"
         r"hot water bottle|chemical|acid|bleach|lye|cement|electric\w*|caliente|sol|aceite|agua|olla|plancha|fuego)")


CONTEXTS: tuple[Concept, ...] = (
    _ctx("ctx.infant_young", "@infant_young", r"\b(?:newborn|new born|neonate|neonatal|recien nacid[oa])\b"),
    _ctx("ctx.infant", r"\b(?:baby|babies|infant|newborn|bub|bubba|lo|little one|bebe|nene|nena)\b", "@infant_young"),
    _ctx("ctx.child", rf"\b{CHILD}\b"),
    _ctx("ctx.pregnant", r"\b(?:pregnant|pregnancy|pg|expecting|trimester|gestation|weeks along|embarazada|embarazo|"
         r"gestante|(?:\d+|thirty|twenty)\w* (?:weeks?|wks?|semanas)(?: pregnant| along| de embarazo)?|positive "
         r"(?:pregnancy )?test|missed (?:my |her )?period|late period|ivf|baby bump|my midwife|the midwife|"
         r"postpartum|post partum|gave birth|felt (?:her|him|the baby|baby|bub) (?:kick|move)|"
         r"just had (?:a|my|the) baby|delivered|[1-4]\d\+\d|\d{1,2}/40|g\dp\d|"
         r"(?:[12]\d|3\d|4[0-2]) (?:weeks|wks|w)\b)\b"),
    _ctx("ctx.diabetic", r"\b(?:diabetes|diabetic|type 1|type one|t1d|t1|type 2|t2d|insulin|novorapid|lantus|humalog|"
         r"sugars?|glucose|bg|bs|blood sugar|glucometer|meter|cgm|libre|dexcom|hypo|hypos|diabetico|diabetica|azucar|"
         r"glucosa)\b"),
    _ctx("ctx.high_sugar", r"\b(?:(?:meter|reading|monitor|glucometer|cgm|libre|dexcom|it|machine|sugar|bg)"
         r"(?: \w+){0,2} (?:says|reads|read|shows|showing|said|displays|is|on) (?:just )?(?:hi|high|hig)|reading hi|"
         r"(?:sugar|sugars|glucose|bg|bs|levels?) (?:\w+ ){0,2}(?:very |really |super |sky |way )(?:high|up)|"
         r"(?:sugar|sugars|glucose) (?:is |are )?(?:through the roof|off the charts|skyrocket\w*)|"
         r"ketones?|dka|ketoacidosis|hyperglyc\w*)\b", "@glucose_high", "@glucose_extreme"),
    _ctx("ctx.low_sugar", r"\b(?:(?:meter|reading|monitor|glucometer|cgm|it|sugar|bg)(?: \w+){0,2} (?:says|reads|shows|"
         r"showing|is) (?:just )?lo|hypo|hypoglyc\w*|(?:sugar|sugars|glucose|bg|bs|levels?) (?:\w+ ){0,2}(?:very |really |"
         r"super |dangerously )?(?:low|dropping|crashing|tanking)|low (?:blood )?sugar)\b", "@glucose_low"),
    _ctx("ctx.head_knock", r"\b(?:(?:hit|bumped|banged|knocked|smacked|struck|whacked|bashed|cracked|hurt)(?: \w+){0,3} "
         r"(?:head|skull|forehead|temple)|head (?:injury|injuries|trauma|knock|bump|wound)|concussion|concussed|"
         r"fell (?:\w+ ){0,6}(?:head|hit)|fall (?:\w+ ){0,3}head|(?:golpe|golpeo|golpeó|pego) (?:\w+ ){0,2}cabeza|"
         r"se cayo|knocked out|head first|headbutt\w*)\b"),
    _ctx("ctx.fall", r"\b(?:fell|fall|fallen|falls|tripped|slipped|knocked over|came off|thrown from|se cayo|caida)\b"),
    _ctx("ctx.anticoag", *(ANTICOAG := (r"\b(?:warfarin|coumadin|jantoven|apixaban|eliquis|rivaroxaban|xarelto|dabigatran|pradaxa|"
         r"edoxaban|savaysa|lixiana|blood thinners?|anticoag\w*|clopidogrel|plavix|heparin|lovenox|enoxaparin|"
         r"ticagrelor|brilinta|prasugrel|sintrom|acenocoumarol|thinners)\b",))),
    _ctx("ctx.opioid", r"\b(?:opioids?|opiates?|oxy\w*|oxycodone|oxycontin|oxynorm|percocet|vicodin|hydrocodone|fentanyl|fent|heroin|morphine|"
         r"methadone|tramadol|codeine|dilaudid|hydromorphone|suboxone|buprenorphine|pain (?:pills|meds|killers)|"
         r"painkillers|tapentadol|nodding)\b"),
    _ctx("ctx.fever", r"\b(?:fever|feverish|febrile|high (?:temp|temperature)|burning up|pyrexia|fiebre|calentura|"
         r"hot to (?:the )?touch|rigors|febrile)\b", "@fever"),
    _ctx("ctx.chemo", r"\b(?:chemo|chemotherapy|neutropeni\w*|neutrophils|on treatment for (?:\w+ )?(?:cancer|"
         r"leukaemia|leukemia|lymphoma)|immunotherapy|quimio\w*)\b"),
    _ctx("ctx.sudden", r"\b(?:sudden|suddenly|all of a sudden|out of nowhere|out of the blue|just now|abrupt\w*|"
         r"came on fast|came on quick\w*|de repente|repentin\w*|minutes ago|an hour ago|this morning|woke up with|"
         r"started (?:\d+|an|a few|twenty|ten|thirty) (?:min|mins|minutes|hour|hours)|onset|and now|now (?:he|she|i|they)|"
         r"code stroke|thrombolysis|lkw|last known well)\b"),
    _ctx("ctx.one_side", r"\b(?:left|right|one|l|r) (?:side|arm|leg|hand|half)|(?:left|right|one|l|r) sided|on one side|"
         r"hemi\w*|un lado|lado (?:izquierdo|derecho)\b"),
    _ctx("ctx.back_pain", r"\b(?:back|spine|sciatica|disc|disk|lumbar|slipped disc|herniat\w*|espalda)\b"),
    _ctx("ctx.heat", r"\b(?:heat|hot|sun|sunny|heatwave|heat wave|degrees outside|marathon|race|running|ran|hiking|"
         r"hike|working outside|outdoors|roofing|field|football practice|practice|sauna|hot car|humid|calor|"
         r"\d{2,3} ?(?:degrees|f) (?:out|outside|today))\b"),
    _ctx("ctx.allergen", r"\b(?:peanuts?|nuts?|tree nuts?|shellfish|shrimp|prawns?|crab|lobster|fish|sesame|eggs?|"
         r"bee|wasp|hornet|sting|stung|bitten|allerg\w*|penicillin|amoxicillin|antibiotic|injection|jab|vaccine|"
         r"contrast|dye|ate|eaten|eating|took|new (?:medicine|medication|pill)|alergi\w*|mani|cacahuate|picadura|"
         r"pico)\b"),
    _ctx("ctx.allergy_word", r"\b(?:allerg\w*|alergi\w*|anaphyla\w*|anafila\w*)\b"),
    _ctx("ctx.fluid_loss", r"\b(?:vomit\w*|throwing up|threw up|being sick|been sick|diarrh\w*|the runs|sick for|"
         r"cant keep (?:\w+ ){0,3}down|vomitando|diarrea)\b"),
    _ctx("ctx.ingestion", r"\b(?:swallowed|swallow|swallowing|ate|eaten|eating|drank|drunk|drinking|took|taken|"
         r"chewed|licked|ingested|sucked on|bit into|got into|had|popped|downed|put (?:\w+ ){0,2}in (?:his|her|their) "
         r"mouth|trago|se trago|se comio|se tomo|tomo|comio)\b"),
    _ctx("ctx.co_source", r"\b(?:boiler|furnace|heater|space heater|generator|gas fire|gas stove|stove|wood stove|"
         r"fireplace|grill|bbq|barbecue|charcoal|kerosene|propane|car running|engine running|exhaust|garage|"
         r"camping stove|water heater|chimney|flue|paraffin|calentador|estufa|brasero)\b"),
    _ctx("ctx.co_symptom", r"\b(?:headaches?|dizzy|dizziness|nause\w*|vomit\w*|throwing up|sleepy|drowsy|confus\w*|faint\w*|"
         r"collaps\w*|sick|unwell|passed out|breathless|duele (?:\w+ )?la cabeza|dolor de cabeza|mareo\w*|"
         r"nauseas?|confundid[oa]s?)\b"),
    _ctx("ctx.burn", r"\b(?:burn|burns|burned|burnt|scald|scalded|scalding|quemadura|quemo|quemó|"
         r"quemado|quemada|curling iron|hot (?:tea|coffee|water|oil|pan|iron|bath)|boiling|hirviendo)\b"
         # a blister is a burn's only beside a source of heat: "a sore spot on his big toe ... 'a little blister'"
         # (a diabetic foot, round 7's blind read) got the burns banner
         rf"|\b{_HEAT}\b.{{0,80}}\b(?:blister\w*|ampollas?)\b|\b(?:blister\w*|ampollas?)\b.{{0,80}}\b{_HEAT}\b"),
    # how an injury happened, told as an accident (beside which a cut on the wrist is no self-injury)
    _ctx("ctx.injury_mechanism", r"\b(?:through (?:the |a |our |his |her )?(?:glass|window|windscreen|windshield|"
         r"glass door|door)|broken glass|(?:on|onto|against) (?:a |an |the |some )?(?:tin|can|nail|fence|glass|metal|"
         r"sheet|broken)|fell (?:on|onto|through|off)|while (?:cooking|chopping|slicing|shaving|gardening|working|"
         r"cutting (?:up )?(?:the |some )?(?:veg\w*|bread|meat|onions?|wood))|chainsaw|angle grinder|grinder|lawn ?mower|"
         r"by accident|accidentally|accidental)\b"),
    _ctx("ctx.testicle", r"\b(?:testicle|testicles|testis|testes|ball|balls|nut|nuts|scrotum|scrotal|sack|sac|"
         r"groin|privates|down there|testiculo|testiculos|huevo|huevos)\b"),
    _ctx("ctx.belly", r"\b(?:belly|stomach|abdomen|abdominal|tummy|gut|tum|barriga|panza|estomago|abdomen|side|"
         r"appendix|lower right|right lower|rlq|bottom right|gastric|bowel|intestin\w*|hernia|bypass)\b"),
    _ctx("ctx.pain", rf"\b{PAIN}\b|\b(?:killing (?:me|him|her)|screaming|agony|excruciating|unbearable|cant bear|"
         r"worse|swollen|swelling|hinchad[oa]|vomita verde)\b"),
    _ctx("ctx.cardiac_pain", r"\b(?:chest|jaw|left arm|arm|shoulder|upper back|between (?:my|his|her) shoulder "
         r"blades|neck|indigestion|heartburn|pressure|tightness|heaviness|squeez\w*|pecho)\b"),
    _ctx("ctx.cardiac_associated", r"\b(?:sweat\w*|clammy|cold sweat|drenched|short of breath|shortness of breath|"
         r"breathless|sob|winded|cant catch (?:my|his|her|their) breath|faint|fainting|lightheaded|light headed|"
         r"dizzy|grey|gray|pale|ashen|diaphores\w*|diaphoretic|nause\w*|sick to (?:my|his|her) stomach|vomit\w*|throwing up|threw up|"
         r"out of breath|(?:feel|feels|feeling|felt) sick|"
         r"exhausted|wiped out|unusually tired|sudor\w*|sudad[oa]|sudando|nauseas?|vomit[oa]\w*|mareo|mareada|mareado|"
         r"falta de aire|palid[oa])\b"),
    _ctx("ctx.intent", r"\b(?:on purpose|intentional\w*|deliberately|to (?:die|end it|kill (?:my|him|her)self|sleep "
         r"forever|not wake up|never wake up)|wanted to die|want to die|suicid\w*|attempt\w*|a proposito|para morir)\b"),
)
