"""Landing files -> ``raw`` schema: discovery, validation, loading, manifest and rejects."""
