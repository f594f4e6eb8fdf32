# ruff: noqa: E501 - the lexicon is data: one synonym list per line reads better than wrapped fragments
"""The clinical layer's knowledge, part 2: the red-flag concepts, category by category: risk to a person first (from
``risk_lexicon``), then the bodily emergencies (see ``contexts`` for the pattern conventions, the ``Concept`` type
and the contexts that ``requires`` names)."""

from __future__ import annotations

from medcite.triage.contexts import ANTICOAG, CONTEXTS, GAP, Concept, _c
from medcite.triage.risk_lexicon import RISK

__all__ = ["ALL", "CONCEPTS", "CONTEXTS", "GAP", "Concept"]

_EM = "emergency"
_UR = "urgent"

CONCEPTS: tuple[Concept, ...] = (
    *RISK,
    # ---------------------------------------------------------------- stroke
    _c("stroke.face_droop", "stroke", _EM, "face drooping",
       r"\b(?:face|mouth|smile|lip|lips|eyelid|side of (?:my|his|her|their|the) face)\b(?: \w+){0,3} (?:droop\w*|"
       r"sag\w*|lopsided|crooked|uneven|slack|wonky|twisted|fell|fallen|dropped|dropping|went (?:funny|weird|numb|slack|"
       r"floppy)|numb|paralys\w*|not moving|frozen)\b",
       r"\bdroop\w*\b(?: \w+){0,3} (?:face|mouth|smile|side|eye|lip)\b|\bfacial (?:droop|asymmetry|weakness|palsy)\b",
       r"\b(?:cara|boca|sonrisa)\b(?: \w+){0,2} (?:caida|torcida|chueca|dormida|paralizada|colgando|de lado)\b|"
       r"\bse le (?:cayo|cae|torcio) (?:la cara|la boca|un lado)\b", strong=True),
    _c("stroke.arm_weak", "stroke", _EM, "sudden weakness or numbness of one arm, leg or side",
       r"\b(?:arm|leg|hand|side|limb|foot)\b(?: \w+){0,3} (?:weak|weakness|numb|numbness|limp|dead|heavy|"
       r"paralys\w*|wont move|cant move|not working|gave out|giving out|useless|floppy|went dead|clumsy|wont hold (?:me|"
       r"him|her) up|will not hold (?:me|him|her) up|keeps giving way|gave way)\b",
       r"\b(?:cant|cannot|unable to|couldnt|can not|wont|struggling to) (?:lift|raise|move|feel|grip|hold|use)"
       r"(?: \w+){0,3} (?:arm|arms|leg|legs|hand|side|fingers)\b",
       r"\b(?:weakness|numbness|tingling|paralysis|heaviness) (?:in|on|of|down)(?: \w+){0,3} (?:arm|leg|side|face|"
       r"hand)\b|\bsided weakness\b|\bhemipar\w*|\bhemipleg\w*",
       r"\b(?:brazo|pierna|mano|lado)\b(?: \w+){0,2} (?:dormid[oa]|debil|paralizad[oa]|sin fuerza)\b|"
       r"\bno (?:puede|puedo|podia) (?:mover|levantar|sentir) (?:\w+ )?(?:brazo|pierna|mano|lado)\b|"
       r"\bdebilidad (?:en|de) (?:un|el) lado\b",
       requires=(("ctx.sudden", "ctx.one_side", "stroke.", "cardiac."),)),
    _c("stroke.speech", "stroke", _EM, "speech suddenly slurred, garbled or lost",
       r"\bslur\w*|\bgarbled\b|\bgibberish\b|\baphasi\w*|\bdysarthri\w*",
       r"\b(?:words|speech|talking|voice)\b(?: \w+){0,3} (?:come|coming|came|comes|are|is|was|sound|sounds|"
       r"went) (?:out )?(?:wrong|weird|funny|jumbled|mixed|muddled|slurred|garbled|thick|strange|off|all wrong)\b",
       r"\b(?:cant|cannot|couldnt|unable to|trouble|difficulty|struggling to|hard to|problems?) (?:\w+ )?(?:speak|"
       r"speaking|talk|talking|get (?:the |his |her |my )?words out|find (?:the |his |her |my )?words|finding words|"
       r"form words|say words|make sense|understand (?:me|us|what))\b",
       r"\bnot making (?:any )?sense\b|\bmaking no sense\b|\bwrong words\b|\bmixing up (?:his |her |my )?words\b",
       r"\b(?:habla|hablaba) (?:raro|arrastrad[oa]|mal|trabad[oa]|enredad[oa])\b|\bno (?:puede|puedo|podia) "
       r"hablar\b|\barrastra (?:las )?palabras\b",
       requires=(("ctx.sudden", "ctx.one_side", "stroke.", "ctx.head_knock", "ctx.low_sugar", "ctx.heat"),),
       strong=True),
    _c("stroke.now", "stroke", _EM, "a stroke happening now",
       r"\b(?:is|am|im|hes|shes|are|be|been|currently|think (?:i|he|she|they|my \w+)(?:s|m| is| am| are)?|"
       r"(?:might|may|could) be) (?:having|had|having had) (?:a |another )?(?:stroke|mini stroke|tia|bleed on the "
       r"brain)\b",
       r"\b(?:stroke|tia)\b(?: \w+){0,2} (?:right now|now|happening|symptoms now)\b|\bsigns of (?:a )?stroke\b"
       r"(?: \w+){0,2} (?:now|right now)\b|\bbe fast\b",
       r"\b(?:derrame|ictus|embolia|infarto cerebral)\b|\bcode stroke\b", strong=True),
    _c("stroke.vision_balance", "stroke", _EM, "sudden loss of vision, balance or coordination",
       r"\b(?:blind|lost (?:the |his |her |my )?(?:sight|vision)|vision (?:loss|went|gone|black|blurry|blurred|"
       r"double)|double vision|cant see|curtain|loss of balance|lost (?:his |her |my )?balance|cant walk|cant stand|"
       r"falling to one side|stumbling|dizzy and|vertigo)\b",
       requires=(("ctx.sudden",), ("stroke.", "ctx.one_side", "ctx.sudden")),),
    _c("stroke.thunderclap", "stroke", _EM, "a sudden, worst-ever headache",
       r"\bworst headache\b|\bthunderclap\b|\bheadache (?:\w+ ){0,3}(?:like (?:a|being) (?:hit|struck|kicked)|out of "
       r"nowhere|exploded|explosion|instantly|came on (?:suddenly|in seconds|like))\b|\bsudden (?:\w+ )?(?:severe|"
       r"excruciating|explosive|blinding|crushing) headache\b|\bpeor dolor de cabeza\b", strong=True),
    # ---------------------------------------------------------------- cardiac
    _c("cardiac.chest_pain", "cardiac", _EM, "chest pain, pressure or tightness",
       r"\bchest\b(?: \w+){0,3} (?:pain|pains|hurt\w*|ache|aching|pressure|tight\w*|heavy|heaviness|squeez\w*|"
       r"crush\w*|burning|discomfort|band|weight|elephant|clench\w*|sitting on)\b",
       r"\b(?:pain|pressure|tightness|heaviness|squeezing|crushing|discomfort|weight|elephant|vice|band)\b"
       r"(?: \w+){0,3} (?:in|on|across|around|behind|center of|middle of) (?:\w+ ){0,2}(?:chest|sternum|breastbone)\b",
       r"\bangina\b|\b(?:dolor|opresion|presion|apreton)\b(?: \w+){0,3} (?:pecho|torax)\b|\b(?:me|le) "
       r"(?:aprieta|duele) (?:el )?pecho\b",
       r"\b(?:heart attack|cardiac arrest|stemi|nstemi|st elevation|infarto|ataque (?:al|de) corazon)\b"),
    _c("cardiac.radiating", "cardiac", _EM, "pain spreading to the arm, jaw, neck or back",
       r"\b(?:pain|ache|pressure|tightness|hurting|hurts|discomfort|dolor)\b(?: \w+){0,4} (?:spread\w*|radiat\w*|"
       r"going|goes|moving|moves|shoot\w*|travel\w*|down|into|up|se va|se extiende|baja) (?:\w+ ){0,3}(?:arm|arms|"
       r"jaw|neck|back|shoulder|shoulders|brazo|mandibula|cuello|espalda)\b",
       r"\b(?:jaw|left arm|arm|neck|shoulder|upper back|back)\b(?: \w+){0,3} (?:pain|ache|aching|hurts|hurting|"
       r"pressure|heavy)\b(?: \w+){0,6} (?:sweat\w*|clammy|short of breath|breathless|nause\w*|sick|faint|dizzy|"
       r"grey|gray|pale|tired|exhausted)\b",
       requires=(("ctx.cardiac_associated", "cardiac.chest_pain"),)),
    _c("cardiac.atypical", "cardiac", _EM, "indigestion-like pain, nausea or exhaustion with sweating or breathlessness",
       r"\b(?:indigestion|heartburn|upper (?:belly|stomach|abdomen)|epigastric|jaw|left arm|between (?:my |his |her )?"
       r"shoulder blades|upper back)\b(?: \w+){0,3} (?:pain|ache|aching|discomfort|pressure|hurts|feeling|that wont "
       r"(?:go|shift|settle|budge|ease))\b|\b(?:duele|dolor)\b(?: \w+){0,3} (?:mandibula|brazo izquierdo|espalda|pecho)\b|"
       r"\bpressure (?:under|behind|in) (?:my |his |her |the )?(?:breastbone|sternum)\b",
       r"\bunusual(?:ly)? (?:tired|exhausted|fatigue)\b|\b(?:weirdly|unusually|really) exhausted\b|\b(?:exhausted|wiped "
       r"out|so tired)\b(?: \w+){0,6} (?:sweat\w*|clammy|short of breath|breathless|cant catch)\b",
       requires=(("ctx.cardiac_associated",),)),
    _c("cardiac.shock", "cardiac", _EM, "very low blood pressure, very fast pulse or low oxygen", "@shock_vitals",
       strong=True),
    _c("cardiac.arrest", "unconscious", _EM, "no pulse or not breathing",
       r"\bno pulse\b|\bheart (?:has )?stopped\b|\bcardiac arrest\b|\b(?:doing|started|giving|give) cpr\b|\bcpr\b|"
       r"\bdefib\w*|\baed\b|\bparo cardiaco\b", strong=True),
    # ---------------------------------------------------------------- breathing
    _c("breathing.cannot_breathe", "breathing", _EM, "cannot breathe or badly short of breath",
       r"\b(?:cant|cannot|can not|couldnt|unable to|struggling to|can barely|can hardly|barely|hard to|difficult to|"
       r"trouble|difficulty|fighting to|gasping to) (?:\w+ )?(?:breathe|breath|breathing|catch (?:my|his|her|"
       r"their) breath|get (?:a |any |enough )?(?:air|breath)|take a (?:full |deep )?breath)\b",
       r"\b(?:not|stopped|isnt|is not|wasnt|no longer|quit|stops) breathing\b|\bgasping\b|\bgasps\b|"
       r"\bstruggling for (?:air|breath)\b|\bfighting for (?:air|breath)\b|\bair hunger\b",
       r"\bno (?:puede|puedo|podia) respirar\b|\bno respira\b|\ble cuesta (?:mucho )?respirar\b|\bme ahogo\b|"
       r"\bse (?:esta )?ahoga\w*|\bfalta de aire\b|\bdificultad (?:para|al) respirar\b"),
    _c("breathing.severe_asthma", "breathing", _EM, "asthma not relieved by the inhaler",
       r"\b(?:inhaler|puffer|pump|nebuli[sz]er|neb|ventolin|albuterol|salbutamol|reliever|blue inhaler|inhalador)"
       r"\b(?: \w+){0,4} (?:not|isnt|doesnt|does not|no|hasnt|wont|nothing|barely) (?:\w+ )?(?:working|helping|"
       r"help|work|doing|touching|making a difference|funciona|ayuda)\b",
       r"\b(?:cant|cannot|unable to|couldnt) (?:\w+ )?(?:speak|talk|finish|say|get out) (?:in |a )?(?:full |whole |"
       r"complete )?(?:sentences?|words)\b|\b(?:only|can only|just) (?:\w+ )?(?:say|get out|manage|speak) (?:a few|"
       r"one or two|two|three|single) words\b",
       r"\b(?:ribs|chest|belly|neck|skin)\b(?: \w+){0,3} (?:sucking|pulling|caving|sinking) in\b|\btracheal tug\b|"
       r"\bretractions?\b|\bnostrils flaring\b",
       strong=True),
    _c("breathing.blue", "breathing", _EM, "blue or grey lips or face",
       r"\b(?:lips|face|skin|fingers|fingertips|fingernails|nails|mouth|tongue)\b(?: \w+){0,2} (?:blue|bluish|purple|"
       r"grey|gray|dusky|ashen)\b|\b(?:turning|turned|going|gone|went|looks?) (?:a bit |slightly )?(?:blue|purple|"
       r"grey|gray|dusky)\b|\bcyanos\w*|\bcyanotic\b|\blabios (?:morados|azules)\b|\b(?:se (?:esta )?pon\w* "
       r"(?:morad[oa]|azul))\b", strong=True),
    _c("breathing.stridor", "breathing", _EM, "noisy breathing in at rest, drooling or unable to swallow",
       r"\bstridor\b|\bhigh pitched (?:noise|sound|squeak\w*|whistl\w*|wheez\w*)\b(?: \w+){0,4} (?:breath\w*|in|at rest)\b|"
       r"\b(?:noisy|squeaky|whistling|crowing|rasping) (?:breathing|breath|noise)\b(?: \w+){0,4} (?:rest|in|resting|"
       r"sitting|still|asleep)\b|\b(?:drool|drools|drooling|drooled)\b(?: \w+){0,6} (?:cant swallow|cannot swallow|breath\w*|fever|muffled)\b|"
       r"\b(?:cant|cannot|unable to) swallow (?:\w+ ){0,2}(?:spit|saliva|own spit)\b",
       strong=True),
    _c("breathing.peak_flow", "breathing", _UR, "asthma needing the reliever every few hours or a low peak flow",
       "@peak_flow_low",
       r"\b(?:inhaler|puffer|ventolin|salbutamol|albuterol|reliever|blue one)\b(?: \w+){0,3} (?:helps|works|lasts|"
       r"wears off)(?: \w+){0,3} (?:an hour|a couple of hours|one hour|two hours|\d hours?|then (?:its|it is) back)\b|"
       r"\b(?:needing|need|using|used|taking) (?:my |the |his |her )?(?:inhaler|puffer|ventolin|reliever)\b(?: \w+){0,2} "
       r"(?:every (?:hour|two hours|couple of hours|\d hours)|more than every (?:\w+ ){0,2}hours)\b"),
    _c("breathing.choking", "breathing", _EM, "choking",
       r"\bchok\w*\b|\bsomething stuck in (?:his|her|my|their) (?:throat|windpipe)\b|\bcant cough\b|"
       r"\batragant\w*|\bse (?:esta )?atraganta\w*"),
    # ---------------------------------------------------------------- anaphylaxis
    _c("anaphylaxis.swelling", "anaphylaxis", _EM, "throat, tongue or lip swelling",
       r"\b(?:throat|tongue|lips?|mouth|airway|garganta|lengua|labios)\b(?: \w+){0,3} (?:swell\w*|swollen|puff\w*|"
       r"closing|closed|tight\w*|thick|blowing up|hinchad[oa]s?|cerrando|cerrada)\b",
       r"\bthroat (?:feels )?(?:funny|weird|strange|scratchy and tight|narrow)\b|\bhard to swallow\b|"
       r"\bcant swallow\b|\bse le (?:hincha|hinchan|cierra)\w*",
       requires=(("ctx.allergen", "anaphylaxis.", "breathing.", "ctx.sudden"),), strong=True),
    _c("anaphylaxis.named", "anaphylaxis", _EM, "a severe allergic reaction",
       r"\banaphyla\w*|\banafila\w*|\b(?:used|gave|give|giving|need|needs|jabbed|injected|use)(?: \w+){0,2} "
       r"(?:epi ?pen|epipen|adrenaline|epinephrine|auto ?injector)\b|\b(?:epi ?pen|epipen)\b",
       r"\b(?:hives|rash|welts|reaction)\b(?: \w+){0,6} (?:breath\w*|throat|swell\w*|dizzy|faint\w*|vomit\w*|"
       r"wheez\w*|collaps\w*)\b", strong=True),
    _c("anaphylaxis.hives_spreading", "anaphylaxis", _UR, "hives spreading after a new medicine, food or sting",
       r"\b(?:hives|welts|urticaria|rash|ronchas)\b(?: \w+){0,8} (?:spreading|all over|everywhere|getting worse|worse and "
       r"worse|keeps spreading|se extiende|por todo el cuerpo)\b|\b(?:spreading|all over) (?:\w+ )?(?:hives|welts)\b",
       requires=(("ctx.allergen",),)),
    _c("anaphylaxis.after_allergen", "anaphylaxis", _EM, "a known allergy with a hoarse voice, vomiting or wheeze",
       r"\bhoarse\w*|\bcroak\w*|\bvoice (?:\w+ ){0,2}(?:hoarse|croaky|funny|weird|different|changed|muffled)\b|"
       r"\bscratch\w* (?:at )?(?:his|her|my|their) (?:neck|throat|chest)\b|\bwheez\w*|\bvomit\w*|\bbeen sick\b|"
       r"\bthrew up\b|\bthrowing up\b|\bsick (?:once|twice|on the floor)\b",
       requires=(("ctx.allergy_word",), ("ctx.allergen",)), strong=True),
    # ---------------------------------------------------------------- sepsis and meningitis
    _c("sepsis_meningitis.rash", "sepsis_meningitis", _EM, "a rash that does not fade under a glass",
       r"\brash\b(?: \w+){0,4} (?:doesnt|does not|wont|didnt|did not|not|dont|isnt|never) (?:fade|go away|blanch|"
       r"disappear|go white|change)\b|\bnon ?blanch\w*|\bglass test\b|\btumbler test\b|\bpetechi\w*|\bpurpur\w*|"
       r"\b(?:purple|dark red|red|maroon|tiny) (?:spots|dots|blotches|pinpricks)\b(?: \w+){0,4} (?:glass|press\w*|"
       r"fade|spread\w*|fever|everywhere|all over)\b|\bmanchas (?:moradas|que no desaparecen)\b", strong=True),
    _c("sepsis_meningitis.stiff_neck", "sepsis_meningitis", _EM, "fever with a stiff neck or light hurting the eyes",
       r"\b(?:stiff|rigid|sore|painful) neck\b|\bneck (?:(?!isnt |not |wasnt |arent )\w+ ){0,2}(?:stiff|rigid)\b|\b(?:cant|cannot) (?:\w+ ){0,2}"
       r"chin (?:to|on) (?:\w+ )?chest\b|\bcant (?:bend|touch|put|move) "
       r"(?:his |her |my |their )?(?:neck|chin)\b|\b(?:light|lights) (?:hurts|hurting|bothers)\b|\bphotophob\w*|"
       r"\bcuello (?:rigido|duro|tieso)\b|\brigidez (?:de|en el) cuello\b",
       requires=(("ctx.fever", "stroke.thunderclap"),)),
    _c("sepsis_meningitis.sepsis", "sepsis_meningitis", _EM, "signs of sepsis",
       r"\bsepsis\b|\bseptic\b|\bmottled\b|\bblotchy (?:skin|legs|arms)\b|\bconfus\w*|\bdelirious\b|\bnot making "
       r"sense\b|\bhard to wake\b|\bvery drowsy\b|\bshiver\w* (?:uncontrollabl\w*|violently|and shaking)\b|"
       r"\brigors?\b|\b(?:hasnt|not|no|havent) (?:peed|urinated|passed urine|had a wee)\b|\bice cold (?:hands|feet)\b|"
       r"\b(?:hands|feet|hands and feet)\b(?: \w+){0,2} (?:ice cold|freezing|icy|like ice)\b|\blegs? (?:\w+ )?(?:really |so )?"
       r"(?:hurt|hurts|aching|ache|painful)\b|"
       r"\bbreathing (?:really |very )?fast\b|\bheart racing\b|\bconfundid[oa]\b|\brespira (?:muy )?rapido\b|"
       r"\bno (?:orina|ha orinado)\b|\bmanchas\b",
       requires=(("ctx.fever", "sepsis_meningitis."), ("ctx.fever",)),),
    _c("sepsis_meningitis.neutropenic", "sepsis_meningitis", _EM, "a fever during chemotherapy",
       "@fever", r"\b(?:fever|feverish|febrile|high (?:temp|temperature)|shiver\w*|rigors?|fiebre)\b",
       requires=(("ctx.chemo",),), strong=True),
    # ---------------------------------------------------------------- infants
    _c("infant.young_fever", "infant", _EM, "a fever in a baby under 3 months", "@fever",
       r"\b(?:fever|feverish|febrile|high (?:temp|temperature)|burning up|hot to (?:the )?touch|fiebre|calentura)\b",
       requires=(("ctx.infant_young",),), strong=True),
    _c("infant.unwell", "infant", _EM, "a baby floppy, hard to wake or not feeding",
       r"\b(?:floppy|limp|lethargic|listless|hard to wake|wont wake|cant wake|not waking|very sleepy|unusually "
       r"sleepy|so sleepy|not (?:feeding|eating|drinking|nursing|latching|taking (?:\w+ )?(?:bottle|feeds?|milk|"
       r"formula|breast))|refus\w* (?:\w+ )?(?:feeds?|bottle|to feed|to eat|milk|breast)|no wet (?:nappies|diapers)|"
       r"dry (?:nappies|diapers)|hasnt (?:peed|had a wet)|grunt\w*|bulging (?:soft spot|fontanelle)|sunken (?:soft "
       r"spot|fontanelle)|high pitched (?:cry|crying|scream)|inconsolabl\w*|green (?:vomit|sick)|projectile|"
       r"pauses? in (?:\w+ )?breathing|no respira|no come|no quiere comer|muy dormid[oa]|decaid[oa]|"
       r"no despierta|(?:wont|doesnt|isnt|stopped|not) (?:\w+ )?(?:feed|eat|drink|nurse|latch)|weak cry|soft spot (?:\w+ ){0,2}"
       r"(?:sunken|bulging)|vomiting (?:bright )?green)\b",
       requires=(("ctx.infant",),)),
    # ---------------------------------------------------------------- pregnancy
    _c("pregnancy.preeclampsia", "pregnancy", _UR, "pre-eclampsia signs",
       r"\b(?:severe|bad|terrible|pounding|awful|worst|splitting|constant|wont go away) (?:\w+ )?headache\b|"
       r"\bheadache\b(?: \w+){0,4} (?:wont|not|isnt|doesnt) (?:go|going|get|getting|shift)\w*\b|"
       r"\b(?:vision|eyesight|sight)\b(?: \w+){0,2} (?:blurry|blurred|blurring|spots|flashing|sparkl\w*|weird|"
       r"changes|fuzzy)\b|\bseeing (?:spots|stars|flash\w*|sparkl\w*|zigzag\w*)\b|\bflashing lights\b|"
       r"\b(?:face|hands|fingers|feet)\b(?: \w+){0,3} (?:suddenly |really |very )?(?:swollen|swelling|puffy)\b|"
       r"\bpain (?:under|below) (?:my |her )?ribs\b|\bupper (?:right )?(?:belly|stomach|abdomen|abdominal) pain\b|"
       r"\b(?:bp|blood pressure)\b(?: \w+){0,3} (?:high|up|raised|1[4-9]\d|2\d\d)\b|\bpreeclampsia\b|"
       r"\bpre eclampsia\b|\bhellp\b|\bpreeclamp\w*|\bpresion alta\b|\bprotein in (?:my |her |the )?urine\b|"
       r"\bproteinuria\b|\burine protein\b|\bvision (?:\w+ ){0,3}(?:blurry|blurred|sparkl\w*|spots)\b",
       requires=(("ctx.pregnant",),)),
    _c("pregnancy.bleeding", "pregnancy", _EM, "heavy bleeding in pregnancy or after birth",
       r"\b(?:bleeding|bleed|blood)\b(?: \w+){0,3} (?:heavily|heavy|a lot|lots|loads|so much|everywhere|gushing|"
       r"pouring|bright red|clots?|through)\b|\bsoak\w* (?:\w+ ){0,3}(?:pads?|towels?|sheets|through)\b|"
       r"\b(?:passing|passed) (?:\w+ )?clots\b|\bhaemorrhag\w*|\bhemorrhag\w*|\bsangr\w* (?:mucho|abundante)\b|"
       r"\b(?:mucha|bastante|tanta) sangre\b|\bsangre (?:roja|a chorros)\b|\bsangrado (?:abundante|fuerte|rojo)\b",
       requires=(("ctx.pregnant",),), strong=True),
    _c("pregnancy.ectopic", "pregnancy", _EM, "possible ectopic pregnancy",
       r"\b(?:one sided|left sided|right sided|on (?:my |the |her )?(?:left|right|one) side|lower (?:left|right)|"
       r"(?:left|right) side)\b(?: \w+){0,4} (?:pain|cramp\w*|hurts|ache|stabbing)\b|\b(?:pain|cramp\w*|stabbing)\b"
       r"(?: \w+){0,4} (?:one side|left side|right side|lower left|lower right)\b|\bshoulder tip\b|"
       r"\bshoulder (?:pain|ache)\b|\bectopic\b|\b(?:fainted|fainting|passed out|dizzy|lightheaded)\b|"
       r"\b(?:dolor|duele)\b(?: \w+){0,4} (?:un lado|lado (?:izquierdo|derecho))\b|\b(?:bleeding|sangrado|sangrando)\b",
       requires=(("ctx.pregnant",), ("ctx.pain", "ctx.sudden")),),
    _c("pregnancy.abruption", "pregnancy", _EM, "a hard, painful bump or bleeding with pain in pregnancy",
       r"\b(?:belly|bump|tummy|stomach|womb|uterus|barriga|vientre)\b(?: \w+){0,3} (?:rock hard|hard as a rock|hard and "
       r"(?:painful|sore)|tight and painful|rigid|dur[oa])\b|\b(?:bleeding|blood|sangrado|sangrando)\b(?: \w+){0,6} "
       r"(?:pain|painful|cramp\w*|dolor)\b|\b(?:pain|painful|cramp\w*|dolor)\b(?: \w+){0,6} (?:bleeding|sangrado|"
       r"sangrando)\b",
       requires=(("ctx.pregnant",), ("ctx.pain",)), strong=True),
    _c("pregnancy.reduced_movements", "pregnancy", _UR, "the baby moving less",
       r"\b(?:baby|bub|babys)\b(?: \w+){0,3} (?:not|hasnt|stopped|less|fewer|barely|isnt|hardly|no longer|havent)"
       r" (?:\w+ )?(?:moving|moved|kicking|kicked|movement|movements|kicks)\b|\b(?:reduced|less|no|fewer|decreased|"
       r"slower) (?:fetal |foetal )?(?:movements?|kicks|moving)\b|\bnot felt (?:\w+ ){0,3}(?:move|kick)\b|\bno se "
       r"mueve\b|\b(?:movements?|kicks|moving)\b(?: \w+){0,3} (?:less|fewer|reduced|slower|not as|weaker|stopped|quiet)\b|"
       r"\b(?:havent|not|hasnt) (?:felt|feel) (?:\w+ ){0,2}(?:kick|kicks|kicking|move|moving|movement)\b|"
       # "Baby is normally really kicky ... but today I've hardly felt anything" (held-out G)
       r"\b(?:hardly|barely|havent|not) (?:felt|feel|feeling|noticed) (?:anything|much|any movement|him|her|the baby|"
       r"baby|a thing)\b|\bno (?:siento|noto) (?:\w+ ){0,3}"
       r"(?:moverse|mover|patadas)\b",
       requires=(("ctx.pregnant",),)),
    # ---------------------------------------------------------------- diabetic emergencies
    _c("diabetic.dka", "diabetic", _EM, "signs of diabetic ketoacidosis",
       r"\bvomit\w*|\bthrowing up\b|\bthrew up\b|\bcant keep (?:\w+ )?(?:anything|fluids|water|food) down\b|"
       r"\bfruity\b|\bsweet (?:breath|smell)\b|\bnail polish\b|\bacetone\b|\bbreathing (?:\w+ )?(?:fast|deep|heavy|"
       r"hard|weird)\b|\b(?:drowsy|confus\w*|hard to wake|very sleepy|lethargic|out of it)\b|\bdka\b|"
       r"\bketoacidosis\b|\b(?:stomach|belly|tummy) (?:pain|ache|hurts)\b|\bketones? (?:\w+ )?(?:high|large|big|"
       r"positive|moderate|[2-9])\b|\bvomit\w*",
       requires=(("ctx.high_sugar",),), strong=True),
    _c("diabetic.severe_hypo", "diabetic", _EM, "a very low sugar with confusion or drowsiness",
       r"\b(?:confus\w*|not making sense|drowsy|sleepy|cant wake|wont wake|unconscious|passed out|seiz\w*|fitting|"
       r"cant swallow|slurr\w*|aggressive|combative|out of it|sweaty and shaky|shaking|shaky)\b",
       requires=(("ctx.low_sugar",),), strong=True),
    _c("diabetic.confused", "diabetic", _EM, "a person with diabetes confused, drowsy or unconscious",
       r"\b(?:confus\w*|not making sense|talking nonsense|drowsy|cant wake|wont wake|unconscious|passed out|seiz\w*|"
       r"fitting|cant swallow|slurr\w*|combative|out of it)\b",
       requires=(("ctx.diabetic",),)),
    _c("diabetic.extreme_reading", "diabetic", _UR, "a very high or very low glucose reading",
       "@glucose_extreme", r"\b(?:says|reads|shows|showing|reading) (?:just )?(?:hi|lo)\b",
       requires=(("ctx.diabetic",),)),
    # ---------------------------------------------------------------- carbon monoxide
    _c("carbon_monoxide.alarm", "carbon_monoxide", _EM, "possible carbon monoxide poisoning",
       r"\bcarbon monoxide\b|\bco (?:alarm|detector|poisoning|leak|levels?)\b|\bmonoxido\b",
       requires=(("ctx.co_symptom",),), strong=True),
    _c("carbon_monoxide.alarm_sounding", "carbon_monoxide", _EM, "a carbon monoxide alarm going off",
       r"\b(?:co|carbon monoxide) (?:alarm|detector)\b(?: \w+){0,3} (?:going off|beeping|went off|sounding|screaming)\b",
       strong=True),
    _c("carbon_monoxide.away_better", "carbon_monoxide", _EM, "symptoms that clear away from home",
       r"\b(?:better|fine|goes away|go away|clears|improves?|ok) (?:\w+ ){0,2}(?:when|once|after) (?:\w+ )?(?:away|out|"
       r"outside|leaving|leave)\b",
       requires=(("ctx.co_symptom",),)),
    _c("carbon_monoxide.household", "carbon_monoxide", _EM, "headache or dizziness in several people at home",
       r"\b(?:whole family|all of us|all \d+ of us|all (?:three|four|five) of us|everyone in the (?:house|home|flat)|everyone at home|both of us|the kids and i|"
       r"my husband and i|my wife and i|we all|all have|both have|all got|everybody)\b(?: \w+){0,6} (?:headaches?|"
       r"dizzy|sick|nause\w*|vomit\w*|sleepy|drowsy|confused|tired)\b",
       r"\b(?:better|fine|goes away|go away|clears|improves?) (?:\w+ ){0,2}(?:when|once|after) (?:we|i|they) (?:go|"
       r"leave|went|step|get) (?:outside|out of the house|out|to work)\b",
       r"\b(?:headache|dizzy|dizziness|nause\w*|drowsy|sleepy|confused)\b(?: \w+){0,8}",
       r"\b(?:todos|toda la familia|mis hijos y yo|a mi y a mis hijos|nos duele|estamos (?:todos )?mareados)\b|"
       r"\b(?:dolor de cabeza|duele la cabeza|mareado\w*|maread[oa]s?)\b",
       requires=(("ctx.co_source",),)),
    # ---------------------------------------------------------------- head injury
    _c("head_injury.red_flag", "head_injury", _EM, "a head injury with red flags",
       r"\bvomit\w*|\bthrowing up\b|\bthrew up\b|\bbeen sick\b|\bconfus\w*|\bdrowsy\b|\bsleepy\b|\bhard to wake\b|"
       r"\bwont wake\b|\bcant wake\b|\bnot making sense\b|\bunequal pupils\b|\bone pupil\b|\bpupils? (?:\w+ ){0,2}"
       r"(?:different|bigger|uneven|dilated)\b|\bfluid (?:from|out of|coming) (?:\w+ )?(?:nose|ear|ears)\b|"
       r"\bclear fluid\b|\bblood (?:from|out of|coming from) (?:\w+ )?(?:ear|ears)\b|\bseiz\w*|\bfit\b|"
       r"\bpassed out\b|\bknocked out\b|\blost consciousness\b|\bblacked out\b|\bloc\b|\bout cold\b|\bheadache (?:\w+ )"
       r"{0,2}(?:worse|getting worse|worsening|severe)\b|\bworsening headache\b|\bcant remember\b|\brepeating "
       r"(?:himself|herself|the same)\b|\bamnesia\b|\bdouble vision\b|\bslurr\w*|\bvomitando\b|\bconfundid[oa]\b|"
       r"\bgcs\b|\bnot (?:acting|herself|himself) right\b|\bnot acting (?:like )?(?:himself|herself)\b|\bthrown up\b",
       requires=(("ctx.head_knock",),), strong=True),
    _c("head_injury.after_fall", "head_injury", _EM, "unequal pupils, fluid from the ear or nose, or drowsy after a fall",
       r"\bpupils? (?:\w+ ){0,3}(?:different|bigger|uneven|dilated|unequal)\b|\bone (?:of (?:his|her|their) )?pupils?\b|"
       r"\b(?:fluid|blood) (?:\w+ ){0,2}(?:from|out of|coming from) (?:\w+ )?(?:ear|ears|nose)\b|\bgcs\b|"
       r"\bknocked out\b|\blost consciousness\b",
       requires=(("ctx.fall", "ctx.head_knock"),), strong=True),
    _c("head_injury.anticoagulant", "head_injury", _EM, "a head injury on a blood thinner", *ANTICOAG,
       requires=(("ctx.head_knock", "ctx.fall"),), strong=True),
    # ---------------------------------------------------------------- bleeding
    _c("bleeding.major", "bleeding", _EM, "heavy bleeding that will not stop",
       r"\bbleed\w*\b(?: \w+){0,4} (?:wont|will not|doesnt|does not|isnt|is not|cant|cannot|not) (?:stop|stopping|"
       r"slow\w*|be stopped)\b|\b(?:wont|will not|doesnt|does not|isnt|cant|cannot|not) (?:stop|stopping) "
       r"bleeding\b|\bbleed\w* (?:heavily|profusely|a lot|badly|everywhere|out|through|loads|"
       r"lots|so much|like crazy|a ton)\b|\bheavy bleeding\b|\bstill gushing\b|\bhaematemesis\b|\bhematemesis\b",
       r"\b(?:lots|lot|pool|puddle|so much|loads|tons) of blood\b|\bblood (?:everywhere|is (?:spurting|gushing|pouring|"
       r"squirting|pulsing|pulsating)|(?:spurting|gushing|pouring|squirting|pumping|pulsing))\b|"
       r"\b(?:spurting|gushing|pouring|squirting|pumping|pulsing)"
       r" (?:out )?blood\b|\bsoaked (?:through )?(?:\w+ ){0,2}(?:towel|towels|bandage|dressing|shirt)\b",
       r"\b(?:vomiting|throwing up|threw up|coughing up|coughed up|puking|vomited|spitting up|spitting out|spitting|"
       r"spat out|spat) (?:\w+ ){0,3}blood\b|"
       r"\bcoffee grounds?\b|\bvomitando sangre\b|\bsangr\w* (?:mucho|sin parar|no para)\b|\bno (?:para|deja) de sangrar\b",
       r"\b(?:amputat\w*|severed|cut off)\b(?: \w+){0,2} (?:finger|toe|hand|arm|leg)\b|\bstabbed\b|\bgunshot\b|"
       r"\bshot\b(?: \w+){0,2} (?:in the|through)\b", strong=True),
    _c("bleeding.anticoagulant", "bleeding", _EM, "bleeding that will not stop on a blood thinner",
       r"\b(?:nosebleed|nose bleed|bleed\w*|cut|wound)\b(?: \w+){0,5} (?:for|over) (?:over |more than |about )?(?:an hour|"
       r"\d+ (?:hours|minutes|mins)|half an hour)\b|\bgushing\b|\bwont stop\b",
       requires=(("ctx.anticoag",),), strong=True),
    _c("bleeding.black_stool", "bleeding", _EM, "black stools with dizziness or fainting",
       r"\bblack (?:tarry |sticky |tar like )?(?:stool|stools|poo|poop|poos|bowel movements?|diarrh\w*)\b|"
       r"\b(?:stool|stools|poo|poop)\b(?: \w+){0,2} (?:black|tarry|like tar)\b|\bmelena\b|\bheces negras\b",
       requires=(("ctx.cardiac_associated",),)),
    # ---------------------------------------------------------------- seizures and unconsciousness
    _c("seizure.prolonged", "seizure", _EM, "a seizure that will not stop, or a first seizure",
       r"\b(?:seiz\w*|convuls\w*|fit|fitting|shaking|jerking|convulsion\w*)\b(?: \w+){0,5} (?:wont|will not|doesnt|"
       r"does not|hasnt|has not|isnt|not|no) (?:stop\w*|end\w*|wak\w*|come out of it|para)\b",
       r"\b(?:still|keeps?|keep on|wont stop) (?:seizing|convulsing|having seizures|fitting|jerking|shaking)\b",
       r"\b(?:seiz\w*|convuls\w*|fitting|jerking|shaking|fit)\b(?: \w+){0,5} (?:for|over|more than|longer than) "
       r"(?:\w+ )?(?:[3-9]|\d{2}|three|four|five|six|ten|several|fifteen|twenty) ?(?:minutes|mins|min)\b",
       r"\b(?:is|am|hes|shes|are|currently|started|now) having (?:a |another )?(?:seizure|fit)\b|\b(?:is|am|hes|shes|are|"
       r"currently) (?:seizing|convulsing|fitting)\b|\bgtc\b|\btonic clonic\b(?: \w+){0,3} (?:\d|five|ten|minutes)|"
       r"\b(?:seiz\w*|fit)\b(?: \w+){0,8} (?:another one|another seizure|having another)\b|\b(?:jerking|twitching|"
       r"shaking|convuls\w*|seiz\w*|fit)\b(?: \w+){0,12} (?:never (?:happened|done|had) (?:this |that )?before|first "
       r"time)\b|\bback to back seizures\b|\bone after another\b|\b(?:seizures|fits|convulsions|convulsiones)\b(?: \w+){0,2} "
       r"(?:in a row|back to back|one after (?:the )?(?:other|another)|seguidas)\b|\b(?:hasnt|has not|havent|not|didnt|"
       r"without) (?:\w+ )?(?:woken|woke|come round|come to|waking|recovered)(?: up)? (?:in )?between\b|\bfirst (?:ever )?(?:seizure|fit)\b|"
       r"\bnever had (?:a )?(?:seizure|fit)\b|\bconvulsion\w* (?:\w+ ){0,2}por primera vez\b|\bfebrile (?:seizure|convulsion|fit)\b|\bstatus epilepticus\b|"
       r"\b(?:esta )?convulsionando\b|\bconvulsion\w*", strong=True),
    _c("unconscious.unresponsive", "unconscious", _EM, "unconscious or unresponsive",
       r"\b(?:unconscious|unresponsive|not responding|isnt responding|wont respond|doesnt respond|not responsive|"
       r"no response|out cold|inconsciente|no responde|no reacciona)\b",
       r"\b(?:wont|will not|cant|cannot|couldnt|not|unable to) (?:wake|rouse) (?:\w+ )?(?:up|him|her|them)?\b|"
       r"\bnot waking(?: up)?\b|\bno (?:lo|la) (?:puedo|podemos) despertar\b|\b(?:doesnt|wont|cant|not|isnt|didnt) "
       r"open (?:his|her|their|my) eyes\b|\bjust groans\b|\bdidnt wake\b",
       r"\b(?:collapsed|collapse|passed out|fainted|blacked out|keeled over|went down|se desmayo|se desplomo)\b",
       strong=True),
    _c("other.bite", "other", _UR, "a deep animal bite, or one on the face or turning red",
       r"\b(?:dog|cat|animal|fox|bat|horse|human|mordio|mordido|mordida)\b(?: \w+){0,2} (?:bit|bite|bitten|bites|mordio)\b"
       r"(?: \w+){0,8} (?:face|deep|gaping|wont stop|red streaks?|swollen|hot|pus|cara|profunda)\b|\b(?:bitten|bit|"
       r"mordio|mordido|mordida)\b(?: \w+){0,4} (?:by|un|una|el) (?:a |the |our |my |their )?(?:dog|cat|perro|gato)\b"
       r"(?: \w+){0,8} (?:face|deep|gaping|red streaks?|swollen|cara|profunda)\b"),
    _c("other.dehydration", "other", _UR, "signs of dehydration after vomiting or diarrhoea",
       r"\b(?:barely|hardly|not|havent|hasnt|no) (?:\w+ )?(?:peeing|peed|weeing|urinating|passed urine|wet nappies|wet "
       r"diapers)\b|\bdizzy (?:when |on )?stand\w*|\bdark (?:pee|urine|wee)\b|\bno (?:tears|wet nappy|wet diaper)\b|"
       r"\bsunken eyes\b|\bno orina\b",
       requires=(("ctx.fluid_loss",),)),
    _c("other.assault", "other", _UR, "a sexual assault",
       r"\b(?:raped|rape|sexually assaulted|sexual assault|assaulted me sexually|spiked my drink|drink was spiked|"
       r"drugged me|me violaron|"
       r"violacion|abusaron de mi|agresion sexual)\b"),
    # ---------------------------------------------------------------- testicular torsion, cauda equina
    _c("testicular_torsion.pain", "testicular_torsion", _EM, "sudden severe testicle pain",
       r"\b(?:sudden|suddenly|severe|really bad|excruciating|worst|agony|unbearable|intense|screaming|killing him|"
       r"killing me|crying|woke (?:him |me |up )?(?:up )?with|out of nowhere|twisted|torsion|swollen|swelling|"
       r"higher|high up|sideways|vomit\w*|throwing up|threw up|cant walk|de repente|fuerte|hinchad[oa])\b",
       requires=(("ctx.testicle",), ("ctx.pain", "testicular_torsion.")),),
    _c("cauda_equina.signs", "cauda_equina", _EM, "back pain with saddle numbness or bladder or bowel changes",
       r"\bnumb\w*\b(?: \w+){0,3} (?:in|around|between|down) (?:my |the |his |her )?(?:groin|bum|butt|buttocks|"
       r"genitals|saddle|inner thighs?|privates|down there|bottom|backside|perineum|crotch)\b|\bsaddle (?:numb\w*|"
       r"an(?:a)?esthesia)\b|\bcant feel (?:\w+ ){0,3}(?:wipe|toilet paper|bottom|groin|down there|privates)\b|"
       r"\b(?:cant|unable to|trouble|difficulty|struggling to|hard to) (?:\w+ )?(?:pee|urinate|wee|start (?:peeing|"
       r"the flow)|empty (?:my |his |her )?bladder|go to the toilet)\b|\b(?:lost|losing|no|loss of) control (?:of|"
       r"over) (?:my |his |her )?(?:bladder|bowels?|pee|poo|wee)\b|\bwet (?:my|him|her)sel(?:f|ves)\b|"
       r"\bincontinen\w*|\bboth legs\b(?: \w+){0,3} (?:weak|numb|giving|tingl\w*)\b|\bcauda equina\b|"
       r"\b(?:leaking|leaked) (?:urine|pee|poo)\b|\b(?:groin|bum|butt|buttocks|genitals|saddle|inner thighs?|privates|"
       r"bottom|backside|perineum|crotch)\b(?: \w+){0,2} (?:numb\w*|tingl\w*|no feeling|dead)\b|\bboth (?:my |his |her )?"
       r"(?:legs|feet)\b(?: \w+){0,3} (?:weak|numb|giving|tingl\w*|wobbly)\b|\b(?:cant|doesnt|cannot) (?:tell|feel) when "
       r"(?:\w+ )?(?:needs?|need) (?:the loo|to pee|to go|the toilet)\b|\b(?:havent|hasnt|not|cant) (?:passed|pass) "
       r"(?:water|urine)\b|\bhad an accident\b",
       requires=(("ctx.back_pain",),), strong=True),
    # ---------------------------------------------------------------- burns and heat
    _c("burns.severe", "burns", _EM, "a large, deep, electrical or chemical burn, or one on the face, hands or genitals",
       r"\b(?:large|big|huge|massive|bigger than (?:\w+ ){0,2}(?:hand|palm)|whole (?:arm|leg|back|chest|hand|side)|"
       r"all over|face|hands?|genitals?|groin|feet|foot|chemical|acid|lye|bleach|electric\w*|electrocut\w*|live wire|"
       r"lightning|white|leathery|charred|black|doesnt hurt|no pain|blisters? (?:all over|everywhere)|smoke|"
       r"inhaled|singed|hoarse|fire|cara|manos|grande|chest|arms?|legs?|palm|knees?|tbsa|partial thickness|"
       r"full thickness|deep|raw|concrete|cement|toddler|baby|infant|child|bebe|nino|nina|ampollas|hirviendo)\b",
       requires=(("ctx.burn",),)),
    _c("heat_stroke.signs", "heat_stroke", _EM, "signs of heat stroke",
       r"\bheat ?stroke\b|\bgolpe de calor\b|\b(?:confus\w*|collapsed|passed out|not making sense|incoherent|"
       r"delirious|stopped sweating|not sweating|hot (?:and )?dry|dry and hot|seiz\w*|fitting|out of it|"
       r"staggering|stumbling|slurr\w*|acting drunk|temp (?:of )?(?:10[4-9]|4[0-2])|vomit\w*|bright red|disorient\w*|"
       r"doesnt know where (?:she|he|they) (?:is|are))\b",
       requires=(("ctx.heat",),)),
    # ---------------------------------------------------------------- acute abdomen
    _c("acute_abdomen.severe", "acute_abdomen", _EM, "severe or sudden abdominal pain",
       r"\b(?:severe|worst|excruciating|unbearable|agoniz\w*|sudden|suddenly|10 10|10 out of 10|ten out of ten|"
       r"doubled over|rigid|hard as a (?:board|rock)|board like|cant stand (?:up )?straight|cant move|screaming|"
       r"green vomit|vomiting green|vomit\w* (?:bile|green|poo|feces|faeces)|swollen and hard|hard and swollen|"
       r"distended|appendix|appendicitis|cant (?:pass gas|poop|fart)|havent pooped|lower right|right lower|"
       r"insoportable|muy fuerte|hinchad[oa] y dur[oa]|vomita verde|vomito verde|really bad|really badly|so bad|terribl\w*|bottom right|rebound|let go|"
       r"(?:bigger|swollen|distended) and hard|hard and (?:swollen|bigger)|comes in waves|worse than the last|cant keep "
       r"(?:\w+ ){0,3}down|vomited (?:\w+ )?(?:[3-9]|three|four|five|six|several|many) times)\b",
       requires=(("ctx.belly",), ("ctx.pain",)),),
)

ALL: tuple[Concept, ...] = CONTEXTS + CONCEPTS
