"""The web views, one module per kind of page; each takes the :class:`~munikg.serve.site.Site`
from the request.
"""
