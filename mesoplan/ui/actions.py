"""Every command of the window as a QAction built once from one table; menus and toolbar list ids.

A screen never creates its own copy of a window-level command: it asks ``ActionRegistry[ActionId.X]``
and connects to ``triggered``. Standard shortcuts come from ``QKeySequence.StandardKey``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QStyle, QWidget

from mesoplan.access import Permission


class ActionId(Enum):
    NEW_PATIENT = auto()
    NEW_PLAN = auto()
    SAVE = auto()
    CLOSE_TAB = auto()
    FIND = auto()
    PRINT_CONSENT = auto()
    PRINT_AFTERCARE = auto()
    IMPORT = auto()
    EXPORT_PATIENT = auto()
    LOCK = auto()
    SIGN_OUT = auto()
    QUIT = auto()
    UNDO = auto()
    REDO = auto()
    TODAY = auto()
    CATALOG = auto()
    NEXT_TAB = auto()
    PREVIOUS_TAB = auto()
    CLINIC_SETTINGS = auto()
    USERS = auto()
    AUDIT = auto()
    BACKUP_NOW = auto()
    BACKUPS = auto()
    PRIVACY = auto()
    ABOUT = auto()


Key = QKeySequence.StandardKey


@dataclass(frozen=True)
class ActionSpec:
    text: str
    tip: str
    shortcuts: tuple = ()
    icon: QStyle.StandardPixmap | None = None
    permission: Permission | None = None


SP = QStyle.StandardPixmap
SPECS: dict[ActionId, ActionSpec] = {
    ActionId.NEW_PATIENT: ActionSpec("&New patient…", "Add a patient", (Key.New,), SP.SP_FileIcon,
                                     Permission.EDIT_CONTACT),
    ActionId.NEW_PLAN: ActionSpec("New &plan…", "Start a treatment plan for this patient",
                                  ("Ctrl+Shift+N",), SP.SP_FileDialogNewFolder, Permission.EDIT_CLINICAL),
    ActionId.SAVE: ActionSpec("&Save", "Save the current page", (Key.Save,), SP.SP_DialogSaveButton),
    ActionId.CLOSE_TAB: ActionSpec("&Close tab", "Close the current tab", (Key.Close,)),
    ActionId.FIND: ActionSpec("&Find patient", "Search patients by name, birth date or phone",
                              (Key.Find,), SP.SP_FileDialogContentsView, Permission.VIEW_CONTACT),
    ActionId.PRINT_CONSENT: ActionSpec("Consent &form…", "Preview and print the consent form",
                                       (Key.Print,), None, Permission.ISSUE_DOCUMENTS),
    ActionId.PRINT_AFTERCARE: ActionSpec("&Aftercare sheet…", "Preview and print the aftercare sheet",
                                         ("Ctrl+Shift+P",), None, Permission.ISSUE_DOCUMENTS),
    ActionId.IMPORT: ActionSpec("&Import records…", "Add patients from a MesoPlan exchange file", (),
                                None, Permission.EXPORT_DATA),
    ActionId.EXPORT_PATIENT: ActionSpec("&Export patient record…",
                                        "Save this patient's complete record as a file", (), None,
                                        Permission.EXPORT_DATA),
    ActionId.LOCK: ActionSpec("&Lock", "Lock the window until you sign in again", ("Ctrl+L",),
                              SP.SP_DialogNoButton),
    ActionId.SIGN_OUT: ActionSpec("Sign &out", "Sign out and let someone else sign in"),
    ActionId.QUIT: ActionSpec("&Quit", "Close MesoPlan", (Key.Quit, "Ctrl+Q")),
    ActionId.UNDO: ActionSpec("&Undo", "Undo the last change", (Key.Undo,), SP.SP_ArrowBack),
    ActionId.REDO: ActionSpec("&Redo", "Redo the change you undid", (Key.Redo,), SP.SP_ArrowForward),
    ActionId.TODAY: ActionSpec("&Today", "The day's sessions and their documents", ("Ctrl+T",),
                               SP.SP_FileDialogDetailedView, Permission.VIEW_SCHEDULE),
    ActionId.CATALOG: ActionSpec("Ingredient &catalog", "Browse and edit the ingredient catalog",
                                 ("Ctrl+K",), None, Permission.VIEW_CLINICAL),
    ActionId.NEXT_TAB: ActionSpec("&Next tab", "Show the next open tab", (Key.NextChild, "Ctrl+PgDown")),
    ActionId.PREVIOUS_TAB: ActionSpec("P&revious tab", "Show the previous open tab",
                                      (Key.PreviousChild, "Ctrl+PgUp")),
    ActionId.CLINIC_SETTINGS: ActionSpec("Clinic &settings…", "Clinic details, practitioners, policies",
                                         (), None, Permission.MANAGE_SETTINGS),
    ActionId.USERS: ActionSpec("&Users and roles…", "Add users, reset passwords, change roles", (),
                               None, Permission.MANAGE_USERS),
    ActionId.AUDIT: ActionSpec("&Audit trail…", "Who changed what, and when", (), None,
                               Permission.VIEW_AUDIT),
    ActionId.BACKUP_NOW: ActionSpec("&Back up now", "Make a backup copy of the database now", (),
                                    None, Permission.MANAGE_BACKUPS),
    ActionId.BACKUPS: ActionSpec("Backups and &restore…", "List backups, save a copy, restore one",
                                 (), None, Permission.MANAGE_BACKUPS),
    ActionId.PRIVACY: ActionSpec("&Privacy and retention…",
                                 "Export a patient's complete record; anonymise patients after the "
                                 "retention period", (), None, Permission.ANONYMISE),
    ActionId.ABOUT: ActionSpec("&About MesoPlan", "Version and licences"),
}

MENUS: tuple[tuple[str, tuple[ActionId | None, ...]], ...] = (
    ("&File", (ActionId.NEW_PATIENT, ActionId.NEW_PLAN, ActionId.SAVE, ActionId.CLOSE_TAB, None,
               ActionId.PRINT_CONSENT, ActionId.PRINT_AFTERCARE, None, ActionId.IMPORT,
               ActionId.EXPORT_PATIENT, None, ActionId.LOCK, ActionId.SIGN_OUT, ActionId.QUIT)),
    ("&Edit", (ActionId.UNDO, ActionId.REDO, None, ActionId.FIND)),
    ("&View", (ActionId.TODAY, ActionId.CATALOG, None, ActionId.NEXT_TAB, ActionId.PREVIOUS_TAB)),
    ("&Administration", (ActionId.CLINIC_SETTINGS, ActionId.USERS, ActionId.AUDIT, None,
                         ActionId.BACKUP_NOW, ActionId.BACKUPS, ActionId.PRIVACY)),
    ("&Help", (ActionId.ABOUT,)),
)

TOOLBAR: tuple[ActionId | None, ...] = (
    ActionId.TODAY, ActionId.FIND, ActionId.NEW_PATIENT, None, ActionId.SAVE, ActionId.UNDO,
    ActionId.REDO, None, ActionId.PRINT_CONSENT,
)


class ActionRegistry:
    """Builds each action once; ``registry[ActionId.SAVE]`` is the same QAction everywhere."""

    def __init__(self, owner: QWidget) -> None:
        self._actions: dict[ActionId, QAction] = {}
        style = owner.style()
        for action_id, spec in SPECS.items():
            action = QAction(spec.text, owner)
            action.setObjectName(f"action_{action_id.name.lower()}")
            action.setStatusTip(spec.tip)
            action.setToolTip(spec.tip)
            sequences: list[QKeySequence] = []
            for shortcut in spec.shortcuts:
                sequences += (QKeySequence.keyBindings(shortcut) if isinstance(shortcut, Key)
                              else [QKeySequence(shortcut)])
            unique = []
            for seq in sequences:
                if not seq.isEmpty() and seq not in unique:
                    unique.append(seq)
            action.setShortcuts(unique)
            if spec.icon is not None:
                action.setIcon(style.standardIcon(spec.icon))
            self._actions[action_id] = action

    def __getitem__(self, action_id: ActionId) -> QAction:
        return self._actions[action_id]

    def items(self):
        return self._actions.items()

    def apply_permissions(self, can) -> None:
        """Hide what the signed-in user may not do (the services refuse it anyway)."""
        for action_id, action in self._actions.items():
            permission = SPECS[action_id].permission
            action.setVisible(permission is None or can(permission))
