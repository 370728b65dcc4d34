"""Sans-I/O conversation core: scripts, validation, i18n and the engine.

Nothing here talks to a chat platform, a database or the clock. The engine turns
``(state, inbound)`` into ``(new_state, replies, records, effects)``.
"""
