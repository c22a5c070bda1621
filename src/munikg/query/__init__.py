"""Asking a release (or a remote store): canned queries and their parameters, query back-ends,
results and their formats.
"""
