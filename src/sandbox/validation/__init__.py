"""``sandbox-validate``: the model against independent oracles, with a pass/fail report.

Five families of checks, one module each, each check returning a ``CheckResult``
(``result.py``) with its numbers, its tolerance and whether it passed:

* ``bass``: the citizen submodel against the Bass closed form (homogeneous citizens,
  ``validation=bass``) and against a per-citizen Bernoulli reference (heterogeneous
  citizens, provinces of different coverage);
* ``invariants``: bounds and conservation that hold in every month of every run;
* ``metamorphic``: how outputs must move when inputs move, paired over replicates;
* ``targets``: the default history against the published counts of
  ``configs/targets/`` (``sandbox.calibration.targets``);
* ``funnel``: the sandbox funnel's shares, printed beside a real sandbox's published
  figures (consistency is checked, the comparison is for the reader).

``sizes.py`` says how many replicates and citizens each family uses at ``--size small``
and ``--size default``; ``report.py`` writes ``report.md`` and ``validation.json``;
``cli.py`` is the command.
"""
