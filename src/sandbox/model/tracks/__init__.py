"""Approval tracks: the paths a proposal can take, each owning its review, terms and exits.

A regime (``sandbox.model.policy``) composes tracks and routes each proposal to one; a
pilot keeps its track for life, so pilots started under one regime finish under the
rules they were approved under.
"""

from sandbox.model.tracks.adhoc import AdHoc
from sandbox.model.tracks.facilitated import Facilitated
from sandbox.model.tracks.local_rule import LocalRule
from sandbox.model.tracks.sandbox import Sandbox

__all__ = ["AdHoc", "Facilitated", "LocalRule", "Sandbox"]
