"""Reusable widgets and renderables shared by the screens."""
