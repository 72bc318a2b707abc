"""Metrics models, one module per concern.

snapshots/audience (collection, public vs colleagues) and links/events (clicks,
attendance, surveys) are imported here so Django finds them.
"""
