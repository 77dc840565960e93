"""The kiosk's screens; each takes the session, reads it in `refresh` and calls it on input."""
