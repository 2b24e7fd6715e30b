"""The records and the rules of an SRO program; no Qt and no reportlab here."""
