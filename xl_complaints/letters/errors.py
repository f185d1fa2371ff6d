"""The one error the letters raise: its message is a sentence for the officer."""


class LetterError(ValueError):
    """A letter or template cannot be made (missing, broken, or asks for an unknown placeholder)."""
