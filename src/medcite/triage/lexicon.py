# ruff: noqa: E501 - the lexicon is data: one synonym list per line reads better than wrapped fragments
"""The clinical layer's knowledge, part 2: the red-flag concepts, category by category (see ``contexts`` for the
pattern conventions, the ``Concept`` type and the contexts that ``requires`` names)."""

from __future__ import annotations

from medcite.triage.contexts import ANTICOAG, CONTEXTS, GAP, Concept, _c

__all__ = ["ALL", "CONCEPTS", "CONTEXTS", "GAP", "Concept"]

_SH = "self_harm"
_EM = "emergency"
_UR = "urgent"
_PO = "poisoning"

CONCEPTS: tuple[Concept, ...] = (
    # ---------------------------------------------------------------- self-harm and harm to others
    _c("self_harm.intent", _SH, _SH, "thoughts of suicide or of ending one's life",
       r"\b(?:kill|killing|kil) (?:my ?self|myself)\b(?! laughing| (?:with|over|at|for) (?:\w+ )?(?:work|overtime|the gym|"
       r"studying|revision|exams|shifts|training|housework|chores))|\b(?:want|wish|wishing) (?:\w+ ){0,3}(?:would|to|could) "
       r"kill me\b",
       r"\b(?:end|take|ending|taking) (?:my|my own) life\b|\bend(?:ing)? it(?: all)?\b(?! with)|\bend things\b",
       r"\b(?:sleep|go to sleep|went to sleep|fall asleep|go to bed|went to bed)\b(?: \w+){0,3} (?:and )?(?:not|never|"
       r"didnt|wouldnt|dont|did not|would not) (?:ever )?wake (?:up|again)\b|\bsleep forever\b|\bdormir(?:me)? y no "
       r"despertar\b|\b(?:make sure|so that|so) (?:i|he|she|you|they) (?:never|dont|do not|wont|will not|would not|"
       r"wouldnt) wake\b|\bnever wake up again\b|\b(?:be|join|joining|go to|with) (?:\w+ )?(?:late )?(?:wife|husband|mum|mom|dad|mother|father|"
       r"son|daughter|him|her)\b(?: \w+){0,3} (?:in heaven|now (?:that )?(?:s?he|they)s? (?:gone|dead)|on the other "
       r"side)\b|\btalking about joining (?:\w+ )?(?:late )?(?:wife|husband|mum|mom|dad|mother|father|him|her)\b",
       r"\bsuicid\w*|\bsuicide\b",
       r"\b(?:want|wants|wanna|wanted|wish|wishes|wishing|going|ready) (?:\w+ ){0,2}(?:to die|to be dead|i (?:was|were) dead|i "
       r"(?:wasnt|werent) (?:here|alive)|i could disappear|i could just not wake up)\b",
       r"\b(?:dont|do not|dont really|no longer) (?:want|wanna|wish) to (?:live|be alive|be here|exist|wake up|"
       r"go on|carry on|keep going)\b",
       r"\b(?:dont|cant|do not) (?:really )?see (?:the|a|any) (?:point|reason)\b|\bputting (?:my |all my )?affairs in "
       r"order\b|\bfound (?:a )?(?:new )?homes? for (?:my|the) (?:dog|cat|pets?)\b|\b(?:tired of|sick of) being a "
       r"burden\b|\b(?:im|i am) (?:just )?a burden\b|\btonight is the night\b|\bdont (?:really )?care (?:anymore|any more|"
       r"if i (?:die|wake up|live))\b|\b(?:wont|will not) have to worry about me\b|\b(?:goodbye|bye)\b(?: \w+){0,8} "
       r"(?:not answering|wont answer|isnt answering|cant reach|not picking up)\b|\b(?:cutting|cuts|burning|"
       r"scratching|scratch|cut|slash\w*) (?:\w+ ){0,2}(?:arms|wrists?|thighs|legs|skin)\b|\bfresh cuts\b|\bwith a "
       r"(?:razor|blade)\b|\b(?:rope|noose)\b(?: \w+){0,8} (?:look at|looking at|keep|ready|tonight)\b",
       r"\bbetter off (?:dead|without me|if i (?:was|were) gone|if i (?:wasnt|werent|just wasnt) (?:here|around))\b"
       r"(?! (?:at|in|on) (?:the |this |that |tomorrows |todays )?(?:meeting|party|work|office|game|match|event|dinner|"
       r"wedding|trip|team|class))",
       r"\b(?:no|nothing|dont see (?:a|any)|cant see (?:a|any)) (?:reason|point) (?:to|in|of) (?:live|living|going on|"
       r"being alive|carrying on|staying)\b",
       r"\b(?:cant|cannot) (?:go on|do this anymore|do this any more|keep going|take (?:it|this|any more|anymore) "
       r"anymore|take it any ?more|live like this)\b",
       r"\b(?:written|wrote|writing|write|left|leaving) (?:\w+ ){0,3}(?:goodbye |farewell |suicide )?(?:letters?|notes?|"
       r"messages?) (?:to|for) (?:my|everyone|the|all)\b|\b(?:goodbye|farewell|suicide) (?:letters?|notes?)\b",
       r"\bgiv(?:e|ing|en) (?:away )?(?:all )?(?:my|his|her) (?:\w+ )?(?:stuff|things|belongings|possessions|pets?|"
       r"cat|dog)\b(?: away)?",
       r"\b(?:wont|will not|not going to|i wont) be (?:around|here|alive)(?: \w+){0,2} (?:much longer|for long|"
       r"tomorrow|next week|by|anymore)\b",
       r"\b(?:stockpil\w*|saving up|saved up|hoarding|collecting|stashed|stash of|been saving|hiding|hidden|hid|"
       r"escondiendo|esconde|guardando) (?:\w+ ){0,3}(?:pills|meds|tablets|medication|medicine|sleeping pills|insulin|"
       r"morphine|painkillers|pastillas)\b",
       r"\b(?:have|got|bought|found|ordered|tied|hung) (?:a |the )?(?:rope|noose|gun|pistol|rifle|razor|blades?)\b"
       r"(?:\w+ ){0,6}(?:myself|me|end|die|tonight|for)",
       r"\b(?:hang|hanging|shoot|shooting|drown|drowning|poison|poisoning|cut|cutting|burn|burning|hurt|hurting|harm|"
       r"harming|starve|starving) (?:my ?self|myself)\b(?! (?:shaving|cooking|on |by accident|accidentally|while|"
       r"chopping|slicing|with (?:a|the) (?:kitchen|bread)|at work|in the garden|gardening))",
       r"\bself ?harm\w*|\bself ?injur\w*|\bcutting again\b|\bstarted cutting\b",
       r"\b(?:jump|jumping|throw myself|throw herself|throw himself) (?:off|from|in front of) (?:\w+ ){0,4}(?:bridge|"
       r"building|roof|balcony|cliff|cliffs|train|bus|car|truck|traffic|car park|parking garage|multi storey|tower|"
       r"window|overpass|flyover|motorway)\b|\btirar(?:me|se) (?:del|de un|de la|por la|al) (?:puente|edificio|balcon|"
       r"ventana|tren|azotea)\b|\b(?:step|walk|stepping|walking) in front of (?:a |the )?(?:train|bus|"
       r"car|truck|traffic)\b",
       r"\b(?:thoughts|thinking|think|thought) (?:a lot )?(?:of|about) (?:dying|death|suicide|ending (?:it|my life|"
       r"things)|killing myself|not being here|not waking up)\b",
       r"\b(?:no quiero|ya no quiero) (?:vivir|seguir|estar aqui|despertar)\b|\bquiero (?:morir|morirme|matarme|"
       r"desaparecer)\b|\b(?:matarme|suicidarme|quitarme la vida|acabar con (?:todo|mi vida)|hacerme dano|cortarme|"
       r"me corto|mejor (?:muerto|muerta))\b|\bsuicid\w*",
       r"\b(?:queria|quise|quisiera|queriamos) (?:morir|morirme|matarme|desaparecer|no despertar(?:me)?)\b|\b(?:seria|es) "
       r"mejor (?:no (?:despertar(?:me|se)?|estar aqui|existir|vivir|seguir)|morir(?:me)?|estar muert[oa])\b",
       strong=True),
    _c("self_harm.method", _SH, _SH, "a question about a method or lethal amount",
       r"\b(?:how many|how much|what amount|what quantity|what dose) (?:\w+ ){0,5}(?:would it take|does it take|to (?:die|kill|not wake|overdose|od)|"
       r"would kill|is lethal|is fatal|to end)\b",
       r"\b(?:lethal|fatal|deadly|killing) (?:dose|amount|quantity|number)\b",
       r"\bhow (?:long|much|many) (?:\w+ ){0,4}(?:to|until|till|before (?:you|i|someone|a person)) (?:bleed out|bleed "
       r"to death|die|pass away|stop breathing|lose consciousness)\b|\bhow (?:long|quickly|fast) (?:\w+ ){0,3}(?:bleed "
       r"out|bleed to death)\b|\b(?:quickest|fastest|easiest) way to bleed\b",
       r"\b(?:painless|easiest|quickest|quick|best|peaceful|surest) (?:\w+ )?(?:way|method|ways|methods) (?:to )?(?:go|die|"
       r"do it|end it|kill|check out|to go)\b|\bmost painless\b|\boverdose (?:\w+ ){0,3}(?:painless|peaceful|hurt)\b|"
       r"\bwhat (?:happens|would happen) if (?:you|i|someone|a person) (?:take|took|swallow\w*|ate|drank) (?:\w+ ){0,3}"
       r"(?:whole|entire|all|\d{2,}|a lot|bottle|pack|box|packet)\b|\bhow (?:high|far|tall) (?:\w+ ){0,4}(?:bridge|"
       r"building|fall|jump|drop)\b|\blife insurance\b(?: \w+){0,8} (?:accident|suicide)\b|\blook(?:ed|s)? like an "
       r"accident\b|\b(?:does|would|will|can|could) (?:\w+ ){1,5}kill (?:you|me|a person|someone)\b",
       always=True),
    _c("self_harm.other_person", _SH, _SH, "someone else at risk of suicide or self-harm",
       r"\b(?:he|she|they|my \w+|his|her|friend|son|daughter|brother|sister|wife|husband|partner|mom|mum|dad)\b"
       r"(?: \w+){0,8} (?:wants to|going to|gonna|talking about|talks about|threatening to|threatened to|"
       r"says (?:he|she|they) (?:will|wants to|is going to)|said (?:he|she|they) (?:would|will|wants to|is going to)|"
       r"(?:is|was|keeps|kept) (?:talking|thinking) about|about|of|tried to|trying to|keeps saying (?:he|she) will) "
       r"(?:kill(?:ing)?|hurt(?:ing)?|harm(?:ing)?|end(?:ing)?|cut(?:ting)?|shoot(?:ing)?|hang(?:ing)?|poison(?:ing)?|"
       r"tak(?:e|ing)) (?:(?:him|her|them)sel(?:f|ves)|(?:his|her|their) (?:own )?life)\b",
       # "her life" alone was a flag: "what her life will look like after" the surgery got the crisis reply (round 8)
       r"\b(?:kill|hurt|harm|cut|cutting|hurting|harming) (?:him|her|them)sel(?:f|ves)\b",
       strong=True),
    _c("harm_to_others.threat", "harm_to_others", _SH, "a risk of harm to another person",
       r"\b(?:going to|gonna|want to|wanna|will|plan(?:ning)? to|urge to|urges to|thoughts? (?:of|about)|thinking "
       r"(?:of|about)|scared (?:that )?(?:i|ill|i will|i might|i am going to|im going to)|afraid (?:that )?(?:i|ill|"
       r"i will|i might|im going to)|might|worried (?:that )?(?:i|ill|i will|i might)|cant stop myself from|"
       r"feel like i could really|i swear ill) (?:\w+ ){0,2}(?:kill|killing|hurt|hurting|harm|harming|stab|stabbing|"
       r"shoot|shooting|strangle|smother|smothering|shake|shaking|drown|drowning|choke|choking|beat|beating) "
       r"(?:him|her|them|my (?:\w+ )?(?:baby|child|son|daughter|wife|husband|partner|kids?|mom|mum|dad|boss|"
       r"coworker|co worker|brother|sister|neighbou?r|ex|boyfriend|girlfriend|roommate|teacher)|someone|somebody|"
       r"people|everyone|the (?:baby|kids?))\b",
       r"\b(?:he|she|they|my (?:\w+ )?(?:husband|wife|partner|boyfriend|girlfriend|ex|dad|father|son|brother))"
       r"(?: \w+){0,4} (?:threaten\w*|said (?:he|she|they)(?:d| would| will| is going to)|says (?:he|she|they)(?:ll| "
       r"will| is going to)) (?:to )?(?:kill|hurt|shoot|stab|strangle) (?:me|us|the kids|my|our|him|her|them)\b",
       r"\b(?:has|have|got|bought|holding|with) (?:a |his |her )?(?:gun|knife|weapon)\b(?: \w+){0,6} (?:kill|hurt|"
       r"shoot|stab|threaten\w*)\b",
       r"\b(?:threaten\w*|threatning|amenaz\w*)\b(?: \w+){0,4} (?:with|con) (?:a |an |the |his |her |un |una |el )?(?:\w+ )?"
       r"(?:knife|knives|gun|hammer|axe|bat|screwdriver|machete|blade|weapon|scissors|cuchillo|pistola|arma|martillo)\b|"
       r"\b(?:waving|swinging|brandishing|holding) (?:a |an |the |his |her )?(?:knife|gun|hammer|axe|bat|machete)\b"
       r"(?: \w+){0,6} (?:kill|smash|hurt|stab|shoot|threaten\w*|at (?:me|us|her|him|mum|mom|the kids))\b",
       r"\b(?:quiero|voy a) (?:matar|lastimar|hacerle dano) (?:a )?\w+\b|\b(?:me|nos|te) (?:va|van) a (?:matar|pegar|"
       r"hacer dano|quemar)\b|\bamenaz\w* (?:con )?(?:matar\w*|pegar\w*)\b",
       r"\b(?:gun|guns|rifle|knife|weapon)\b(?: \w+){0,6} (?:to school|to work|get back at|revenge)\b|\b(?:on (?:his|her|"
       r"their) way|coming (?:over|here|back)?) (?:\w+ ){0,3}with (?:a |the |his |her )?(?:gun|knife|weapon)\b|"
       r"\bcommand hallucinations\b|\bvoices (?:\w+ )?(?:telling|tell) (?:him|her|me|them) to (?:hurt|kill|harm)\b|"
       r"\b(?:hell|he will|shell|she will|theyll|they will) (?:\w+ )?(?:burn|kill|hurt|shoot|stab)\b(?: \w+){0,6} "
       r"(?:me|us|kids|house)\b",
       strong=True),
    _c("harm_to_others.violence", "harm_to_others", _SH, "violence or strangulation by another person",
       r"\b(?:strangled|choked|throttled|strangling|choking) me\b|\b(?:he|she|they|my (?:\w+ )?(?:husband|wife|partner|"
       r"boyfriend|girlfriend|ex))\b(?: \w+){0,3} (?:beat|beats|hit|hits|punched|kicked|strangled|choked) (?:me|us|"
       r"the kids)\b", strong=True),
    _c("self_harm.intentional_overdose", _SH, _SH, "an overdose taken on purpose",
       r"\b(?:on purpose|intentional\w*|deliberately|to (?:die|end it|sleep forever|not wake up|never wake up)|wanted "
       r"to die|a proposito|para morir)\b",
       r"\bto (?:show|scare|punish|get back at|teach) (?:him|her|them|my \w+)\b|\bto make (?:him|her|them) (?:sorry|see|"
       r"listen|understand|regret)\b|\bafter (?:a|an|our|the|my) (?:big |huge |massive )?(?:fight|argument|row|break ?up)\b|"
       r"\bporque (?:queria|quise|quiero) (?:morir(?:me)?|matarme|desaparecer)\b",
       requires=(("poisoning.",),), strong=True, always=True),
    _c("self_harm.purposeful_dose", _SH, _SH, "a dose taken or injected on purpose",
       r"\b(?:took|taken|swallowed|injected|inject|gave myself|drank|ate|downed|tome|me tome|me inyecte)\b(?: \w+){0,8} "
       r"(?:on purpose|deliberately|intentionally|a proposito|adrede)\b", strong=True),
    # ---------------------------------------------------------------- poisoning and overdose
    _c("poisoning.large_ingestion", "poisoning", _PO, "a large or wrong ingestion of medicine",
       r"\b(?:took|taken|take|swallowed|ate|had|downed|popped|chugged|necked|took like|ingested|consumed|tomo|tome|"
       r"se tomo|trago)"
       r"(?: \w+){0,3} (?:\d{2,}|[2-9]|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
       r"hundred|a (?:whole|full|entire) (?:bottle|pack|packet|box|strip|sheet|blister)|(?:the |a )?(?:whole|entire|"
       r"full) (?:bottle|pack|packet|box|strip|sheet)|all (?:of )?(?:my|his|her|their|the|them)|a handful|handfuls|a "
       r"bunch|a lot|lots|loads|way too many|too many|too much|double|triple|extra|someone elses|grandmas|grandpas|"
       r"todas|todo el frasco|un punado|muchas)\b(?: \w+){0,4} (?:pills?|tablets?|tabs|caps|capsules?|meds|"
       r"medicine|medicines|medication|medications|doses?|gummies|vitamins|tylenol|paracetamol|acetaminophen|"
       r"panadol|ibuprofen|advil|motrin|aspirin|xanax|valium|ativan|klonopin|benzos?|ambien|zopiclone|sleeping|"
       r"antidepressants?|sertraline|zoloft|prozac|fluoxetine|citalopram|lexapro|amitriptyline|lithium|seroquel|"
       r"quetiapine|insulin|iron|digoxin|metformin|oxy\w*|opioids?|methadone|tramadol|codeine|percocet|"
       r"vicodin|adderall|ritalin|benadryl|diphenhydramine|pastillas|pastilla|tabletas|pildoras)\b",
       r"\boverdos\w*|\boded\b|\bsobredosis\b",
       r"\bempty (?:\w+ )?(?:bottle|packet|pack|box|strip|blister|tub|pill organi[sz]er|dosette)s? (?:of|from) (?:\w+ ){0,2}"
       r"(?:pills|tablets|meds|medicine|paracetamol|tylenol|acetaminophen|ibuprofen|painkillers|sleeping|antidepressants|"
       r"\w+ (?:pills|tablets))\b|\b(?:pill organi[sz]er|dosette|blister pack|pastillero)\b(?: \w+){0,4} (?:empty|"
       r"vacio)\b|\b(?:took|taken|tomo|se tomo) (?:all|todas) (?:of )?(?:\w+ ){0,2}(?:week|weeks|semana)\b",
       r"\b(?:taken|took|had|given|gave) (?:\w+ ){0,4}(?:tablets|pills|meds|dose|doses|medication|medicine|insulin)\b"
       r"(?: \w+){0,3} (?:twice|three times|two times|double|again by mistake)\b",
       r"\b(?:accidentally|by mistake|mistakenly) (?:took|gave|double dosed|doubled)\b|\bdouble dosed\b|"
       r"\bgave (?:him|her|them|the baby) (?:\w+ ){0,3}(?:adult|wrong|double|too much|twice)\b"),
    _c("poisoning.child_ingestion", "poisoning", _PO, "a child swallowed something harmful",
       r"\b(?:swallowed|ate|eaten|drank|drunk|chewed|licked|ingested|sucked on|bit into|got into|put (?:\w+ ){0,2}in "
       r"(?:his|her|their) mouth|trago|se trago|se comio|se tomo|mordio)\b(?: \w+){0,6} (?:pills?|tablets?|"
       r"medicine|meds|vitamins|gummies|gummy|edibles?|weed|cannabis|thc|iron|tylenol|paracetamol|ibuprofen|"
       r"detergent|laundry|dishwasher|tide|pods?|capsule|bleach|cleaner|cleaning|disinfectant|antifreeze|drain|"
       r"oven cleaner|lye|lamp oil|kerosene|petrol|gasoline|paint thinner|nicotine|vape|e liquid|juice pod|"
       r"cigarettes?|pesticide|insecticide|weed killer|rat poison|poison|mushrooms?|berries|plant|leaves|"
       r"mouthwash|hand sanitizer|sanitiser|alcohol|vodka|essential oil|lighter fluid|glow stick|silica|"
       r"cleaning product|cloro|lejia|veneno|pastillas|medicina|medicamento|jabon)\b",
       requires=(("ctx.child", "ctx.infant"),)),
    _c("poisoning.chemical", "poisoning", _PO, "a harmful substance swallowed or inhaled",
       r"\b(?:drank|drunk|swallowed|ingested|inhaled|breathed in|sprayed|splashed|ate|got)\b(?: \w+){0,4} "
       r"(?:bleach|antifreeze|drain cleaner|oven cleaner|lye|ammonia|pesticide|insecticide|weed killer|roundup|"
       r"rat poison|poison|methanol|gasoline|petrol|kerosene|lighter fluid|chlorine gas|fumes|paint thinner|"
       r"acid|cloro|lejia|veneno)\b",
       r"\b(?:mixed|mixing) (?:bleach|ammonia)\b(?: \w+){0,4} (?:and|with) (?:bleach|ammonia|vinegar)\b",
       r"\b(?:been|got|was|is|am|im|were|are|being) poisoned\b|\bpoisoned (?:him|her|me|my|them)\b|"
       r"\b(?:envenen\w*|intoxic\w*)\b",
       r"\b(?:wild|foraged|picked) mushrooms?\b(?: \w+){0,12} (?:vomit\w*|sick|diarrh\w*|throwing up)\b"),
    _c("poisoning.button_battery", "poisoning", _EM, "a swallowed button battery or magnets",
       r"\b(?:button|coin|disc|watch|lithium|small|round) (?:battery|batteries)\b|\bmagnets?\b|\bpilas? (?:de boton|"
       r"redondas?|boton)\b|\bimanes\b",
       requires=(("ctx.ingestion",),), strong=True),
    _c("poisoning.opioid_breathing", "poisoning", _EM, "opioids with slow breathing or unrousable",
       r"\b(?:breathing|breaths?) (?:\w+ ){0,2}(?:slow|slowly|shallow|weird|strange|barely|funny|gurgl\w*|snor\w*|"
       r"stopped|irregular)\b|\b(?:wont|cant|will not|not) (?:wake|rouse|respond)\w*|\bunrousable\b|"
       r"\bpinpoint pupils\b|\b(?:blue|purple|grey|gray) (?:lips|face)\b|\b(?:lips|face) (?:\w+ )?(?:blue|purple|grey|"
       r"gray)\b|\bnarcan\b|\bnaloxone\b|\bnodding off\b(?: \w+){0,4} (?:cant|wont|not)\b",
       requires=(("ctx.opioid",),), strong=True),
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
       r"\b(?:passing|passed) (?:\w+ )?clots\b|\bhaemorrhag\w*|\bhemorrhag\w*|\bsangr\w* (?:mucho|abundante)\b",
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
       r"\b(?:havent|not|hasnt) (?:felt|feel) (?:\w+ ){0,2}(?:kick|kicks|kicking|move|moving|movement)\b|\bno (?:siento|noto) (?:\w+ ){0,3}"
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
       r"slow\w*|be stopped)\b|\bbleed\w* (?:heavily|profusely|a lot|badly|everywhere|out|through|loads|"
       r"lots|so much|like crazy|a ton)\b|\bheavy bleeding\b|\bstill gushing\b|\bhaematemesis\b|\bhematemesis\b",
       r"\b(?:lots|lot|pool|puddle|so much|loads|tons) of blood\b|\bblood (?:everywhere|is (?:spurting|gushing|pouring|"
       r"squirting)|(?:spurting|gushing|pouring|squirting|pumping))\b|\b(?:spurting|gushing|pouring|squirting|pumping)"
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
