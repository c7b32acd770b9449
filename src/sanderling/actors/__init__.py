"""Actor knowledge base and mention resolution (noun phrase -> PLOVER code + sector).

Public API: :class:`ActorKB` (``load``, ``resolve``, ``scan``), :class:`DocumentActors`
(in-document coreference) and :class:`Resolution`. Data files live in
``sanderling/data/actors``; ``sanderling kb build`` / ``sanderling kb validate`` maintain them.
"""

from sanderling.actors.kb import ActorKB, KBError, Resolution
from sanderling.actors.resolve import DocumentActors

__all__ = ["ActorKB", "DocumentActors", "KBError", "Resolution"]
