"""Services layer: the app's use cases. Each owns its transaction and returns plain records."""
