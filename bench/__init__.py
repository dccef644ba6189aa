"""MesoPlan's benchmark: a synthetic clinic of clinic size and the measurements run on it (not shipped)."""
