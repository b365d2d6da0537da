"""Replies in the customer's language: which language, how to greet, how to write dates and money.

- `language`: the reply language, decided once per message and written to the trace.
- `greeting`: the name to greet a customer by, from a From header as people really write it.
- `formats`: dates, money, carriers and payment methods as a reader of the language writes them (Babel's CLDR data).
"""
