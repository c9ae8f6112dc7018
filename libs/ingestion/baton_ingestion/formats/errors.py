class UnreadableFile(ValueError):
    """A file that cannot be read as a help page; the message says why, for the person."""
