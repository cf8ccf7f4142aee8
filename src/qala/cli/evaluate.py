"""qala eval. TO BE WRITTEN."""
