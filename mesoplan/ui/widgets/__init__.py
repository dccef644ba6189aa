"""Small widgets shared by several screens: optional dates, field messages, the safety strip."""
