"""The app's log file, and the filter that keeps patient data out of it."""
