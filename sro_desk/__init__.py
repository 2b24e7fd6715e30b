"""SRO Desk: a School Resource Officer program kept in one SQLite file."""

__version__ = "0.1.0"
APP_NAME = "SRO Desk"
