"""`launch-ready probe URL`: the opt-in live checks of a deployed app (HTTPS/TLS, CORS, auth, rate limit, errors,
email DNS), kept in one package so that ``scan`` never imports a network library."""
