"""Decide stage: the store's return policy as named checks and rules."""
