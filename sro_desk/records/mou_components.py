"""Which of DESE's required components a section of an agreement covers, from its words.

Plain weighted phrases, not a model: a district can read the table and see why a section
was (or was not) matched, and the checklist lets them correct it.
"""

from __future__ import annotations

import itertools
import re

from sro_desk.records.agreement_text import BLANK, without_notes

#: Phrases that show a section covers a DESE component, with their weights. A phrase
#: ending in ``*`` matches any word starting with it; spaces and hyphens are
#: interchangeable. See ``match_components`` for how the weights are added up.
COMPONENT_KEYWORDS: dict[str, dict[str, int]] = {
    # MOU components
    "M1": {"mission": 3, "goal*": 2, "objective*": 2, "purpose": 2, "vision": 1},
    "M2": {
        "roles and responsibilities": 4, "responsib*": 2, "role": 1, "roles": 1,
        "duties": 2, "code of conduct": 1, "routine discipline": 2,
    },
    "M3": {
        "selection": 3, "select*": 1, "candidate*": 3, "seniority": 3, "interview*": 1,
        "qualifications": 2, "temperament": 2, "assign*": 1,
    },
    "M4": {
        "integrat*": 3, "school environment": 3, "safety meeting*": 4, "school safety": 2,
        "staff meeting*": 2, "faculty meeting*": 2, "school community": 1,
        "emergency plan*": 2, "orientation": 2,
    },
    "M5": {
        "information sharing": 3, "share information": 3, "sharing of information": 3,
        "ferpa": 3, "student record*": 3, "confidential*": 2, "disclos*": 2, "privacy": 2,
        "partners": 1, "point of contact": 2, "points of contact": 2,
    },
    "M6": {
        "organizational structure": 4, "organisational structure": 4, "supervis*": 3,
        "lines of communication": 4, "reports to": 1, "report to": 1, "liaison": 2,
    },
    "M7": {
        "train*": 3, "child and adolescent development": 4, "adolescent": 2,
        "conflict resolution": 3, "de-escalation": 2, "diversion strateg*": 2, "mptc": 3,
        "municipal police training committee": 4, "certification": 2,
        "professional development": 3,
    },
    "M8": {
        "data": 2, "collect*": 2, "report*": 1, "school-based arrest*": 4, "citations": 1,
        "court referrals": 1, "ssdr": 4, "disaggregat*": 3, "statistic*": 2, "dese": 1,
    },
    # Operating-procedure components
    "O1": {"uniform*": 4, "plain clothes": 3, "attire": 3, "dress": 2, "badge": 2},
    "O2": {
        "use of force": 4, "force": 2, "arrest*": 2, "custody": 2, "handcuff*": 3,
        "restrain*": 2, "last resort": 2, "warrant": 2, "enforcement action": 2,
        "school property": 1,
    },
    "O3": {
        "search*": 3, "questioning": 3, "interrogat*": 3, "miranda": 4, "legal rights": 4,
        "rights": 2, "custodial": 2, "present": 1,
    },
    "O4": {
        "chain of command": 4, "disagree*": 3, "dispute*": 2, "work together": 2,
        "collaborat*": 1, "principal": 1, "administrator*": 1,
    },
    "O5": {
        "evaluat*": 3, "performance": 3, "annual review": 3, "compliance": 2, "monitor*": 2,
        "metric*": 2, "assess*": 1,
    },
    "O6": {
        "diversion": 3, "divert*": 3, "at-risk": 3, "referral*": 1, "restorative": 2,
        "counsel*": 2, "mental health": 2, "alternatives to arrest": 3, "supports": 1,
        "services": 1,
    },
    "O7": {
        "parent*": 2, "guardian*": 2, "families": 2, "notif*": 2, "inform*": 1,
        "communicat*": 1,
    },
}  # fmt: skip

#: A phrase found in the heading counts this many times its weight.
HEADING_FACTOR = 3
#: In the body a phrase counts at most this many times.
BODY_REPEAT_LIMIT = 2
#: A section covers a component when the component's score reaches this.
COMPONENT_THRESHOLD = 5


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    prefix = phrase.endswith("*")
    words = re.split(r"[\s\-]+", phrase.rstrip("*"))
    body = r"[\s\-]+".join(re.escape(word) for word in words)
    return re.compile(r"\b" + body + (r"\w*" if prefix else r"\b"))


_COMPONENT_PATTERNS: dict[str, list[tuple[re.Pattern[str], int]]] = {
    code: [(_phrase_pattern(phrase), weight) for phrase, weight in phrases.items()]
    for code, phrases in COMPONENT_KEYWORDS.items()
}


BODY_READ = 200_000


def match_components(heading: str, text: str) -> list[str]:
    """The DESE component codes a section covers, sorted, judged from its words.

    Each phrase of ``COMPONENT_KEYWORDS`` found in the heading adds ``HEADING_FACTOR``
    times its weight; in the body it adds its weight per occurrence (at most
    ``BODY_REPEAT_LIMIT`` times). Drafting notes are ignored.
    """
    heading_text = heading.lower()
    # A section's first 200,000 characters say what it covers; reading every phrase
    # through a longer one (a pasted book) only costs time.
    body = BLANK.sub(" ", without_notes(text[:BODY_READ])).replace("**", "").lower()
    matched = []
    for code, patterns in _COMPONENT_PATTERNS.items():
        score = 0
        for pattern, weight in patterns:
            if pattern.search(heading_text):
                score += HEADING_FACTOR * weight
            score += weight * sum(1 for _ in itertools.islice(pattern.finditer(body), BODY_REPEAT_LIMIT))
        if score >= COMPONENT_THRESHOLD:
            matched.append(code)
    return sorted(matched)
