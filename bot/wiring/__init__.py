"""One module per optional part: each builds its adapter from settings and the wired core.

Imported lazily by `bot.bootstrap`, so an unconfigured platform's SDK is never loaded.
"""
