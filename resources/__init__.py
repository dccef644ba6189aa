"""Data shipped with MesoPlan: catalog, rule tables, protocols, document texts and fonts.

Installed as the package ``mesoplan.resources`` and read with ``importlib.resources``.
"""
