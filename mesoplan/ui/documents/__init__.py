"""Screens for consent forms and aftercare sheets: the preview dialog and printing/saving PDFs."""
