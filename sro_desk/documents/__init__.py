"""Printed documents (PDF), built with reportlab from plain data; no Qt here."""
