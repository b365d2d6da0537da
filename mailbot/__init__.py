"""mailbot: triage for the Keysme support@ inbox."""

__version__ = "0.1.0"
