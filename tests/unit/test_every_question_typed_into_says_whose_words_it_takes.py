"""Every question typed into has an owner of its words: the customer's (a message of theirs
forwarded to the bot is the answer) or the staff member's own account (a forward never is).
The rule, question by question, as docs/procedures.md states it."""

from __future__ import annotations

from flows.forms import asks_own_account
from flows.incidents import INCIDENT_FORM
from flows.policy import Policy
from flows.procedures import PROCEDURES

#: Every question typed into, by procedure: whose words it takes. The customer's: a
#: forward of theirs is the answer. The staff member's own account: never a forward.
CUSTOMERS_WORDS = {
    "summary",
    "note",
    "what_mattered",
    "appreciate",
    "frame",
    "goodwill_response",
    "apologise",
    "alternatives",
    "open_answers",
    "why_us",
    "improve",
    "others_better",
    "incident_note",
}
OWN_ACCOUNT = {
    "action",
    "reason",
    "rung_action",
    "offer",
    "own_alternative",
    "goodwill_gesture",
    *(f"note_{r}" for r in ("trivial_complaints", "abuses_staff", "no_more_business")),
    *(f"note_{r}" for r in ("no_referrals", "unprofitable", "unethical", "mission_mismatch")),
}


def test_every_question_typed_into_says_whose_words_it_takes() -> None:
    policy = Policy()
    forms = [
        *INCIDENT_FORM,
        *(f for p in PROCEDURES.values() for s in p.flow.all_states() for f in p.form(s, policy)),
    ]
    texts = {f.name: f for f in forms if f.kind == "text"}
    assert set(texts) == CUSTOMERS_WORDS | OWN_ACCOUNT
    assert {n for n, f in texts.items() if asks_own_account(f)} == OWN_ACCOUNT
