"""The language server: the only package that imports pygls or lsprotocol.

``server.build_server()`` registers every feature; ``server.serve(args)`` runs it
(``shapelens serve``). Each feature module converts the core's results through
``convert``, the single translator between the two worlds.
"""
