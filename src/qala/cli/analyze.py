"""qala analyze. TO BE WRITTEN."""
