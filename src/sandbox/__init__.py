"""Smart-city adoption under regulatory sandboxes and other policy mechanisms."""
