"""``sandbox-validate``: the model against published figures and independent oracles, with
a pass/fail report.

Five families of checks, one module each, each check returning a ``CheckResult``
(``result.py``) with its numbers, its target and tolerance, whether its figure was used
in the fit, and whether it passed:

* ``bass``: the citizen submodel against the Bass closed form (homogeneous citizens,
  ``validation=bass``) and against a per-citizen Bernoulli reference (heterogeneous
  citizens, provinces of different coverage);
* ``invariants``: bounds and conservation that hold in every month of every run;
* ``metamorphic``: how outputs must move when inputs move, paired over replicates;
* ``targets``: the default history against the published figures of
  ``configs/targets/`` (``sandbox.calibration.targets``), those fitted (in-sample) and
  those declared checks (out of sample), each with the tolerance its file declares;
* ``funnel``: the sandbox funnel's nesting under each regime with a sandbox, and its
  shares against the UK FCA sandbox's (the admitted share set a parameter by hand:
  in-sample; the testing and launch shares: out of sample).

``figures.py`` compares a declared figure with runs; ``sizes.py`` says how many
replicates and citizens each family uses at ``--size small`` and ``--size default``;
``report.py`` writes ``report.md`` and ``validation.json`` (in-sample, out-of-sample and
oracle checks in sections of their own); ``cli.py`` is the command.
"""
