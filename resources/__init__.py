"""Runtime resources shipped with the app (icons, content); found through importlib.resources."""
