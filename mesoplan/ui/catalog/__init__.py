"""The ingredient catalog screens: the reusable catalog browser and the catalog page."""
