"""Serving a release on the web: the app and its views, the guard, and the query workers."""
