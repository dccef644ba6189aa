"""The plan editor: compose the cocktail, plan the sessions, see the safety findings live, undo
every edit and save (PySide6 screens; ``editor.PlanEditorPage`` is the page the main window opens).
"""
