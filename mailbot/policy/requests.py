"""Which of the customer's requests the policy answers first.

The classifier reads one intent; a customer often asks two things ("the
keyboard arrived broken, I want to return it").  The policy puts the
time-limited claim first: a defect or a wrong item must be reported within
`defect_report_days` of delivery, while a return can wait.  So a return or
exchange that also reports damage or a wrong item is handled as that claim,
and the reply says the other request will follow.  A defect the customer
takes back ("defective is the wrong word") is a plain return.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..records import Extraction

RETURNS = ("return_request", "exchange_request")


@dataclass(frozen=True)
class Request:
    intent: str  # the request the rules decide on
    follow_up: str  # the other request the reply says will follow ("" when none)
    note: str  # for the trace ("" when the classifier's intent stands)


def primary_request(intent: str, extraction: Extraction) -> Request:
    said = extraction.statements
    if intent in RETURNS and "says_defect" in said:
        return Request("defective_item", intent,
                       f"two requests: a defect report and a {_name(intent)}; the defect claim is time-limited, "
                       f"so it goes first and the {_name(intent)} follows")
    if intent in RETURNS and "says_wrong_item" in said:
        return Request("wrong_item", intent,
                       f"two requests: a wrong-item report and a {_name(intent)}; the wrong-item claim is "
                       f"time-limited, so it goes first and the {_name(intent)} follows")
    if intent == "defective_item" and "takes_back_defect" in said:
        return Request("return_request", "",
                       "the customer takes the defect back (nothing is wrong with the item): read as a return")
    return Request(intent, "", "")


def _name(intent: str) -> str:
    return "exchange" if intent == "exchange_request" else "return"
