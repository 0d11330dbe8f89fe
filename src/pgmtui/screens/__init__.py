"""One module per screen. Top-level screens are registered in pgmtui.app.TOP_SCREENS."""
