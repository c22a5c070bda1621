"""Building a release from the curated inputs: reading and checking them, loading them into the
store, writing the release (design §2, §9).
"""
