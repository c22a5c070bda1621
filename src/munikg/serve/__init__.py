"""``munikg serve``: the web application over one release (design §8)."""
