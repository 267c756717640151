"""Qt widgets and item models: the form renderer, table editors, dialogs."""
