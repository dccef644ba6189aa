"""MesoPlan: treatment planning, safety screening and documents for mesotherapy clinics."""

__version__ = "0.1.0"
