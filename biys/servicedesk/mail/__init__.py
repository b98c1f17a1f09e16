"""E-mail intake (IMAP) and outgoing notifications."""
