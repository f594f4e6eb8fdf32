"""What the reply tells a person to do first, by triage level and category; numbers come from settings.

The defaults are the US numbers (911, the 988 Suicide & Crisis Lifeline, Poison Control 1-800-222-1222); set
``MEDCITE_EMERGENCY_NUMBER``, ``MEDCITE_CRISIS_LINE`` and ``MEDCITE_POISON_CONTROL`` for another country
(docs/configuration.md lists several). The first-aid lines are the widely taught first steps (note the time a
stroke started, cool a burn under running water, press on a bleeding wound); none gives a dose or a method.
"""

from __future__ import annotations

from dataclasses import dataclass

from medcite.triage.model import Action, Level, RedFlag


@dataclass(frozen=True)
class Numbers:
    """The numbers a reply names: emergency, crisis line (with its name) and poison control."""

    emergency: str = "911"
    crisis_line: str = "988"
    crisis_line_name: str = "the 988 Suicide & Crisis Lifeline"
    poison_control: str = "1-800-222-1222"


FIRST_AID: dict[str, str] = {
    "stroke": "Note the time the symptoms started: it decides which treatment is possible. Do not give food, "
              "drink or medicine.",
    "cardiac": "Stop what you are doing and rest; unlock the door. Do not drive yourself to hospital.",
    "breathing": "Sit upright. With asthma, use the reliever inhaler as your asthma plan says while you wait.",
    "anaphylaxis": "Use an adrenaline auto-injector (such as an EpiPen) now if one has been prescribed, then lie "
                   "down with legs raised (sit up if breathing is easier).",
    "sepsis_meningitis": "Say that you are worried about sepsis or meningitis.",
    "infant": "A baby under 3 months with a temperature of 38 °C (100.4 °F) or more, or a baby who is floppy, "
              "hard to wake or not feeding, needs to be seen by a doctor now, day or night.",
    "pregnancy": "Call your maternity unit, labour ward or midwife now; if you cannot reach them, go to hospital.",
    "diabetic": "If they are awake and can swallow and the sugar is low, give fast-acting sugar now. If they are "
                "drowsy or unconscious, give nothing by mouth.",
    "carbon_monoxide": "Get everyone, pets too, out into fresh air now and leave the door open; call from outside.",
    "head_injury": "A head injury in someone on a blood thinner, or with vomiting, drowsiness or confusion, needs "
                   "to be seen today even if they seem well.",
    "bleeding": "Press firmly on the wound with a clean cloth and keep pressing; do not lift it to look.",
    "testicular_torsion": "Sudden testicle pain needs emergency treatment within hours; go to the emergency "
                          "department now.",
    "cauda_equina": "Back pain with numbness between the legs or new bladder or bowel trouble needs an emergency "
                    "scan; go to the emergency department now.",
    "burns": "Cool the burn under cool running water for 20 minutes; do not use ice, creams or butter. Remove "
             "rings and tight clothing near it.",
    "heat_stroke": "Move them somewhere cool, remove extra clothing and cool them with water while you wait.",
    "acute_abdomen": "Do not eat or drink until a doctor has seen you.",
    "seizure": "Do not hold them down or put anything in their mouth; time the seizure and, once it stops, "
               "roll them onto their side.",
    "unconscious": "If they are not breathing normally, start CPR: the dispatcher will guide you.",
    "poisoning": "Keep the container or packet to hand; do not make them vomit.",
}

HEADLINES: dict[Level, str] = {
    "emergency": "This may be a medical emergency. Call {emergency} (or your local emergency number) now.",
    "poisoning": "Call Poison Control now at {poison_control} (free, 24 hours a day).",
    "urgent": "This needs medical care today: call your doctor, midwife or an urgent-care line now.",
    "self_harm": "I'm really glad you reached out, and I'm sorry things are this hard right now. You don't have "
                 "to go through this alone.",
}


def actions_for(level: Level, flags: list[RedFlag], numbers: Numbers) -> tuple[str, tuple[Action, ...]]:
    """The headline and the ordered actions for a triage level and its red flags."""
    if level == "none":
        return "", ()
    n = numbers
    headline = HEADLINES[level].format(emergency=n.emergency, poison_control=n.poison_control)
    categories = [f.category for f in flags]
    actions: list[Action] = []
    if level == "self_harm":
        others = "harm_to_others" in categories
        actions.append(Action("crisis_line", f"Call or text {n.crisis_line} now to talk with someone at "
                                             f"{n.crisis_line_name}; it is free, confidential and open all hours"
                                             + (", also for thoughts of hurting someone else." if others else "."),
                              n.crisis_line))
        actions.append(Action("call_emergency", f"If you or anyone else is in danger now, call {n.emergency} or go "
                                                "to the nearest emergency department.", n.emergency))
        actions.append(Action("first_aid", "If you can, stay with someone you trust, and put distance between you "
                                           "and anything you could use to hurt yourself or others."))
        return headline, tuple(actions)
    if level == "emergency":
        actions.append(Action("call_emergency", f"Call {n.emergency} now, or go to the nearest emergency "
                                                "department. Do not wait to see if it passes.", n.emergency))
    elif level == "poisoning":
        actions.append(Action("poison_control", f"Call Poison Control at {n.poison_control} now; they will say "
                                                "what to do.", n.poison_control))
        actions.append(Action("call_emergency", f"Call {n.emergency} instead if the person has collapsed, is hard "
                                                "to wake, has a seizure or has trouble breathing.", n.emergency))
    else:
        actions.append(Action("urgent_care", "Get seen today: call your doctor, midwife or an urgent-care line now, "
                                             "or go to urgent care."))
        actions.append(Action("call_emergency", f"Call {n.emergency} if it gets worse or you are worried.",
                              n.emergency))
    if "poisoning" in categories and level == "emergency":
        actions.append(Action("poison_control", f"Poison Control ({n.poison_control}) can also advise.",
                              n.poison_control))
    for category in dict.fromkeys(categories):
        if category in FIRST_AID:
            actions.append(Action("first_aid", FIRST_AID[category]))
    return headline, tuple(actions)
