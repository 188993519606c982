"""Build-time only: the synthetic corpus and the training of the PHI tagger (``app/redaction/tagger.py``).

    pip install -e '.[phi-build]'
    python -m app.redaction.training.build

``sources`` gathers name, place and facility pools from declared, well-kept sources and splits
every pool (and every sentence fragment, in ``fragments``) by a stable hash into a TRAIN half and
a held-out TEST half; ``corpus`` writes case fields and clinician questions with gold spans from
either half; ``build`` trains the CRF on the TRAIN half and writes the model and the held-out
evaluation files.  Nothing here is imported at run time.
"""
