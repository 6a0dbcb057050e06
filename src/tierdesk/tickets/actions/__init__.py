"""Every change to a ticket: one function per intent, one transaction each, grouped by
intent in the modules of this package (opening, conversation, assignment, escalation,
status, fields).

Each action resolves and locks what it touches, checks permission and state and raises a
domain error before changing anything, then changes rows and appends its timeline event in
the same transaction. The API, the web pages, e-mail intake, commands and the worker all
come through here.
"""
