"""The patient screens: the patient list dock, the patient page, the patient and screening forms."""
