"""The politicians' positive list (issue 18): the strategies, plans, policies and fixed demands in force per committee
(and for the city council), their reviews (keep, simplify, abolish) and what was removed and when.

Part of the codex app (the codex floor): its models are declared in ``codex.models``'s app and migrated with it.
"""
