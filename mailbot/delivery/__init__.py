"""Deliver stage: from a decision to the customer's inbox, with a person in between.

    intake.Delivery       the pipeline's hook: a draft for review, or a reply queued to go alone
    guard                 the loop and abuse guard, asked before drafting to send and again before sending
    compose               the reply as a MIME message: threading headers, no header injection
    drafts / outbox       the review queue and the outbox, in the store's SQLite (tables.py)
    runner.run_once       one delivery pass: Drafts folder, crash recovery, SMTP, Sent folder
    smtp                  aiosmtplib, the only async code; mailbox: imapclient, Drafts and Sent

Exactly once: a reply's Message-ID and bytes are fixed and committed before
any connection is made; a reply found in `sending` after a crash is looked
up in the Sent folder by that Message-ID and is never sent blindly again.

This package's __init__ imports nothing, so config.py may import the
vocabulary without pulling in the rest.
"""
