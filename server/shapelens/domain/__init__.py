"""The domain: abstract values (``values``), dims and shapes (``shapes``) and qualified names
(``names``). Plain data with join/compare; nothing here imports the interpreter, the library
overlays or the incremental machinery, and every other room imports it."""
