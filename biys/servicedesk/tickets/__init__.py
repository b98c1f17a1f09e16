"""Tickets: the requester portal, the technician queue, the ticket page and its work, vendor cases, service forms."""
