"""Fitting the shared history to published counts, and the evidence that it holds.

``targets`` reads the published figures (``configs/targets/``), each declared there as
fitted (``use: fit``), set by hand (``use: hand``) or checked out of sample
(``use: check``); the calibration reads the fitted ones and no others, and the validation
reads them all from there and nowhere else.
"""
