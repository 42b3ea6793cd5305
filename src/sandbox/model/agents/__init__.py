"""Mesa agents: the national government, local authorities and firms."""
