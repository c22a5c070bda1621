"""Checks of the official identifiers the graph links to (Swedish organisation numbers)."""


def luhn_ok(orgnr: str) -> bool:
    """Whether a Swedish organisation number (NNNNNN-NNNN) has a valid check digit.

    >>> luhn_ok("222000-0315"), luhn_ok("222000-0316")
    (True, False)
    """
    digits = orgnr.replace("-", "")
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = 0
    for i, d in enumerate(digits):
        n = int(d) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0
