"""The schema revision this version of MesoPlan expects (checked against Alembic's head in tests).

Kept as a constant so that start-up can tell an up-to-date database without loading Alembic.
"""

SCHEMA_HEAD = "0002_consent_history"
