"""The interactive dashboard (``make dashboard``, docs/dashboard.md): a scenario against
the status quo, month by month, and any collected sweep, in the browser. Built on Mesa's
visualisation layer (Solara); its figures are ``sandbox.plots``'."""
