"""Fitting the shared history to published counts, and the evidence that it holds.

``targets`` reads the published figures (``configs/targets/``); the calibration and the
validation read them from there and nowhere else.
"""
