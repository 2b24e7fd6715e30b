"""The window: the only part of SRO Desk that imports Qt."""
