"""The daemon: IMAP ingestion that never loses, skips or double-handles a message.

    watch.FolderWatcher   one account's folder: its connection, IDLE or polling, reconnect backoff
    folder.FolderSync     one pass over a folder: new UIDs in batches, decide, mark, checkpoint
    decide.Decider        the decision, by the same Pipeline `mailbot triage` runs
    mark.Marker           keywords and moves in the mailbox, after the decision is committed
    runner                `mailbot run` and `mailbot run --once`: scheduling, signals, the store lock

The order that makes it exactly-once: the decision is committed to the store
before the mailbox is marked, and the checkpoint moves only after the
mark.  A crash between any two steps leaves a message above the checkpoint
whose identity the store already knows: the next pass marks it and decides
nothing.  Messages are tracked by UIDVALIDITY and UID, never by \\Seen.
"""
