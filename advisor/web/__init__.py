"""The web companion: continue on the phone, start at home (FastAPI, server-rendered, works without JavaScript)."""
