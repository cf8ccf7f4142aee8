"""Arabic match form (shadow text) with an offset map back to the original. TO BE WRITTEN."""
