#!/usr/bin/env python3
"""Write the multilingual held-out mail: nlp/heldout/mail/{messages.jsonl,orders.csv}.

    python tools/make_heldout_mail.py

For evaluation only (`python scripts/eval_heldout.py`); never train on it. Ten languages
(en, de, fr, es, it, nl, pt, pl, ja, zh) times the same 20 situations (SLOTS), each with
the intent and the action a careful support agent would choose under the store's
policy, and the order data the situation needs. The texts are in tools/heldout_texts.py,
written independently of the training corpus. Standard library only; the output is
the same on every run.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from heldout_texts import TEXTS

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "nlp" / "heldout" / "mail"
SENT_AT = "2026-11-20T10:00:00+01:00"  # every message's Date: a Friday


@dataclass(frozen=True)
class Slot:
    intent: str
    action: str
    order: str | None = None  # the order's state: a key of ORDER_STATES
    photos: int = 0
    personalized: bool = False
    automated: bool = False  # carries Auto-Submitted: auto-replied, as real auto-responders do
    stranger: bool = False   # writes from an address with no order


SLOTS = [
    Slot("order_status", "order_status_info", "in_transit"),
    Slot("order_status", "order_status_info", "in_transit"),  # no order number: found by the address
    Slot("order_status", "escalate_human", "delivered_recently"),  # delivered but not received
    Slot("cancel_order", "cancel_confirm_pending", "processing"),
    Slot("cancel_order", "cancel_too_late", "shipped_yesterday"),
    Slot("modify_order", "escalate_human", "processing"),  # an address change before shipping: staff act
    Slot("return_request", "return_instructions", "delivered_week_ago"),  # sealed, with a reason
    Slot("return_request", "decline_opened_item", "delivered_week_ago"),  # used for two weeks
    Slot("return_request", "decline_personalized", "delivered_week_ago", personalized=True),
    Slot("exchange_request", "return_instructions", "delivered_week_ago"),  # unopened
    Slot("defective_item", "acknowledge_defect_claim", "delivered_recently", photos=2),
    Slot("defective_item", "request_info", "delivered_recently"),  # no photos yet
    Slot("defective_item", "decline_late_report", "delivered_october"),
    Slot("wrong_item", "acknowledge_defect_claim", "delivered_recently", photos=1),
    Slot("refund_status", "refund_status_info", "returned"),
    Slot("product_question", "answer_question", stranger=True),
    Slot("product_question", "answer_question", stranger=True),
    Slot("other", "no_reply", "delivered_recently"),  # a thank-you
    Slot("automated", "no_reply", "delivered_recently", automated=True),  # out of office
    Slot("other", "no_reply", stranger=True),  # a cold sales pitch
]
assert all(len(texts) == len(SLOTS) for texts in TEXTS.values())

# placed, shipped, delivered, status
ORDER_STATES = {
    "processing": ("2026-11-19T21:40:00+01:00", "", "", "processing"),
    "in_transit": ("2026-11-12T09:15:00+01:00", "2026-11-16", "", "shipped"),
    "shipped_yesterday": ("2026-11-16T18:05:00+01:00", "2026-11-19", "", "shipped"),
    "delivered_recently": ("2026-11-08T11:30:00+01:00", "2026-11-11", "2026-11-18", "delivered"),
    "delivered_week_ago": ("2026-11-02T14:00:00+01:00", "2026-11-05", "2026-11-13", "delivered"),
    "delivered_october": ("2026-10-15T10:00:00+02:00", "2026-10-18", "2026-10-29", "delivered"),
    "returned": ("2026-10-10T16:20:00+02:00", "2026-10-13", "2026-10-22", "returned"),
}

CUSTOMERS = {
    "en": [("Emily", "Carter"), ("Jake", "Morrison"), ("Priya", "Shah"), ("Tom", "Fletcher"), ("Grace", "Kim")],
    "de": [("Anna", "Schmidt"), ("Lukas", "Weber"), ("Jana", "Krüger"), ("Felix", "Braun"), ("Mia", "Hoffmann")],
    "fr": [("Claire", "Dubois"), ("Hugo", "Lefèvre"), ("Camille", "Moreau"), ("Louis", "Girard"), ("Léa", "Roux")],
    "es": [("Lucía", "García"), ("Javier", "Ruiz"), ("Carmen", "López"), ("Diego", "Navarro"), ("Elena", "Torres")],
    "it": [("Giulia", "Rossi"), ("Marco", "Bianchi"), ("Chiara", "Ferrari"), ("Luca", "Romano"), ("Sara", "Conti")],
    "nl": [("Sanne", "de Vries"), ("Pieter", "Jansen"), ("Lotte", "Bakker"), ("Daan", "Visser"), ("Emma", "Smit")],
    "pt": [("João", "Silva"), ("Ana", "Costa"), ("Rita", "Santos"), ("Pedro", "Ferreira"), ("Inês", "Oliveira")],
    "pl": [("Kasia", "Nowak"), ("Tomasz", "Kowalski"), ("Agnieszka", "Wiśniewska"), ("Piotr", "Wójcik"), ("Ola", "Lewandowska")],
    "ja": [("Yuki", "Tanaka"), ("Haruto", "Sato"), ("Aoi", "Suzuki"), ("Ren", "Takahashi"), ("Mei", "Watanabe")],
    "zh": [("Fang", "Wang"), ("Wei", "Li"), ("Jing", "Zhang"), ("Lei", "Liu"), ("Xin", "Chen")],
}
DOMAINS = {"en": "gmail.com", "de": "web.de", "fr": "orange.fr", "es": "hotmail.es", "it": "libero.it",
           "nl": "ziggo.nl", "pt": "sapo.pt", "pl": "wp.pl", "ja": "docomo.ne.jp", "zh": "qq.com"}
ASCII = str.maketrans("äöüßéèêëàâçíóúñãõáìòùłśźżćńęąø", "aousee" "eeaacioun" "aoaiou" "lszzcnea" "o")


def s10(serial: int, prefix: str = "LX", country: str = "CN") -> str:
    """A UPU S10 number with its check digit, as China Post prints them."""
    digits = f"{serial:08d}"
    total = sum(int(d) * w for d, w in zip(digits, (8, 6, 4, 2, 3, 5, 9, 7)))
    check = 11 - total % 11
    check = {10: 0, 11: 5}.get(check, check)
    return f"{prefix}{digits}{check}{country}"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    messages, orders = [], []
    for lang_index, (lang, texts) in enumerate(TEXTS.items()):
        for slot_index, (slot, (subject, body)) in enumerate(zip(SLOTS, texts)):
            first, last = CUSTOMERS[lang][slot_index % 5]
            number = str(30000 + lang_index * 100 + slot_index + 1)
            local = f"{first}.{last}".lower().replace(" ", "").translate(ASCII)
            email = f"{local}{slot_index + 1}@{DOMAINS[lang]}"
            track = s10(40000000 + lang_index * 100 + slot_index + 1)
            if slot.order and not slot.stranger:
                placed, shipped, delivered, status = ORDER_STATES[slot.order]
                orders.append({
                    "order_number": number, "email": email, "name": f"{first} {last}", "placed_at": placed,
                    "shipped_at": shipped, "delivered_at": delivered, "status": status,
                    "tracking_number": track if shipped else "", "carrier": "china_post" if shipped else "",
                    "payment_method": "paypal", "line": 1, "sku": "PBT-BOT-GRN",
                    "product": "Botanical Green PBT Keycap Set (Cherry profile)", "quantity": 1,
                    "unit_price": "59.00", "currency": "EUR",
                    "personalized": "yes" if slot.personalized else "no",
                    "final_sale": "no", "free_gift": "no", "non_returnable": "no",
                })
            fill = {"n": number, "first": first, "track": track}
            messages.append({
                "id": f"{lang}-{slot_index + 1:02d}", "language": lang,
                "from": f"{first} {last} <{email}>", "date": SENT_AT,
                "subject": subject.format(**fill), "text": body.format(**fill),
                "intent": slot.intent, "action": slot.action, "photos": slot.photos,
                "headers": {"Auto-Submitted": "auto-replied"} if slot.automated else {},
            })
    with (OUT / "messages.jsonl").open("w", encoding="utf-8") as f:
        for message in messages:
            f.write(json.dumps(message, ensure_ascii=False) + "\n")
    with (OUT / "orders.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(orders[0]))
        writer.writeheader()
        writer.writerows(orders)
    print(f"{len(messages)} messages, {len(orders)} order lines in {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
