"""The application shell: start-up, main window, menus, settings, paths."""
