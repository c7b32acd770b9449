"""Execution engines beyond this machine's processes (optional extras).

``sanderling.parallel`` is the local engine; engines here need optional dependencies and are
imported only when asked for (``--engine ray``), so the base install never imports them.
"""
