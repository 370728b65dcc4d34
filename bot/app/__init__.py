"""The app layer: the product's rules between the adapters and the core.

Adapters translate platform events into calls on this layer and its results into
platform calls; the rules themselves (binding a channel, the first facilitator,
per-person ordering, which workshop a place or a direct message belongs to, form
definitions, staff commands) live here once.
"""
