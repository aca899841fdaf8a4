"""Trigger patterns: the words that report each of the 16 event classes.

Each entry is ``(event class, regex)``; a regex may name a group ``t`` to
mark the trigger word itself (otherwise the whole match is the trigger).
Hypothetical, future, negated and demanded events are filtered out by
:data:`NOT_HAPPENED` looking at the words just before a trigger.
"""
from __future__ import annotations

import re

_P = lambda s: re.compile(s, re.I)  # noqa: E731 - a short alias keeps the table readable

TRIGGERS: list[tuple[str, re.Pattern]] = [
    ("Killing", _P(r"\b(?:shot dead|shot and killed|killed|murdered|assassinated|(?:he|she) died\b|died (?:on the spot|at the scene|before|in hospital|of (?:his|her) (?:wounds|injuries)))")),
    ("Assault", _P(r"\b(?:beat|beaten|beating|hit (?:him|her|them)|hitting|kicked|tortured|ill-treated|wounded|hit by a bullet|attacked|assaulted|stabbed|broke (?:his|her)|breaking (?:his|her))\b")),
    ("Disappearance", _P(r"\b(?:abducted|(?<!the )disappeared|held incommunicado|taken to an unknown location|(?:fate and )?whereabouts (?:remain(?:ed)?|are|were) unknown|(?:refused|denied|failed) (?:to )?(?:confirm|disclose|acknowledge)[^.]{0,20}whereabouts|denied (?:holding|having detained|detaining|that it had detained) (?:her|him)|never arrived at|no information (?:about|on) (?:his|her|their) whereabouts|took (?:\w+ ){0,3}to an unknown location|forced (?:her|him) into (?:a|the) (?:vehicle|van|car))\b")),
    ("Arrest", _P(r"\b(?:(?:re-?)?arrested|apprehended|(?<!activists )(?<!politicians )(?<!journalists )(?<!protesters )(?<!people )(?<!defenders )(?<!students )(?<!those )(?<!of )(?<!is )(?<!are )(?<!remains )detained(?! (?:protesters|people|persons|activists|defenders|journalists|women|human|lawyers|since|in))|taken into (?:police )?custody|took (?:\w+ ){0,2}away|taken (?:away|from (?:his|her|their) home)|picked up|rounded up)\b")),
    ("Detention", _P(r"\b(?:remand(?:ed)?(?= (?:him|her|them|both|the)| in custody| to)|(?P<t>ordered|authori[sz]ed|authori[sz]ing|approved|extended|renewed|maintained|placed|placement|sent)\b(?=[^.;]{0,60}?\b(?:pre-?trial detention|pretrial detention|detention|custody|held in))"
                     r"|detention (?:order|warrant) (?:was )?(?:issued|extended|renewed)|issued a detention (?:order|warrant)|(?:30|\d+)-day detention order|denied (?:him |her |them )?bail|ordered (?:him|her|them) held|placed under (?:residential surveillance|house arrest)|approved (?:his|her|their) (?:formal )?arrest|ordered (?:his|her|their) detention|(?:his|her|their) detention was (?:renewed|extended))")),
    ("Charge", _P(r"\b(?:charged|indicted|(?:brought|filed|pressed|laid|added) (?:a |the |new |further )?(?:\w+ )?charges?|(?:opened|registered|initiated|instituted) a (?:new )?(?:criminal )?case against|referred [^.;]{0,50}?to trial|arrest on the [\w ]{1,30} charge|criminal case (?:had been|was|has been) opened against|filed (?:its|a|the) chargesheet|ordered (?:him|her|them) to stand trial|order of formal prosecution|same charge was brought)\b")),
    ("Summons", _P(r"\b(?:summoned|summons|interrogated|questioned|called in for questioning|called for questioning)\b")),
    ("Hearing", _P(r"\b(?:trial hearing|first (?:statement |appeal )?hearing|initial hearing|(?:at|during) a hearing on|hearing (?:held )?on (?=\d|(?:January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday) )|(?:closed-door |first |the )?trial (?:that began|which opened|opened|began|took place|was held|held on|held)|trial[^.;]{0,60}?(?:took place|was held|opened) (?:on|in)|at the [\w ]{0,20}trial|trial before [^.;]{0,80}?(?:took place|opened))\b")),
    ("Conviction", _P(r"\b(?:sentenced|convicted|found (?!\w+ not\b)(?:\w+ ){0,3}guilty|fined|ruled to fine|ordered to pay a fine|(?:gave|handed|imposed) (?:\w+ ){0,3}(?:sentence|prison term)|sentencing of)\b")),
    ("Acquittal", _P(r"\b(?:acquitted|acquittal of|found (?:\w+ ){0,2}not guilty|set aside (?:their|his|her|the) convictions?|charges? (?:was|were|have been) dropped|case (?:was|has been) closed|dismissed the charges?)\b")),
    ("Appeal", _P(r"\b(?:(?:lodged|filed|submitted) an appeal|appealed|rejected (?:her|his|their|the) appeals?|dismissed the appeals?|allowed the appeals?|upheld|(?:reduced|increased) (?:her|his|their|the) (?:original )?sentences?|appeal court upheld|on appeal)\b")),
    ("Release", _P(r"\b(?:released|walked out of|granted (?:\w+ ){0,2}bail|granted (?:her|him|them) (?:temporary |conditional |provisional )?release|ordered the release of|freed|set free)\b")),
    ("Raid", _P(r"\b(?:searched|raided|raid on|search(?:ed)? of (?:his|her|their|the) (?:home|house|apartment|office)|broke into|forced their way into)\b")),
    ("TravelBan", _P(r"\b(?:barred (?:\w+ ){0,2}from (?:leaving|travel(?:l)?ing|returning)|banned (?:\w+ ){0,2}from (?:leaving|travel(?:l)?ing)|(?:a |the |an )?(?:\w+[- ]year )?travel ban|ban on leaving|exit ban|not allowed to leave|prohibited from leaving|may not leave the country|prevented (?:her|him|them) from (?:boarding|crossing|leaving|travel(?:l)?ing)|stopped (?:\w+ ){0,6}from boarding|offloaded|(?:had )?not authori[sz]ed (?:her|his|their) entry|denied (?:her|him) entry|exit control list|look out circular|surrender (?:her|his) passport)\b")),
    ("Threat", _P(r"\b(?:threatened|threatening|death threats?|threats? against|warned (?:him|her|them)|(?:warned|warning) that (?:she|he|they) would|told (?:him|her|them) (?:that )?(?:he|she|they) (?:would|could|will)|(?:would|will) be (?:[\"“])?(?:the )?next|told (?:him|her|them) that [\"“]|join her sister|share his brother's fate)\b")),
    ("SmearCampaign", _P(r"\b(?:described (?:[\w’'. ]{0,60}?) as (?:an? )?[\"“]|describing (?:them|him|her|[\w’'. ]{0,60}?) as (?:an? )?[\"“]|red-tagged|smear campaign|labell?ed (?:\w+ ){0,3}as|branded (?:\w+ ){0,3}as|[\"“]repents[\"”])")),
]

#: Cheap substring tests: a trigger's pattern is only run on sentences holding one of its keys.
KEYS: dict[str, tuple[str, ...]] = {
    "Killing": ("kill", "dead", "murder", "assassin", "died"),
    "Assault": ("beat", "hit", "kick", "tortur", "ill-treat", "wound", "attack", "assault", "stab", "brok", "break"),
    "Disappearance": ("abduct", "disappear", "incommunicado", "unknown", "whereabouts", "never arrived", "forced "),
    "Arrest": ("arrest", "apprehend", "detained", "custody", "took", "taken", "picked up", "rounded up"),
    "Detention": ("remand", "detention", "custody", "held", "bail", "surveillance", "house arrest", "arrest"),
    "Charge": ("charge", "indict", "case against", "trial", "prosecution"),
    "Summons": ("summon", "interrogat", "question"),
    "Hearing": ("hearing", "trial"),
    "Conviction": ("sentenc", "convict", "guilty", "fine", "prison term"),
    "Acquittal": ("acquit", "not guilty", "set aside", "dropped", "closed", "dismissed the charge"),
    "Appeal": ("appeal", "upheld", "reduced", "increased"),
    "Release": ("release", "walked out", "bail", "freed", "set free"),
    "Raid": ("search", "raid", "broke into", "forced their way"),
    "TravelBan": ("barred", "banned", "ban", "not allowed to leave", "prohibited", "may not leave", "prevented",
                  "boarding", "offloaded", "entry", "exit control", "look out", "passport"),
    "Threat": ("threat", "warn", "told", "next", "join her", "fate"),
    "SmearCampaign": ("describ", "red-tag", "smear", "label", "brand", "repents"),
}

#: Words just before a trigger that mean it did not happen (yet).
NOT_HAPPENED = re.compile(
    r"(?:\b(?:not|never|no|without|could|may|might|would|will|shall|should|can|cannot|if|unless|faces?|facing"
    r"|risk of|at risk|threat of|expected to|likely to|due to be|intends? to|plans? to|considering|scheduled"
    r"|whether|demanded|demanding|refused to|allegedly|lest|calls? for|call on|urge)\b[^.;,]{0,25})$", re.I)

#: Event classes that take a court, and those that take an authority first.
COURT_FIRST = {"Conviction", "Acquittal", "Hearing", "Appeal"}
AUTHORITY_FIRST = {"Arrest", "Raid", "Summons", "Assault", "Threat", "Disappearance", "SmearCampaign", "Killing"}
TAKES_PROVISIONS = {"Charge", "Conviction", "Acquittal", "Detention", "TravelBan"}
TAKES_SANCTION = {"Conviction", "Appeal"}
