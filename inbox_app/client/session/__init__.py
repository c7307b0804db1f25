"""Signing in, the remembered login and the idle lock's offline unlock check."""
