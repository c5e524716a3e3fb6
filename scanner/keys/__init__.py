"""The key library: the maintained key catalogue (kingfisher) under our codes, shared by the secrets engine,
the client-exposure checks and output scrubbing. Knows nothing of where text came from."""
