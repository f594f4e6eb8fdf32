"""Build evals/sets/unanswerable.jsonl: medical questions whose focus the shared library does not cover, and
verify that against the data.

Run from anywhere: ``.venv/bin/python evals/build_unanswerable.py`` (``--no-verify`` writes the set without
../shared/data). The questions are written below by hand. Each turns on one focus that is newer than, or
outside, the library (MedQuAD subsets 1-9 and the 1,000 PubMedQA abstracts): drugs approved from about 2017
on with their brand names, devices, tests, procedures and therapies, supplements and exposures, and newly
described or rarely covered conditions. A focus was kept only when none of its names, spelt as people spell
them, occurs in any document; candidates that did occur were dropped (apixaban, nivolumab, ivacaftor,
tofacitinib, ofatumumab, the FibroScan (elastography is in NIDDK), TAVR, PANDAS, Zika, monkeypox, bird flu,
e-cigarettes, PRP, LASIK, Oncotype DX, ketamine, xylazine, among others).

Each question: id ``unans-NN``, ``group`` "unanswerable", ``relevant`` {}, ``meta`` with ``focus`` (the missing
thing as a user names it), ``absent`` (a regular expression, case-insensitive, over its names), ``kind``
(drug, device, test, procedure, therapy, supplement, exposure, condition), ``asker`` (patient, parent, carer,
clinician) and ``style`` (plain, terse, chatty, typos: typos only in words other than the focus). A
two-part question whose other part the library does answer has ``meta.partial`` true and
``meta.partial_gold`` (document id -> grade, found by searching the MedQuAD XML and read): the right reply
answers that part from those documents and says the focus is not covered. The split is by hash:
``medcite.evals.datasets.assign_splits`` over the focus names (case-folded), seed ``medcite-unanswerable-v1``,
so the questions that share a focus (a partial one and a plain one on Dupixent, say) share a split.

Verification (exit 1 naming the question): every ``absent`` pattern matches no document's title, section
headings, text or MedQuAD focus/synonyms/MeSH terms, and does match the question and its ``focus`` (so the
pattern is about what is asked); every ``partial_gold`` document exists and its title matches the part's
topic; no question shares 70% of its content words (4+ letters) with one of handwritten.jsonl.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from medcite.evals.datasets import EvalQuestion, assign_splits, load_eval_set, write_eval_set

HERE = Path(__file__).resolve().parent
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
OUT = HERE / "sets" / "unanswerable.jsonl"
HANDWRITTEN = HERE / "sets" / "handwritten.jsonl"
SEED = "medcite-unanswerable-v1"
SGLT2 = r"|sglt-?2|sodium-glucose"

# (question, focus, absent pattern, kind, asker, style)
QUESTIONS: list[tuple[str, str, str, str, str, str]] = [
    # --- drugs ---
    ("My daughter is 9 and her eczema is awful. The dermatologist wants to start Dupixent shots - how long before "
     "it starts working?", "Dupixent", r"dupilumab|dupixent", "drug", "parent", "chatty"),
    ("does aimovig cause constipation? ive been on it 3 months and things are realy slow", "Aimovig",
     r"erenumab|aimovig", "drug", "patient", "typos"),
    ("Can I take Nurtec and sumatriptan on the same day if the first one doesn't work?", "Nurtec",
     r"rimegepant|nurtec", "drug", "patient", "plain"),
    ("Ubrogepant vs triptans in a patient with coronary artery disease?", "ubrogepant", r"ubrogepant|ubrelvy",
     "drug", "clinician", "terse"),
    ("Our pediatrician offered Beyfortus for our newborn before RSV season. Is it a vaccine, and what are the "
     "side effects?", "Beyfortus", r"nirsevimab|beyfortus", "drug", "parent", "plain"),
    ("Should my 72-year-old father get the new RSV vaccine (Arexvy)?", "RSV vaccine",
     r"arexvy|abrysvo|mresvia|rsv vaccine|respiratory syncytial virus vaccine", "drug", "carer", "plain"),
    ("what is zuranolone and how is it diffrent from normal antidepressants for postpartum depression", "zuranolone",
     r"zuranolone|zurzuvae", "drug", "patient", "typos"),
    ("Why does brexanolone need continuous pulse oximetry during the infusion?", "brexanolone",
     r"brexanolone|zulresso", "drug", "clinician", "plain"),
    ("My kidney doctor added Kerendia for my diabetic kidney disease. Do I need to watch my potassium?", "Kerendia",
     r"finerenone|kerendia", "drug", "patient", "plain"),
    ("Is Jardiance safe for someone with heart failure who doesn't have diabetes?", "Jardiance",
     r"empagliflozin|jardiance" + SGLT2, "drug", "patient", "plain"),
    ("farxiga gave me a yeast infection, is that common??", "Farxiga", r"dapagliflozin|farxiga" + SGLT2, "drug",
     "patient", "terse"),
    ("Mom was switched from lisinopril to Entresto. Why do they have to wait 36 hours between the two?", "Entresto",
     r"sacubitril|entresto", "drug", "carer", "plain"),
    ("How does the Leqvio cholesterol injection work if it's only given twice a year?", "Leqvio",
     r"inclisiran|leqvio", "drug", "patient", "plain"),
    ("I can't tolerate any statin. Is bempedoic acid an option for me?", "bempedoic acid",
     r"bempedoic|nexletol|nexlizet", "drug", "patient", "plain"),
    ("Dad was diagnosed with ATTR cardiomyopathy and the cardiologist mentioned Vyndamax. Does it actually help "
     "people live longer?", "Vyndamax", r"tafamidis|vyndaqel|vyndamax", "drug", "carer", "chatty"),
    ("how often are amvuttra injections given for hereditary ATTR polyneuropathy", "Amvuttra",
     r"vutrisiran|amvuttra|patisiran|onpattro", "drug", "patient", "terse"),
    ("Our baby was just diagnosed with SMA type 1. Is Zolgensma a one-time cure?", "Zolgensma",
     r"onasemnogene|zolgensma", "drug", "parent", "plain"),
    ("Risdiplam or nusinersen for an adult with SMA type 3 - which has better evidence?", "risdiplam",
     r"risdiplam|evrysdi|nusinersen|spinraza", "drug", "clinician", "terse"),
    ("My son with CF just started Trikafta. Will he still need to do his airway clearance every day?", "Trikafta",
     r"elexacaftor|tezacaftor|trikafta|alyftrek|vanzacaftor", "drug", "parent", "plain"),
    ("Who qualifies for Casgevy, the CRISPR treatment for sickle cell disease?", "Casgevy",
     r"exagamglogene|casgevy|lovotibeglogene|lyfgenia", "therapy", "patient", "plain"),
    ("Why was Oxbryta taken off the market? My nephew was on it for sickle cell", "Oxbryta",
     r"voxelotor|oxbryta", "drug", "carer", "chatty"),
    ("Does Olumiant really regrow hair in alopecia areata, and does it fall out again if you stop?", "Olumiant",
     r"baricitinib|olumiant|ritlecitinib|litfulo|deuruxolitinib|leqselvi", "drug", "patient", "plain"),
    ("rinvoq for ulcerative colitis - which blood tests do i need while im on it", "Rinvoq",
     r"upadacitinib|rinvoq", "drug", "patient", "terse"),
    ("How much do Ocrevus infusions raise the risk of infections in MS?", "Ocrevus", r"ocrelizumab|ocrevus",
     "drug", "patient", "plain"),
    ("Is Belsomra habit forming the way Ambien can be?", "Belsomra",
     r"suvorexant|belsomra|orexin receptor antagonist", "drug", "patient", "plain"),
    ("Daridorexant in older adults with insomnia: how much next-day drowsiness?", "daridorexant",
     r"daridorexant|quviviq|lemborexant|dayvigo", "drug", "clinician", "terse"),
    ("Hi, my teenager was diagnosed with narcolepsy last year and her doctor brought up Wakix. Is it even "
     "approved for kids?", "Wakix", r"pitolisant|wakix", "drug", "parent", "chatty"),
    ("how long does ingrezza take to calm down tardive dyskinesia movements", "Ingrezza",
     r"valbenazine|ingrezza|deutetrabenazine|austedo", "drug", "carer", "terse"),
    ("I can't take hormones after my breast cancer. Is Veozah safe for my hot flashes?", "Veozah",
     r"fezolinetant|veozah|elinzanetant|lynkuet", "drug", "patient", "plain"),
    ("is voquezna better than omeprazole for erosive esophagitis", "Voquezna", r"vonoprazan|voquezna", "drug",
     "patient", "terse"),
    ("Our son tested positive for type 1 diabetes autoantibodies. Can Tzield delay the disease, and by how long?",
     "Tzield", r"teplizumab|tzield", "drug", "parent", "plain"),
    ("What echo monitoring schedule is recommended when starting mavacamten for obstructive HCM?", "mavacamten",
     r"mavacamten|camzyos|aficamten", "drug", "clinician", "plain"),
    ("My liver doctor mentioned Rezdiffra for MASH. What is it and how does it work?", "Rezdiffra",
     r"resmetirom|rezdiffra|\bmasld\b|\bmash\b|steatotic liver", "drug", "patient", "plain"),
    ("What are nitazenes, and does Narcan still work on them?", "nitazenes",
     r"nitazene|isotonitazene|protonitazene|metonitazene", "exposure", "carer", "plain"),
    ("Can I take molnupiravir while breastfeeding?", "molnupiravir", r"molnupiravir|lagevrio|covid|sars-cov",
     "drug", "patient", "plain"),
    ("How many days of remdesivir do outpatients get these days?", "remdesivir",
     r"remdesivir|veklury|covid|sars-cov", "drug", "clinician", "terse"),
    ("How often are the Apretude shots for HIV prevention, and do they work as well as pills?", "Apretude",
     r"cabotegravir|apretude|lenacapavir|sunlenca|yeztugo", "drug", "patient", "plain"),
    ("What is doxy-PEP and who should be taking it?", "doxy-PEP",
     r"doxy-?pep|doxycycline (as )?post-?exposure|doxycycline pep", "drug", "patient", "plain"),
    ("When will retatrutide be available and how much weight do people lose on it?", "retatrutide",
     r"retatrutide", "drug", "patient", "plain"),
    # --- devices, tests, procedures, therapies ---
    ("Am I a candidate for the Inspire implant for sleep apnea if I just can't tolerate CPAP?", "Inspire implant",
     r"hypoglossal nerve stimulat|inspire (implant|device|therapy|system)|upper airway stimulation", "device",
     "patient", "plain"),
    ("What are the eligibility criteria for MitraClip in secondary mitral regurgitation?", "MitraClip",
     r"mitraclip|transcatheter mitral|transcatheter edge-to-edge", "procedure", "clinician", "plain"),
    ("Does the iLet bionic pancreas mean my son won't have to count carbs anymore?", "iLet bionic pancreas",
     r"bionic pancreas|artificial pancreas|closed-loop|\bilet\b", "device", "parent", "plain"),
    ("my apple watch keeps saying possible afib. should i actualy trust it", "Apple Watch",
     r"smartwatch|smart watch|apple watch|fitbit|wearable", "device", "patient", "typos"),
    ("Is Cologuard as good as a colonoscopy? I'm 52 and dreading the prep", "Cologuard",
     r"cologuard|stool dna|multi-?target stool", "test", "patient", "chatty"),
    ("Is the Galleri blood test worth paying for to screen for cancer?", "Galleri test",
     r"galleri|multi-?cancer (early )?detection", "test", "patient", "plain"),
    ("What is a polygenic risk score for breast cancer and should I get one?", "polygenic risk score",
     r"polygenic risk score|polygenic score", "test", "patient", "plain"),
    ("My coronary calcium score came back at 400. What does that mean?", "coronary calcium score",
     r"coronary artery calcium|coronary calcium|calcium scor|agatston|\bcac\b", "test", "patient", "plain"),
    ("The cardiologist wants me to wear a Zio patch for two weeks. can I shower with it on?", "Zio patch",
     r"zio patch|\bzio\b", "device", "patient", "plain"),
    ("Does a fecal transplant work for C. diff that keeps coming back?", "fecal transplant",
     r"fecal microbiota|fecal transplant|stool transplant|faecal|bacteriotherapy|vowst|rebyota", "therapy",
     "patient", "plain"),
    ("My son needs the Nuss procedure for pectus excavatum. How painful is the recovery?", "Nuss procedure",
     r"\bnuss\b", "procedure", "parent", "plain"),
    ("Does the Ponseti method fix clubfoot without surgery?", "Ponseti method", r"ponseti", "procedure",
     "parent", "plain"),
    ("do red light therapy masks actually help acne or is it a scam", "red light therapy",
     r"red light therapy|photobiomodulation|low-level laser|led mask", "therapy", "patient", "terse"),
    ("Are cold plunges safe for someone with high blood pressure?", "cold plunge",
     r"cold plunge|cold[- ]water immersion|ice bath", "therapy", "patient", "plain"),
    ("Is mouth taping at night safe for snoring?", "mouth taping", r"mouth tap", "therapy", "patient", "plain"),
    # --- supplements, diets, exposures ---
    ("Is kratom safe to use for opioid withdrawal?", "kratom", r"kratom|mitragyn", "supplement", "patient",
     "plain"),
    ("can delta-8 gummies show up on a work drug test", "delta-8", r"delta-?8|delta 8", "exposure", "patient",
     "terse"),
    ("Are Zyn nicotine pouches any safer than vaping? My 17 year old uses them constantly", "Zyn",
     r"nicotine pouch|\bzyn\b", "exposure", "parent", "chatty"),
    ("Does ashwagandha interact with levothyroxine?", "ashwagandha", r"ashwagandha|withania", "supplement",
     "patient", "plain"),
    ("is berberine really 'natures ozempic'? does it lower a1c at all", "berberine", r"berberine", "supplement",
     "patient", "typos"),
    ("Are monk fruit and allulose safe sweeteners for a diabetic?", "monk fruit",
     r"monk fruit|allulose|luo han guo", "supplement", "patient", "plain"),
    ("I read erythritol is linked to heart attacks. Should I stop using it?", "erythritol", r"erythritol",
     "supplement", "patient", "plain"),
    ("Is the carnivore diet ok for someone who gets gout?", "carnivore diet", r"carnivore diet|all-meat diet",
     "supplement", "patient", "plain"),
    ("Are PFAS 'forever chemicals' in our tap water linked to cancer?", "PFAS",
     r"\bpfas\b|forever chemical|perfluoro|polyfluoro", "exposure", "patient", "plain"),
    # --- conditions ---
    ("My husband is 68 and was just diagnosed with VEXAS syndrome. What is the outlook?", "VEXAS syndrome",
     r"vexas|vacuoles, e1 enzyme", "condition", "carer", "plain"),
    ("The nursing home says grandma has Candida auris on her skin. Is it dangerous for us to visit?",
     "Candida auris", r"candida auris|c\. auris", "condition", "carer", "plain"),
    ("What are the warning signs of MIS-C after a kid has had covid?", "MIS-C",
     r"multisystem inflammatory syndrome|mis-c|covid", "condition", "parent", "plain"),
    ("i get this rage when people chew loudly. is misophonia a real diagnosis", "misophonia", r"misophonia",
     "condition", "patient", "terse"),
    ("I see static all the time like an old TV. What is visual snow syndrome, and can it be treated?",
     "visual snow syndrome", r"visual snow", "condition", "patient", "plain"),
    ("my 8 yr old only eats about 5 foods and is losing wieght. could this be ARFID?", "ARFID",
     r"\barfid\b|avoidant.restrictive", "condition", "parent", "typos"),
    ("Why do hot showers help with cannabinoid hyperemesis syndrome?", "cannabinoid hyperemesis syndrome",
     r"cannabinoid hyperemesis|cannabis hyperemesis", "condition", "patient", "plain"),
    ("I hear a loud bang in my head right as I'm falling asleep. Is that exploding head syndrome?",
     "exploding head syndrome", r"exploding head", "condition", "patient", "plain"),
    ("We pulled a tick off my son after hiking in Wisconsin. Should we be worried about Powassan virus?",
     "Powassan virus", r"powassan", "condition", "parent", "chatty"),
    ("Is Oropouche virus a risk for a pregnant woman travelling to Cuba?", "Oropouche virus", r"oropouche",
     "condition", "patient", "plain"),
    ("My uncle is going on Hajj next month. Should he be worried about MERS?", "MERS",
     r"middle east respiratory|\bmers\b", "condition", "carer", "plain"),
    ("Can a lone star tick bite really make you allergic to red meat?", "alpha-gal syndrome",
     r"alpha-gal\b|galactose-alpha|red meat allergy|mammalian meat|lone star tick", "condition", "patient",
     "plain"),
]

# Two-part questions: (question, focus, absent pattern, kind, asker, style, gold of the answerable part,
# regular expression every gold document's title must match).
PARTIAL: list[tuple[str, str, str, str, str, str, dict[str, int], str]] = [
    ("What is sleep apnea, and can Zepbound treat it?", "Zepbound", r"zepbound|tirzepatide|mounjaro", "drug",
     "patient", "plain", {"NHLBI_0000118": 2, "MPlusHealthTopics_0000823": 2, "NINDS_0000254": 2}, r"sleep apnea"),
    ("What are the first symptoms of shingles, and is Shingrix better than the old shot?", "Shingrix",
     r"shingrix|recombinant zoster|zoster vaccine recombinant", "drug", "patient", "plain",
     {"MPlusHealthTopics_0000812": 2, "NIHSeniorHealth_0000062": 2, "NINDS_0000148": 2}, r"shingles"),
    ("what causes eczema in kids, and is dupixent safe for a 6 year old", "Dupixent", r"dupilumab|dupixent",
     "drug", "parent", "terse", {"MPlusHealthTopics_0000316": 2, "GHR_0000084": 1}, r"eczema|atopic dermatitis"),
    ("What is hemophilia A, and how often is Hemlibra given?", "Hemlibra", r"emicizumab|hemlibra", "drug",
     "parent", "plain", {"NHLBI_0000069": 2, "GHR_0000450": 2, "GARD_0002786": 1, "MPlusHealthTopics_0000455": 1},
     r"hemophilia"),
    ("What is narcolepsy exactly, and is Wakix approved for teenagers?", "Wakix", r"pitolisant|wakix", "drug",
     "parent", "plain", {"NINDS_0000211": 2, "GHR_0000716": 2, "GARD_0004311": 2, "NHLBI_0000092": 1},
     r"narcolepsy"),
    ("Is C. diff contagious, and would a fecal transplant work for my mother?", "fecal transplant",
     r"fecal microbiota|fecal transplant|stool transplant|faecal|bacteriotherapy|vowst|rebyota", "therapy", "carer",
     "plain", {"MPlusHealthTopics_0000209": 2}, r"clostridium difficile"),
]


def build() -> list[EvalQuestion]:
    items: list[tuple[str, str, dict]] = []
    for number, (question, focus, absent, kind, asker, style) in enumerate(QUESTIONS, start=1):
        items.append((f"unans-{number:02d}", question,
                      {"topic": "medical", "focus": focus, "absent": absent, "kind": kind, "asker": asker,
                       "style": style}))
    for number, (question, focus, absent, kind, asker, style, gold, _) in enumerate(PARTIAL, start=1):
        items.append((f"unans-partial-{number:02d}", question,
                      {"topic": "medical", "focus": focus, "absent": absent, "kind": kind, "asker": asker,
                       "style": style, "partial": True, "partial_gold": dict(gold)}))
    # Questions on the same focus (Dupixent, Wakix, the fecal transplant) share a split.
    splits = assign_splits([meta["focus"].casefold() for _, _, meta in items], SEED)
    return [EvalQuestion(id=qid, question=text, relevant={}, group="unanswerable",
                         split=splits[meta["focus"].casefold()], meta={"source": "handwritten", **meta})
            for qid, text, meta in items]


def library_texts(data: Path = SHARED_DATA) -> tuple[dict[str, str], dict[str, str]]:
    """Document id -> searchable text (title, headings, text, MedQuAD focus/synonyms/MeSH) and id -> title."""
    from medcite.ingest.loaders import LoadOptions, iter_files, load_file

    texts: dict[str, str] = {}
    titles: dict[str, str] = {}
    for path in iter_files([data / "pubmedqa", data / "medquad"]):
        fmt = "pubmedqa" if path.suffix == ".json" else "medquad" if path.suffix == ".xml" else None
        if fmt is None:
            continue
        for doc in load_file(path, fmt, LoadOptions()):
            terms = [doc.metadata.get("focus") or "", *(doc.metadata.get("synonyms") or []),
                     *(doc.metadata.get("mesh") or [])]
            body = "\n".join(f"{s.heading}\n{s.text}" for s in doc.sections)
            texts[doc.id] = " ".join(f"{doc.title}\n{body}\n{' '.join(map(str, terms))}".split())
            titles[doc.id] = doc.title
    return texts, titles


_COMMON_TEXT = "what when which does should with that this have from about your there they them been into than then"
_COMMON = frozenset(_COMMON_TEXT.split()) | {"were", "will", "would", "could", "just"}


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.casefold()) if len(w) >= 4 and w not in _COMMON}


def verify(questions: list[EvalQuestion], data: Path = SHARED_DATA) -> list[str]:
    """Problems found checking the questions against the documents in ``data`` (empty when all is well)."""
    texts, titles = library_texts(data)
    if not texts:
        return [f"no documents found under {data}"]
    handwritten = [q.question for q in load_eval_set(HANDWRITTEN)]
    partial_topics = {question: topic for question, *_, topic in PARTIAL}
    problems = []
    for q in questions:
        pattern = re.compile(q.meta["absent"], re.IGNORECASE)
        found = sorted(doc_id for doc_id, text in texts.items() if pattern.search(text))
        if found:
            problems.append(f"{q.id}: absent terms /{q.meta['absent']}/ occur in {found[:5]}")
        if not pattern.search(q.question) or not pattern.search(q.meta["focus"]):
            problems.append(f"{q.id}: the absent pattern matches neither the question nor its focus")
        for doc_id in (q.meta.get("partial_gold") or {}):
            if doc_id not in titles:
                problems.append(f"{q.id}: partial gold {doc_id} is not in the data")
            elif not re.search(partial_topics[q.question], titles[doc_id], re.IGNORECASE):
                problems.append(f"{q.id}: partial gold {doc_id} ({titles[doc_id]!r}) is not about the answerable part")
        mine = _content_words(q.question)
        for other in handwritten:
            theirs = _content_words(other)
            if mine and theirs and len(mine & theirs) >= 0.7 * min(len(mine), len(theirs)):
                problems.append(f"{q.id}: repeats a handwritten question: {other!r}")
    return problems


def main(argv: list[str]) -> int:
    questions = build()
    if "--no-verify" not in argv:
        if not SHARED_DATA.is_dir():
            print(f"error: the shared data was not found at {SHARED_DATA}\n(the build scripts read ../shared/data "
                  "beside the checkout; use --no-verify to write the set unchecked)", file=sys.stderr)
            return 1
        problems = verify(questions)
        if problems:
            print("error: the set does not check out against the data:\n  " + "\n  ".join(problems), file=sys.stderr)
            return 1
    write_eval_set(OUT, questions)
    dev = sum(q.split == "dev" for q in questions)
    partial = sum(bool(q.meta.get("partial")) for q in questions)
    print(f"wrote {len(questions)} questions to {OUT} ({dev} dev, {len(questions) - dev} test; {partial} partial)"
          + ("" if "--no-verify" in argv else "; every focus verified absent from the data"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
