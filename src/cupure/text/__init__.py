"""Text cores (no Django): normalisation, copy fingerprints, TF-IDF vectors, topics."""
