"""The application seam: what ui modules may use of the app (context, events, tasks, settings)."""
