"""The drafting assistant: a Russian news text turned into a draft Turtle file of the project's own model, every
candidate fact with its verbatim sentence and a confidence, reconciled against the graph's entities.

:func:`.drafter.draft` reads a text (:mod:`.article` separates the article from its page furniture; :mod:`.nlp`
runs natasha; :mod:`.entities`, :mod:`.posts`, :mod:`.grammar`, :mod:`.agreements` find the candidates;
:mod:`.reconcile` links them to existing IRIs); :mod:`.turtle` writes the draft; :mod:`.accept` turns a reviewed
draft into a curated file. natasha, navec, slovnet and yargy are the ``draft`` extra.
"""
