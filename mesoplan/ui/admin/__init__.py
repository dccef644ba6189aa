"""Administration screens: users and roles, the audit trail, backups, clinic settings, privacy, lock."""
