"""Hydra plugin shipped with sandbox: a sweeper that composes one job per batch up front."""
