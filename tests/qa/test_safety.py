"""Emergency and personal-advice detection: recall and false alarms on messages written for these tests."""

from __future__ import annotations

import pytest

from medcite.qa.safety import asks_personal_advice, detect_emergency

pytestmark = pytest.mark.unit

URGENT_MESSAGES = [
    # stroke signs
    "My dad's face is drooping and he can't lift his arm",
    "I think my wife is having a stroke, her speech is slurred",
    "my mom suddenly can't talk properly and one side of her face looks droopy",
    "Sudden weakness on the right side of my body and I can't speak properly",
    "my arm went numb and my face is drooping",
    "I have the worst headache of my life and my neck is stiff",
    "grandpa's smile is lopsided all of a sudden and he is confused",
    # heart
    "I'm having crushing chest pain and my left arm feels numb",
    "I think I'm having a heart attack",
    "My husband has chest pain spreading to his jaw and he's sweating",
    "I am having chest pain and shortness of breath right now",
    "My mom has no pulse, what do I do",
    # overdose and poisoning
    "I took a whole bottle of sleeping pills",
    "My toddler swallowed some bleach, what do I do",
    "I overdosed on my insulin",
    "my friend took 30 tablets of paracetamol an hour ago",
    "I just drank antifreeze by accident",
    "my kid ate rat poison",
    # suicide and self-harm
    "I want to kill myself",
    "I don't want to live anymore and I have a plan",
    "I've been cutting myself and I want to end my life",
    "I am feeling suicidal tonight",
    "I feel like ending it all tonight",
    # severe allergic reaction
    "My throat is closing up after eating peanuts",
    "I got stung by a bee and my tongue is swelling and I can't breathe",
    "My son is having an anaphylactic reaction, we used his EpiPen",
    "I think I'm going into anaphylaxis",
    # breathing
    "I can't breathe",
    "my baby is not breathing",
    "He's gasping for air and his lips are turning blue",
    # bleeding
    "My leg is bleeding heavily and it won't stop",
    "there is blood everywhere, my friend cut his wrist",
    "I'm vomiting blood right now",
    "My dad was in a car crash and is bleeding a lot from his head",
    # unconscious
    "my grandfather collapsed and is unresponsive",
    "She passed out and we can't wake her up",
    "Help, my wife fainted and is not responding",
    "Someone here is unconscious and not breathing",
    # seizures
    "My daughter's seizure won't stop, it's been 6 minutes",
    "he has been seizing for 10 minutes",
    "my brother is having a seizure right now",
    # more phrasings
    "my uncle just collapsed at dinner and isnt breathing",
    "I swallowed 40 of my antidepressants",
    "cant feel the left side of my face and my words come out wrong",
    "sharp crushing pain in my chest, sweating a lot",
    "my girlfriend says she is going to kill herself tonight",
    "my lips and tongue are swelling after the shrimp, hard to breathe",
    "the baby turned blue and is limp",
    "blood is pouring out of the cut on my arm",
    "my son hit his head and now wont wake up",
    "she has been convulsing for five minutes",
    "I am going to end my life",
    "my throat feels tight and swelling up after the injection",
    "I think my father is having a stroke right now",
    "we found my brother unconscious next to empty pill bottles",
    "my son is having trouble breathing after a bee sting",
]

ORDINARY_QUESTIONS = [
    # informational questions on the same emergencies
    "What are the symptoms of a stroke?",
    "What are the warning signs of a heart attack in women?",
    "How is a stroke diagnosed in the emergency department?",
    "What causes a heart attack?",
    "What is the treatment for acetaminophen overdose?",
    "How much paracetamol is an overdose?",
    "What are the warning signs of suicide?",
    "Is suicidal ideation a side effect of isotretinoin?",
    "What is anaphylaxis?",
    "Can IVIG cause anaphylaxis?",
    "What is the first-line treatment of anaphylaxis?",
    "Why do people with asthma find it hard to breathe during an attack?",
    "What causes unexplained bleeding gums?",
    "How is status epilepticus treated?",
    "What is the difference between a seizure and a faint?",
    "What should you do if someone is having a seizure?",
    "How can you tell if someone is having a stroke?",
    "What does FAST stand for in stroke care?",
    "What are the risk factors for sudden cardiac arrest?",
    "How long does it take to recover from a heart attack?",
    "Does aspirin prevent a second heart attack?",
    "What is the prognosis after a hemorrhagic stroke?",
    "How do emergency doctors treat opioid overdose?",
    "What does naloxone do?",
    "How common is self-harm among teenagers?",
    "What is postictal confusion?",
    "What causes chest pain in young adults?",
    "Can anxiety cause chest tightness?",
    "What does slurred speech mean in multiple sclerosis?",
    "What is facial droop a sign of?",
    # personal but not urgent
    "My father had a stroke last year; how can he prevent another one?",
    "I had a heart attack in 2019, is it safe for me to exercise?",
    "My son has epilepsy; what medicines control seizures?",
    "I get chest pain when I run, what could cause it?",
    "My mother is allergic to penicillin; what antibiotics can she take?",
    "I cut my finger while cooking, how do I clean the wound?",
    "I cut myself shaving this morning, how do I stop a small nick from bleeding?",
    "My dad's blood pressure is 150/95, should he take medication?",
    "I took two ibuprofen for a headache, can I also take paracetamol?",
    "My baby has a mild fever, when should I worry?",
    "Someone in my family had a seizure once; is epilepsy inherited?",
    "My daughter has a peanut allergy; should she carry an epinephrine pen?",
    "I have asthma and get short of breath when climbing stairs, is that normal?",
    "My grandmother takes warfarin; which foods should she avoid?",
    "I have type 2 diabetes; does it raise my risk of stroke?",
    "My husband snores loudly; could it be sleep apnea?",
    "I had a panic attack last week; how do I prevent another?",
    "My wife has migraines with aura; is the pill safe for her?",
    "My son fainted at school last month after skipping breakfast; should we see a doctor?",
    "I've had a cough for three weeks, what could it be?",
    "Is it normal that my chest hurts after coughing?",
    "My leg went numb after sitting cross-legged, is that normal?",
    "I cannot breathe well at night because of allergies, what helps?",
    # IVIG and immunology
    "Does IVIG help all autoimmune conditions?",
    "What are the side effects of IVIG?",
    "How is IVIG given?",
    "What dose of IVIG is used in Guillain-Barré syndrome?",
    "How does intravenous immunoglobulin work?",
    "Is IVIG used off-label?",
    "Can IVIG cause blood clots?",
    "How long does an IVIG infusion take?",
    "Is subcutaneous immunoglobulin as effective as IVIG?",
    "What is CIDP?",
    "How is myasthenia gravis treated?",
    "What is Kawasaki disease?",
    "How is immune thrombocytopenia treated in children?",
    "What causes Guillain-Barré syndrome?",
    "What is the outlook for Guillain-Barré syndrome?",
    "Is multifocal motor neuropathy inherited?",
    "Does IVIG work in inclusion body myositis?",
    "What are the risks of plasma exchange?",
    "Why does IVIG cause headaches?",
    "Can IVIG be given during pregnancy?",
    # general medicine
    "What are the symptoms of atrial fibrillation?",
    "Does diabetes increase the risk of stroke?",
    "How is high blood pressure treated?",
    "What are the early signs of Parkinson's disease?",
    "Is laparoscopic cholecystectomy safe as a day case?",
    "What is the recommended daily dose of vitamin D?",
    "How common is celiac disease?",
    "What causes gallstones?",
    "How is tuberculosis spread?",
    "Can statins prevent atrial fibrillation after surgery?",
    "What is the life expectancy with cystic fibrosis?",
    "How is asthma diagnosed in children?",
    "Is hepatitis C curable?",
    "What are the complications of Crohn's disease?",
    "How can osteoporosis be prevented?",
    "What tests diagnose a pulmonary embolism?",
    "What is the treatment for acute lymphoblastic leukemia in adults?",
    "How does metformin work?",
    "What are the stages of breast cancer?",
    "Are migraines genetic?",
    "What is the best treatment for depression in older adults?",
    "Does obesity cause knee arthritis?",
    "How does the flu vaccine prevent influenza?",
    "What is the prognosis of pancreatic cancer?",
    "How is Graves disease treated?",
    "What is a normal heart rate for adults?",
    "Why is blood sugar high in the morning?",
    "What does a high white blood cell count mean?",
    "What causes nosebleeds in children?",
    "How much sleep do teenagers need?",
    "What foods help lower cholesterol?",
    "Is it safe to drink coffee while breastfeeding?",
    "What is the difference between type 1 and type 2 diabetes?",
    "How do you treat a bee sting that is only a little swollen?",
    "What happens during a colonoscopy?",
    "What does a stroke feel like?",
    "Can stress cause a heart attack?",
    "What is the antidote for rat poison?",
    "How do I recognise anaphylaxis in a child?",
    "Are seizures dangerous in pregnancy?",
    "Why do some people faint when they see blood?",
    "How is suicidal depression treated?",
    "My brother had a seizure in 2015; can he drive now?",
    "Does IVIG cause kidney damage?",
    "My father has heart failure, what diet should he follow?",
    "What is the mortality of anaphylaxis?",
    "I bruise easily, is that a sign of leukemia?",
    "What is a transient ischemic attack?",
    "What are the symptoms of an overdose of vitamin D?",
    "Can a panic attack feel like a heart attack?",
    "My asthma makes it hard to breathe at night; which inhaler works best?",
    "I have trouble breathing when I lie flat, what causes that?",
    "I took 10 mg of melatonin, is that too much?",
]


class TestEmergencyDetector:
    def test_sets_are_big_enough(self) -> None:
        assert len(URGENT_MESSAGES) >= 30
        assert len(ORDINARY_QUESTIONS) >= 100
        assert not set(URGENT_MESSAGES) & set(ORDINARY_QUESTIONS)

    def test_recall_on_urgent_messages(self) -> None:
        missed = [m for m in URGENT_MESSAGES if not detect_emergency(m)]
        recall = 1 - len(missed) / len(URGENT_MESSAGES)
        assert recall >= 0.95, f"recall {recall:.2%}; missed: {missed}"

    def test_false_alarms_on_ordinary_questions(self) -> None:
        alarms = [q for q in ORDINARY_QUESTIONS if detect_emergency(q)]
        rate = len(alarms) / len(ORDINARY_QUESTIONS)
        assert rate <= 0.02, f"false alarms {rate:.2%}: {alarms}"

    @pytest.mark.parametrize(
        "text",
        [
            "my dad's face is drooping and he can't lift his arm",
            "MY DAD'S FACE IS DROOPING AND HE CAN\u2019T LIFT HIS ARM",
            "I want to kill myself",
        ],
    )
    def test_case_and_apostrophes(self, text: str) -> None:
        assert detect_emergency(text)

    @pytest.mark.parametrize("text", ["", "   ", "What are the symptoms of a stroke?"])
    def test_not_emergency(self, text: str) -> None:
        assert not detect_emergency(text)


class TestPersonalAdvice:
    @pytest.mark.parametrize(
        "text",
        [
            "Should I take IVIG for my neuropathy?",
            "Do I have Guillain-Barré syndrome?",
            "How much ibuprofen should I take?",
            "Can I stop my prednisone now?",
            "Is it safe for me to take aspirin with warfarin?",
            "What dose should I give my son?",
            "Please diagnose me: I have a rash and a fever.",
            "Should my daughter get the HPV vaccine?",
            "Am I at risk of a stroke?",
        ],
    )
    def test_personal_requests(self, text: str) -> None:
        assert asks_personal_advice(text)

    @pytest.mark.parametrize(
        "text",
        [
            "Does IVIG help all autoimmune conditions?",
            "What are the side effects of IVIG?",
            "How is Guillain-Barré syndrome treated?",
            "What is the usual dose of IVIG?",
            "",
        ],
    )
    def test_general_questions(self, text: str) -> None:
        assert not asks_personal_advice(text)
