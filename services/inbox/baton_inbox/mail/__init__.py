"""Outgoing e-mail: the sender seam (SMTP), the messages Baton sends, and the local sink."""
