"""Check-digit algorithms of the carriers' tracking numbers.

Each function takes the compact number (upper case, no spaces) in the shape
its format in carriers.py guarantees, and says whether the last character is
the right check digit.  A check digit is what lets a bare run of digits be
told from a phone number or an order number.
"""

from __future__ import annotations


def gs1_mod10(digits: str) -> bool:
    """GS1 modulo 10: weights 3, 1, 3, ... from the right of the payload.

    USPS (20, IMpb), FedEx Ground (15, 22 and SSCC-18) and Canada Post use it.
    """
    payload, check = digits[:-1], int(digits[-1])
    total = 0
    for i, c in enumerate(reversed(payload)):
        total += int(c) * (3 if i % 2 == 0 else 1)
    return (10 - total % 10) % 10 == check


def ups_mod10(code: str) -> bool:
    """UPS: odd positions count once, even positions twice; letters map to digits.

    `code` is the payload after the "1Z" or waybill letter, with the check
    digit last.  A letter counts as (its code - 63) mod 10: A=2, B=3, ... as
    UPS's own tables have it.
    """
    if not code[-1:].isdigit():
        return False  # the format lets a letter through; the check character is always a digit
    payload, check = code[:-1], int(code[-1])
    total = 0
    for i, c in enumerate(payload):
        value = int(c) if c.isdigit() else (ord(c) - 63) % 10
        total += value * (2 if i % 2 else 1)
    return (10 - total % 10) % 10 == check


def fedex_mod11(digits: str) -> bool:
    """FedEx Express: weights 1, 3, 7 repeating from the right, mod 11, then mod 10."""
    payload, check = digits[:-1], int(digits[-1])
    weights = (1, 3, 7)
    total = sum(int(c) * weights[i % 3] for i, c in enumerate(reversed(payload)))
    return total % 11 % 10 == check


def dhl_mod7(digits: str) -> bool:
    """DHL Express waybills: the payload modulo 7 is the check digit."""
    return int(digits[:-1]) % 7 == int(digits[-1])


S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def s10_mod11(serial9: str) -> bool:
    """UPU S10: eight serial digits weighted 8,6,4,2,3,5,9,7; 11 - sum mod 11 (10 -> 0, 11 -> 5)."""
    total = sum(w * int(c) for w, c in zip(S10_WEIGHTS, serial9[:8]))
    expected = 11 - total % 11
    if expected == 10:
        expected = 0
    elif expected == 11:
        expected = 5
    return expected == int(serial9[8])


_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def iso7064_mod37_36(code: str) -> bool:
    """ISO/IEC 7064 MOD 37,36 (hybrid), as DPD parcel numbers use it.

    The check character is one of 0-9A-Z; payload characters are digits or letters.
    """
    payload, check = code[:-1], code[-1]
    modulus = 36
    product = modulus
    for c in payload:
        value = _ALNUM.index(c)
        total = (product + value) % modulus or modulus
        product = (total * 2) % (modulus + 1)
    expected = (modulus + 1 - product) % modulus
    return _ALNUM[expected] == check


def luhn(digits: str) -> bool:
    """Luhn: every second digit from the right of the payload doubled (Purolator's 12 digits)."""
    total = 0
    for i, c in enumerate(reversed(digits)):
        value = int(c) * (2 if i % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def ontrac_mod10(code: str) -> bool:
    """OnTrac: the serial after the letter, read as "4..." (C) or "5..." (D), weights 1, 2, 1, ...

    As tracking_number_data describes it (mod10, evens x1, odds x2, no digit sums).
    """
    lead = "4" if code[0] == "C" else "5"
    serial = code[1:-1] if code[1] == lead else lead + code[1:-1]
    total = sum(int(c) * (2 if i % 2 else 1) for i, c in enumerate(serial))
    return (10 - total % 10) % 10 == int(code[-1])
