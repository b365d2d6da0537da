#!/usr/bin/env python3
"""Write the multilingual held-out mail: nlp/heldout/mail/ and mail2/, each messages.jsonl and orders.csv.

    python tools/make_heldout_mail.py

For evaluation only (`python scripts/eval_heldout.py`); never train on it. Ten languages
(en, de, fr, es, it, nl, pt, pl, ja, zh) times the same 20 situations (SLOTS), each with
the intent and the action a careful support agent would choose under the store's
policy, and the order data the situation needs. The texts are in tools/heldout_texts.py,
written independently of the training corpus. Standard library only; the output is
the same on every run.

mail2/ (tools/heldout_texts_v2.py, SLOTS_V2) was written after round 2's fixes and
measured once, so its figures are not tuned to it.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from heldout_texts import TEXTS
from heldout_texts_v2 import TEXTS_V2

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "nlp" / "heldout" / "mail"  # and mail2 beside it
SENT_AT = "2026-11-20T10:00:00+01:00"  # every message's Date: a Friday


@dataclass(frozen=True)
class Slot:
    intent: str
    action: str
    order: str | None = None  # the order's state: a key of ORDER_STATES
    photos: int = 0
    personalized: bool = False
    final_sale: bool = False
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

SLOTS_V2 = [
    Slot("order_status", "order_status_info", "in_transit"),  # quotes the tracking number only
    Slot("return_request", "decline_final_sale", "delivered_week_ago", final_sale=True),
    Slot("defective_item", "acknowledge_defect_claim", "delivered_recently", photos=2),  # no order number
    Slot("cancel_order", "cancel_confirm_pending", "processing"),  # no order number
    Slot("refund_status", "refund_status_info", "returned"),  # no order number
    Slot("product_question", "answer_question", stranger=True),
    Slot("wrong_item", "request_info", "delivered_today"),  # no photo, no tracking number
    Slot("other", "no_reply", stranger=True),  # meant for someone else
]
SETS = {"mail": (TEXTS, SLOTS, 30000), "mail2": (TEXTS_V2, SLOTS_V2, 50000)}
assert all(len(texts) == len(slots) for texts_by_language, slots, _ in SETS.values()
           for texts in texts_by_language.values())

# placed, shipped, delivered, status
ORDER_STATES = {
    "processing": ("2026-11-19T21:40:00+01:00", "", "", "processing"),
    "in_transit": ("2026-11-12T09:15:00+01:00", "2026-11-16", "", "shipped"),
    "shipped_yesterday": ("2026-11-16T18:05:00+01:00", "2026-11-19", "", "shipped"),
    "delivered_recently": ("2026-11-08T11:30:00+01:00", "2026-11-11", "2026-11-18", "delivered"),
    "delivered_today": ("2026-11-10T08:45:00+01:00", "2026-11-12", "2026-11-20", "delivered"),
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
    for name, (texts_by_language, slots, first_number) in SETS.items():
        write_set(OUT.parent / name, texts_by_language, slots, first_number)


def write_set(out: Path, texts_by_language: dict, slots: list[Slot], first_number: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    messages, orders = [], []
    for lang_index, (lang, texts) in enumerate(texts_by_language.items()):
        for slot_index, (slot, (subject, body)) in enumerate(zip(slots, texts)):
            first, last = CUSTOMERS[lang][slot_index % 5]
            number = str(first_number + lang_index * 100 + slot_index + 1)
            local = f"{first}.{last}".lower().replace(" ", "").translate(ASCII)
            email = f"{local}{slot_index + 1}@{DOMAINS[lang]}"
            track = s10((first_number + 10000) * 1000 + lang_index * 100 + slot_index + 1)
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
                    "final_sale": "yes" if slot.final_sale else "no", "free_gift": "no", "non_returnable": "no",
                })
            fill = {"n": number, "first": first, "track": track}
            messages.append({
                "id": f"{lang}-{slot_index + 1:02d}", "language": lang,
                "from": f"{first} {last} <{email}>", "date": SENT_AT,
                "subject": subject.format(**fill), "text": body.format(**fill),
                "intent": slot.intent, "action": slot.action, "photos": slot.photos,
                "headers": {"Auto-Submitted": "auto-replied"} if slot.automated else {},
            })
    with (out / "messages.jsonl").open("w", encoding="utf-8") as f:
        for message in messages:
            f.write(json.dumps(message, ensure_ascii=False) + "\n")
    with (out / "orders.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(orders[0]))
        writer.writeheader()
        writer.writerows(orders)
    print(f"{len(messages)} messages, {len(orders)} order lines in {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
