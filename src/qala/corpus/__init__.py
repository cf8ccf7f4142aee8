"""The annotation corpus: stand-off who-said-what and entity annotations of news articles.

Annotations hold ids, text hashes and character offsets, never article text; the texts are read
from the shared data folder (``../shared/data`` by default) and checked against their hash.
"""
