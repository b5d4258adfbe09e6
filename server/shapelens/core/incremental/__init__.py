"""The incremental machinery: a ``Session`` (``session.py``) per open document that re-parses
only what an edit touched (``reparse``), replays the statements and uncalled functions whose
text and inputs are unchanged (``passes``, ``recording``, ``journal``, ``records``, ``sharing``,
``identity``) and moves the records of shifted lines (``relocate``). Its one face is
``Session.run(interpreter)``; its result always equals a from-scratch analysis."""
