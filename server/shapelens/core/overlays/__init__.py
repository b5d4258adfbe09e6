"""Library overlays besides Keras and the tape: TF1 graph mode (``graph_mode``: sessions,
``feed_dict``, the recorded graph replayed with fed shapes) and library objects whose methods
are shape functions (``library_objects``: ``np.random.default_rng()`` and friends). Each
registers on the ``Overlays`` table of ``core/evaluate.py``; the interpreter never calls them
by name."""
