"""Sentences and tokens with offsets. TO BE WRITTEN."""
